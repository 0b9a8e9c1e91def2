package org.xmppcm.protocol.cm;

/**
 * A stanza error as read from an {@code <iq type='error'>} or a {@code <route type='error'>}
 * (06a-error-iqs.txt):
 * <pre>
 *   &lt;error code="400" type="modify"&gt;&lt;bad-request xmlns="urn:ietf:params:xml:ns:xmpp-stanzas"/&gt;
 *     &lt;id-required xmlns="http://jabber.org/protocol/connectionmanager#errors"/&gt;&lt;/error&gt;
 * </pre>
 *
 * @param type the error type ({@code modify}, {@code cancel}, {@code auth}, {@code wait}), or null
 * @param code the legacy numeric code Openfire adds, or -1 when absent
 * @param condition the defined condition; {@link StanzaErrorCondition#UNDEFINED_CONDITION} when unknown or missing
 * @param cmCondition the application condition of {@link Namespaces#CM_ERRORS}, or null
 * @param text the human-readable {@code <text>}, or null
 */
public record StanzaError(String type, int code, StanzaErrorCondition condition, CmErrorCondition cmCondition,
                          String text) {
    public StanzaError {
        if (condition == null) {
            throw new IllegalArgumentException("condition is required");
        }
    }
}
