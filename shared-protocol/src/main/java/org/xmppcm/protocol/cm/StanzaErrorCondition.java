package org.xmppcm.protocol.cm;

import java.util.Locale;

/**
 * Stanza error conditions of RFC 6120 section 8.3.3 with the error type each is sent with and
 * the legacy code Openfire adds (seen in 06a-error-iqs.txt).
 */
public enum StanzaErrorCondition {
    BAD_REQUEST("modify", 400), CONFLICT("cancel", 409), FEATURE_NOT_IMPLEMENTED("cancel", 501),
    FORBIDDEN("auth", 403), INTERNAL_SERVER_ERROR("wait", 500), ITEM_NOT_FOUND("cancel", 404),
    NOT_ACCEPTABLE("modify", 406), NOT_ALLOWED("cancel", 405), NOT_AUTHORIZED("auth", 401),
    POLICY_VIOLATION("modify", 406), RECIPIENT_UNAVAILABLE("wait", 404),
    RESOURCE_CONSTRAINT("wait", 500), SERVICE_UNAVAILABLE("cancel", 503),
    UNDEFINED_CONDITION("cancel", 500), UNEXPECTED_REQUEST("wait", 400);

    private final String type;
    private final int code;

    StanzaErrorCondition(String type, int code) {
        this.type = type;
        this.code = code;
    }

    public String elementName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public String type() {
        return type;
    }

    public int code() {
        return code;
    }

    public static StanzaErrorCondition fromElementName(String name) {
        for (StanzaErrorCondition c : values()) {
            if (c.elementName().equals(name)) {
                return c;
            }
        }
        return UNDEFINED_CONDITION;
    }
}
