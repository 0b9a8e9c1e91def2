package org.xmppcm.plugin.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.dom4j.DocumentHelper;
import org.dom4j.QName;
import org.junit.jupiter.api.Test;
import org.xmppcm.protocol.cm.Namespaces;
import org.xmppcm.protocol.cm.XmlDom;

class ClientInputTest {
    private static ClientInput classify(String name, String namespace) {
        return ClientInput.classify(DocumentHelper.createElement(QName.get(name, namespace)));
    }

    /** Verifies that SASL steps and stanzas go to Openfire and an abort is recognised. */
    @Test
    void classifiesWhatOpenfireAndThePluginHandle() {
        assertThat(classify("auth", Namespaces.SASL)).isEqualTo(ClientInput.SASL_STEP);
        assertThat(classify("response", Namespaces.SASL)).isEqualTo(ClientInput.SASL_STEP);
        assertThat(classify("abort", Namespaces.SASL)).isEqualTo(ClientInput.SASL_ABORT);
        assertThat(classify("message", Namespaces.CLIENT)).isEqualTo(ClientInput.STANZA);
        assertThat(classify("presence", Namespaces.CLIENT)).isEqualTo(ClientInput.STANZA);
        assertThat(classify("iq", Namespaces.CLIENT)).isEqualTo(ClientInput.STANZA);
    }

    /** Verifies that anything else, including look-alikes in the wrong namespace, is unsupported. */
    @Test
    void everythingElseIsUnsupported() {
        assertThat(classify("success", Namespaces.SASL)).isEqualTo(ClientInput.UNSUPPORTED);
        assertThat(classify("auth", "urn:xmpp:sasl:2")).isEqualTo(ClientInput.UNSUPPORTED);
        assertThat(classify("message", "jabber:server")).isEqualTo(ClientInput.UNSUPPORTED);
        assertThat(classify("message", "")).isEqualTo(ClientInput.UNSUPPORTED);
        assertThat(classify("enable", "urn:xmpp:sm:3")).isEqualTo(ClientInput.UNSUPPORTED);
        assertThat(classify("stanza", Namespaces.CLIENT)).isEqualTo(ClientInput.UNSUPPORTED);
    }

    /** Verifies the reply to an abort is RFC 6120's failure with aborted, a fresh element each time. */
    @Test
    void abortIsAnsweredWithAborted() {
        assertThat(XmlDom.toXml(ClientInput.abortedFailure()))
                .isEqualTo("<failure xmlns=\"urn:ietf:params:xml:ns:xmpp-sasl\"><aborted/></failure>");
        assertThat(ClientInput.abortedFailure()).isNotSameAs(ClientInput.abortedFailure());
    }
}
