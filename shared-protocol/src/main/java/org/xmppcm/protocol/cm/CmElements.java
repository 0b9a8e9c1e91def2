package org.xmppcm.protocol.cm;

import org.dom4j.Element;
import org.xmppcm.protocol.xml.StreamErrorCondition;

/**
 * Writers and readers for the control elements of the Connection Manager protocol. Writers return
 * serialized XML (single-quoted attributes, escaped values); readers take dom4j elements built by
 * {@link XmlDom} from a frame and validate them. Stateless.
 */
public final class CmElements {
    private CmElements() {
    }

    /** CM to server: {@code <?xml?><stream:stream xmlns='jabber:connectionmanager' to='NAME/connN' version='1.0'>}. */
    public static String linkStreamOpen(String to) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** Server to CM: the answering header (from echoes the CM's {@code to}) followed by {@code featuresXml} wrapped in {@code <stream:features>}. */
    public static String linkStreamOpenReply(String from, String streamId, String featuresXml) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** {@code <handshake>digest</handshake>}. */
    public static String handshake(String digest) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** {@code <iq type='set' id='ID'><configuration xmlns='...'>...</configuration></iq>}. */
    public static String configurationIq(String iqId, ClientConfiguration configuration) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** Reads the {@code <configuration>} child of a configuration IQ. */
    public static ClientConfiguration parseConfiguration(Element configuration) throws CmProtocolException {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** Serializes a session IQ ({@code type='set'}). */
    public static String sessionIq(SessionIq iq) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /**
     * Reads an {@code <iq>} whose child is {@code <session>}. Errors as stock Openfire gives them
     * (06a-error-iqs.txt): no session id: {@code bad-request} + {@code id-required}; type get or no
     * create/close/failed: {@code bad-request}; failed with other than one {@code <message>}:
     * {@code bad-request} + {@code invalid-payload} (0 or 2+ children) or {@code unknown-stanza}.
     */
    public static SessionIq parseSessionIq(Element iq) throws CmProtocolException {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** {@code <iq type='result' id='ID'/>} with to/from swapped from the request when it had them. */
    public static String iqResult(Element request) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** An IQ error echoing the request's child, with the condition and optional application condition. */
    public static String iqError(Element request, StanzaErrorCondition condition, CmErrorCondition cmCondition) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** {@code <route streamid='SID' type='error'>} with the stanza error (unknown stream id, bad route). */
    public static String routeError(String streamId, StanzaErrorCondition condition, CmErrorCondition cmCondition) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** {@code <stream:error><condition xmlns='urn:ietf:params:xml:ns:xmpp-streams'/><text>..</text></stream:error>}; text may be null. */
    public static String streamError(StreamErrorCondition condition, String text) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** Like {@link #streamError} but declaring {@code xmlns:stream} itself, for embedding outside a stream header's scope. */
    public static String standaloneStreamError(StreamErrorCondition condition, String text) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    public static final String STREAM_CLOSE = "</stream:stream>";
}
