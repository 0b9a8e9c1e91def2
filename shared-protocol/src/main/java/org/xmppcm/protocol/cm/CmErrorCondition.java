package org.xmppcm.protocol.cm;

/** Application-specific error conditions, namespace {@link Namespaces#CM_ERRORS}. */
public enum CmErrorCondition {
    ID_REQUIRED("id-required"), INVALID_PAYLOAD("invalid-payload"), UNKNOWN_STANZA("unknown-stanza");

    private final String elementName;

    CmErrorCondition(String elementName) {
        this.elementName = elementName;
    }

    public String elementName() {
        return elementName;
    }

    /** The condition with this element name, or null when it is not one of ours. */
    public static CmErrorCondition fromElementName(String name) {
        for (CmErrorCondition c : values()) {
            if (c.elementName.equals(name)) {
                return c;
            }
        }
        return null;
    }
}
