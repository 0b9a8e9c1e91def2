package org.xmppcm.cm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLSocket;
import org.dom4j.Element;
import org.dom4j.QName;
import org.xmppcm.cm.limits.ClientLimits;
import org.xmppcm.cm.link.LinkSettings;
import org.xmppcm.cm.link.LinkTls;
import org.xmppcm.protocol.cm.Handshake;
import org.xmppcm.protocol.cm.ManagerInstance;
import org.xmppcm.protocol.cm.Namespaces;
import org.xmppcm.protocol.cm.RouteCodec;
import org.xmppcm.protocol.cm.RoutedStanza;
import org.xmppcm.protocol.testing.XmlTrees;
import org.xmppcm.protocol.xml.StanzaFrame;
import org.xmppcm.protocol.xml.StreamOpen;

/**
 * A scripted server that speaks the link protocol as stock Openfire 5.1.1 does (the transcripts):
 * the test decides every answer. Unlike our engine it keeps sessions when links drop, which is
 * what lets a CM resume them.
 */
final class FakeOpenfire implements AutoCloseable {
    static final String SECRET = "s3cret";
    static final String STOCK_CONFIGURATION = "<iq type=\"set\" id=\"726-2\"><configuration xmlns=\"http://jabber.org/protocol/connectionmanager\">"
            + "<mechanisms xmlns=\"urn:ietf:params:xml:ns:xmpp-sasl\"><mechanism>PLAIN</mechanism><mechanism>SCRAM-SHA-1</mechanism></mechanisms>"
            + "</configuration></iq>";

    /** CM link TLS that trusts the certificate {@link #acceptTlsLink} presents (link-tls/server.p12, localhost). */
    static final LinkTls LINK_TLS = new LinkTls(true, LinkTlsMaterial.DIR.resolve("trust.p12"), "changeit", "localhost",
            List.of());
    private static final Pattern TO = Pattern.compile("to=[\"']([^\"']*)[\"']");

    private final ServerSocket listener;
    private int streams;

    FakeOpenfire() throws IOException {
        listener = new ServerSocket(0);
    }

    InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", listener.getLocalPort());
    }

    /** A CM for this server, with {@code links} adjusted by the test. */
    CmSettings settings(java.util.function.UnaryOperator<LinkSettings> links) {
        return new CmSettings(new InetSocketAddress("127.0.0.1", 0), "cmtest", SECRET, "example.test",
                CmSettings.DEFAULT_MAX_STANZA_BYTES, links.apply(LinkSettings.to(address()).withCount(1)),
                ClientLimits.DEFAULTS, null);
    }

    /** Accepts the next link and takes it through header, handshake and configuration push. */
    Link acceptLink(String configurationIq) throws Exception {
        return setUp(new RawXmppPeer(listener.accept()), configurationIq);
    }

    /** As {@link #acceptLink}, with STARTTLS first, for a CM whose links use {@link #LINK_TLS}. */
    Link acceptTlsLink(String configurationIq) throws Exception {
        Socket raw = listener.accept();
        InputStream in = raw.getInputStream();
        OutputStream out = raw.getOutputStream();
        Matcher to = TO.matcher(RawXmppPeer.readUntil(in, "version='1.0'>"));
        assertThat(to.find()).isTrue();
        out.write(("<?xml version=\"1.0\" encoding=\"UTF-8\"?><stream:stream xmlns:stream=\"http://etherx.jabber.org/streams\""
                + " xmlns=\"jabber:connectionmanager\" version=\"1.0\" from=\"" + to.group(1) + "\" id=\"plain" + (++streams)
                + "\"><stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/></stream:features>")
                .getBytes(StandardCharsets.UTF_8));
        assertThat(RawXmppPeer.readUntil(in, "/>")).contains("<starttls");
        out.write("<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>".getBytes(StandardCharsets.UTF_8));
        SSLSocket tls = (SSLSocket) LinkTlsMaterial.serverContext("server.p12").getSocketFactory().createSocket(raw, null, raw.getPort(), true);
        tls.setUseClientMode(false);
        tls.startHandshake();
        return setUp(new RawXmppPeer(tls), configurationIq);
    }



    /**
     * As {@link #acceptLink}, offering acknowledged links (urn:xmppcm:ack:0) as our engine does, and expecting the CM to
     * take the offer on its handshake. The fake itself never answers a request for acknowledgement.
     */
    Link acceptAcknowledgedLink(String configurationIq) throws Exception {
        return setUp(new RawXmppPeer(listener.accept()), configurationIq, true);
    }

    /** Header, handshake and configuration push on a link accepted (and secured, if at all) already. */
    private Link setUp(RawXmppPeer peer, String configurationIq) throws Exception {
        return setUp(peer, configurationIq, false);
    }

    private Link setUp(RawXmppPeer peer, String configurationIq, boolean offerAcks) throws Exception {
        StreamOpen header = peer.nextOpen();
        String id = "fake" + (++streams);
        peer.send("<?xml version=\"1.0\" encoding=\"UTF-8\"?><stream:stream xmlns:stream=\"http://etherx.jabber.org/streams\""
                + " xmlns=\"jabber:connectionmanager\" version=\"1.0\" from=\"" + header.attribute("to") + "\" id=\"" + id + "\">"
                + (offerAcks ? "<stream:features>" + org.xmppcm.protocol.ack.AckElements.FEATURE + "</stream:features>"
                        : "<stream:features/>"));
        StanzaFrame handshake = peer.nextFrame();
        String digest = Handshake.digest(id, SECRET);
        assertThat(handshake.asString()).isEqualTo(offerAcks
                ? org.xmppcm.protocol.ack.AckElements.handshakeTakingOffer(digest) : "<handshake>" + digest + "</handshake>");
        peer.send("<handshake></handshake>");
        peer.send(configurationIq);
        assertThat(peer.nextFrame().attribute("type")).isEqualTo("result");
        return new Link(peer, header.attribute("to"), header.attribute(Namespaces.LINK, ManagerInstance.ATTRIBUTE));
    }

    /**
     * Accepts the next link and refuses its handshake with the stream error {@code condition}, as stock Openfire
     * refuses a wrong secret (02-bad-handshake.txt): error, end of stream, close.
     */
    void refuseNextLink(String condition) throws Exception {
        try (RawXmppPeer peer = new RawXmppPeer(listener.accept())) {
            StreamOpen header = peer.nextOpen();
            peer.send("<?xml version=\"1.0\" encoding=\"UTF-8\"?><stream:stream xmlns:stream=\"http://etherx.jabber.org/streams\""
                    + " xmlns=\"jabber:connectionmanager\" version=\"1.0\" from=\"" + header.attribute("to") + "\" id=\"fake"
                    + (++streams) + "\"><stream:features/>");
            assertThat(peer.nextFrame().asString()).startsWith("<handshake>");
            peer.send("<stream:error xmlns:stream=\"http://etherx.jabber.org/streams\"><" + condition
                    + " xmlns=\"urn:ietf:params:xml:ns:xmpp-streams\"/></stream:error></stream:stream>");
            peer.awaitClose();
        }
    }

    /** True when no link connects within {@code millis}. */
    boolean noLinkWithin(int millis) throws IOException {
        listener.setSoTimeout(millis);
        try {
            listener.accept().close();
            return false;
        } catch (java.net.SocketTimeoutException quiet) {
            return true;
        } finally {
            listener.setSoTimeout(0);
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }

    /** One accepted link. */
    /** @param instance the manager process its header named ({@code xcm:instance}), or null */
    record Link(RawXmppPeer peer, String name, String instance) implements AutoCloseable {
        /** Reads a session create, answers it, and returns the session's stream id. */
        String expectCreate() throws Exception {
            Element session = sessionOf(peer.nextFrame(), "create");
            String sid = session.attributeValue("id");
            peer.send("<iq type=\"result\" id=\"x\"/>");
            return sid;
        }

        void expectClose(String sid) throws Exception {
            assertThat(sessionOf(peer.nextFrame(), "close").attributeValue("id")).isEqualTo(sid);
        }

        /** Reads a probe for {@code sid} and answers as Openfire does for a live or a gone session. */
        void answerProbe(String sid, boolean exists) throws Exception {
            StanzaFrame frame = peer.nextFrame();
            Element session = sessionOf(frame, "probe");
            assertThat(session.attributeValue("id")).isEqualTo(sid);
            peer.send("<iq type=\"error\" id=\"" + frame.attribute("id") + "\"><session xmlns=\""
                    + Namespaces.CM_PROTOCOL + "\" id=\"" + sid + "\"><probe/></session>"
                    + (exists ? "<error code=\"400\" type=\"modify\"><bad-request xmlns=\"urn:ietf:params:xml:ns:xmpp-stanzas\"/></error>"
                            : "<error code=\"404\" type=\"cancel\"><item-not-found xmlns=\"urn:ietf:params:xml:ns:xmpp-stanzas\"/></error>")
                    + "</iq>");
        }

        RoutedStanza expectRoute() throws Exception {
            StanzaFrame frame = peer.nextFrame();
            assertThat(frame.localName()).as(frame.asString()).isEqualTo("route");
            return RouteCodec.unwrap(frame);
        }

        StanzaFrame next() throws Exception {
            return peer.nextFrame();
        }

        void send(String xml) throws Exception {
            peer.send(xml);
        }

        @Override
        public void close() throws IOException {
            peer.close();
        }

        private static Element sessionOf(StanzaFrame frame, String action) {
            Element iq = XmlTrees.parse(frame.bytes(), XmlTrees.LINK_SCOPE);
            Element session = iq.element(QName.get("session", Namespaces.CM_PROTOCOL));
            assertThat(session).as(frame.asString()).isNotNull();
            assertThat(session.element(QName.get(action, Namespaces.CM_PROTOCOL))).as(frame.asString()).isNotNull();
            return session;
        }
    }

    /** A client of the CM under test: opens its stream and reads the header and features. */
    static RawXmppPeer client(ConnectionManager cm) throws Exception {
        RawXmppPeer client = RawXmppPeer.connect(cm.clientPort());
        client.send("<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'"
                + " to='example.test' version='1.0'>");
        client.nextOpen();
        assertThat(client.nextFrame().localName()).isEqualTo("features");
        return client;
    }

    static Map<String, String> linkScope() {
        return XmlTrees.LINK_SCOPE;
    }
}
