package org.xmppcm.plugin.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.junit.jupiter.api.Test;
import org.xmppcm.protocol.cm.XmlDom;
import org.xmppcm.protocol.xml.StreamErrorCondition;

class ClientOutputTest {
    private final RecordingChannel channel = new RecordingChannel();
    private final ClientOutput output = new ClientOutput(channel, "client a11ce004");

    private static Element openfirePresence() {
        final Element presence = DocumentHelper.createElement("presence");
        presence.addAttribute("type", "unavailable");
        return presence;
    }

    /** Verifies that a stanza Openfire built reaches the manager in jabber:client. */
    @Test
    void stanzasGoOutInJabberClient() {
        // Execute system under test.
        output.deliverStanza(openfirePresence());

        // Verify results.
        assertThat(channel.delivered).containsExactly("<presence xmlns=\"jabber:client\" type=\"unavailable\"/>");
    }

    /** Verifies that SASL replies written as raw text reach the manager as elements, not escaped text. */
    @Test
    void rawSaslRepliesGoOutAsElements() {
        output.deliverRawText("<success xmlns=\"urn:ietf:params:xml:ns:xmpp-sasl\"/>");

        assertThat(channel.delivered).containsExactly("<success xmlns=\"urn:ietf:params:xml:ns:xmpp-sasl\"/>");
        assertThat(channel.closes).isEmpty();
    }

    /**
     * Verifies that a raw stream error (08-server-initiated-close.txt's resource conflict) ends the client's stream at
     * the manager, and that Openfire's close that follows does not end it a second time.
     */
    @Test
    void rawConflictEndsTheStreamOnce() throws Exception {
        // Execute system under test.
        output.deliverRawText("<stream:error xmlns:stream=\"http://etherx.jabber.org/streams\"><conflict"
                + " xmlns=\"urn:ietf:params:xml:ns:xmpp-streams\"/></stream:error>");
        output.serverClosed(null);

        // Verify results.
        assertThat(channel.closes).containsExactly(StreamErrorCondition.CONFLICT);
        assertThat(output.isEndedByServer()).isTrue();
    }

    /** Verifies that a session Openfire ends without an error (an admin's kick) still reaches the manager. */
    @Test
    void aKickReachesTheManager() {
        output.serverClosed(null);

        assertThat(channel.closes).containsExactly(StreamErrorCondition.POLICY_VIOLATION);
    }

    /** Verifies that Openfire's stream error on close is passed on (system shutdown). */
    @Test
    void theCloseErrorIsPassedOn() throws Exception {
        output.serverClosed(XmlDom.parse("<stream:error xmlns:stream='http://etherx.jabber.org/streams'>"
                + "<system-shutdown xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error>", null));

        assertThat(channel.closes).containsExactly(StreamErrorCondition.SYSTEM_SHUTDOWN);
    }

    /** Verifies that nothing goes out after the stream ended. */
    @Test
    void nothingAfterTheEnd() {
        output.endStream(StreamErrorCondition.RESOURCE_CONSTRAINT);

        output.deliverStanza(openfirePresence());
        output.deliverRawText("<success xmlns=\"urn:ietf:params:xml:ns:xmpp-sasl\"/>");
        output.deliverElement(ClientInput.abortedFailure());
        output.endStream(StreamErrorCondition.CONFLICT);

        assertThat(channel.delivered).isEmpty();
        assertThat(channel.closes).containsExactly(StreamErrorCondition.RESOURCE_CONSTRAINT);
    }

    /** Verifies that a client the engine reported gone is never closed back, nor sent anything. */
    @Test
    void aGoneClientIsNotClosedBack() {
        output.clientGone();

        output.deliverStanza(openfirePresence());
        output.serverClosed(null);

        assertThat(channel.delivered).isEmpty();
        assertThat(channel.closes).isEmpty();
        assertThat(output.isEndedByServer()).isFalse();
    }

    /** Verifies that raw text that is not whole elements is dropped, neither forwarded nor fatal. */
    @Test
    void unparseableRawTextIsDropped() {
        output.deliverRawText("<stream:stream xmlns='jabber:client'>");

        assertThat(channel.delivered).isEmpty();
        assertThat(channel.closes).isEmpty();
        assertThat(output.isEndedByServer()).isFalse();
    }
}
