package org.xmppcm.protocol.xml;

import java.util.Locale;

/**
 * The defined stream error conditions of RFC 6120 section 4.9.3, namespace
 * {@code urn:ietf:params:xml:ns:xmpp-streams}.
 */
public enum StreamErrorCondition {
    BAD_FORMAT, BAD_NAMESPACE_PREFIX, CONFLICT, CONNECTION_TIMEOUT, HOST_GONE, HOST_UNKNOWN,
    IMPROPER_ADDRESSING, INTERNAL_SERVER_ERROR, INVALID_FROM, INVALID_NAMESPACE, INVALID_XML,
    NOT_AUTHORIZED, NOT_WELL_FORMED, POLICY_VIOLATION, REMOTE_CONNECTION_FAILED, RESET,
    RESOURCE_CONSTRAINT, RESTRICTED_XML, SEE_OTHER_HOST, SYSTEM_SHUTDOWN, UNDEFINED_CONDITION,
    UNSUPPORTED_ENCODING, UNSUPPORTED_FEATURE, UNSUPPORTED_STANZA_TYPE, UNSUPPORTED_VERSION;

    public static final String NAMESPACE = "urn:ietf:params:xml:ns:xmpp-streams";

    /** The element name on the wire, e.g. {@code system-shutdown}. */
    public String elementName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Looks a condition up by its element name; {@link #UNDEFINED_CONDITION} when unknown. */
    public static StreamErrorCondition fromElementName(String name) {
        for (StreamErrorCondition c : values()) {
            if (c.elementName().equals(name)) {
                return c;
            }
        }
        return UNDEFINED_CONDITION;
    }
}
