package org.xmppcm.plugin.core;

import org.dom4j.Element;
import org.xmppcm.protocol.cm.Namespaces;
import org.xmppcm.protocol.xml.StreamErrorCondition;

/** Maps a stream error as Openfire produces it to the condition the connection manager passes to the client. */
public final class StreamErrors {
    /**
     * What a client is told when Openfire ends its session without naming an error: an administrator's kick, a
     * deleted or locked-out account. RFC 6120 section 4.9.3.14 fits ("violated some local service policy");
     * {@code undefined-condition} SHOULD NOT be sent alone (section 4.9.3.21).
     */
    public static final StreamErrorCondition ENDED_BY_SERVER = StreamErrorCondition.POLICY_VIOLATION;

    private StreamErrors() {
    }

    /**
     * The defined condition inside a {@code <stream:error>}: its first child in the
     * {@code urn:ietf:params:xml:ns:xmpp-streams} namespace other than {@code <text>}. RFC 3920's
     * {@code xml-not-well-formed}, which Tinder still knows, becomes RFC 6120's {@code not-well-formed}; anything
     * unknown or missing becomes {@code undefined-condition}.
     */
    public static StreamErrorCondition conditionOf(Element streamError) {
        for (Element child : streamError.elements()) {
            if (Namespaces.STREAM_ERRORS.equals(child.getNamespaceURI()) && !"text".equals(child.getName())) {
                return "xml-not-well-formed".equals(child.getName())
                        ? StreamErrorCondition.NOT_WELL_FORMED
                        : StreamErrorCondition.fromElementName(child.getName());
            }
        }
        return StreamErrorCondition.UNDEFINED_CONDITION;
    }

    /** The condition for a session Openfire closes, given the error it closes with (null: none). */
    public static StreamErrorCondition forServerClose(Element streamErrorOrNull) {
        return streamErrorOrNull == null ? ENDED_BY_SERVER : conditionOf(streamErrorOrNull);
    }
}
