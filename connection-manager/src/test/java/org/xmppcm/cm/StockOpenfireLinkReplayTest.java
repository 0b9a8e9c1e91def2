package org.xmppcm.cm;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.xmppcm.cm.link.LinkSettings;
import org.xmppcm.protocol.cm.Namespaces;
import org.xmppcm.protocol.testing.Transcript.Chunk;
import org.xmppcm.protocol.testing.Transcript.Direction;
import org.xmppcm.protocol.testing.Transcript;
import org.xmppcm.protocol.xml.StanzaFrame;
import org.xmppcm.protocol.xml.StreamOpen;

/**
 * Replays stock Openfire 5.1.1's side of 01-link-setup.txt to the CM: the CM must open the link
 * exactly as the probe did, prove the secret with the same digest, accept the quirky
 * {@code <handshake></handshake>}, answer the configuration IQ, ignore keepalives, and then offer
 * clients what that configuration allows.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StockOpenfireLinkReplayTest {
    @Test
    void opensTheLinkAgainstStockOpenfireExactlyAsTheCapturedProbeDid() throws Exception {
        Transcript transcript = Transcript.load("01-link-setup.txt");
        List<Chunk> server = transcript.chunks("cm:conn1", Direction.SERVER_TO_CLIENT);
        List<Chunk> probe = transcript.chunks("cm:conn1", Direction.CLIENT_TO_SERVER);

        try (ServerSocket listener = new ServerSocket(0)) {
            ConnectionManager cm = new ConnectionManager(new CmSettings(new InetSocketAddress("127.0.0.1", 0),
                    new InetSocketAddress("127.0.0.1", listener.getLocalPort()), "cmtest", "s3cret", "example.test",
                    CmSettings.DEFAULT_MAX_STANZA_BYTES).withLinks(
                        LinkSettings.to(new InetSocketAddress("127.0.0.1", listener.getLocalPort())).withCount(1)));
            CompletableFuture<Void> started = CompletableFuture.runAsync(() -> {
                try {
                    cm.start();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            try (RawXmppPeer openfire = new RawXmppPeer(listener.accept())) {
                StreamOpen header = openfire.nextOpen();
                assertThat(header.attribute("to")).isEqualTo("cmtest/conn1");
                assertThat(header.defaultNamespace()).isEqualTo(Namespaces.CONNECTION_MANAGER);

                openfire.send(server.get(0).asString()); // header + <stream:features><starttls/>
                StanzaFrame handshake = openfire.nextFrame();
                assertThat(handshake.asString()).isEqualTo(probe.get(1).asString());

                openfire.send(server.get(1).asString()); // <handshake></handshake>
                openfire.send(server.get(2).asString()); // the configuration IQ, no from/to
                StanzaFrame result = openfire.nextFrame();
                assertThat(result.localName()).isEqualTo("iq");
                assertThat(result.attribute("type")).isEqualTo("result");
                assertThat(result.attribute("id")).isEqualTo("726-2");

                openfire.send(server.get(3).asString()); // a whitespace keepalive
                started.get(10, TimeUnit.SECONDS);

                try (RawXmppPeer client = RawXmppPeer.connect(cm.clientPort())) {
                    client.send("<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'"
                            + " to='example.test' version='1.0'>");
                    assertThat(client.nextOpen().attribute("from")).isEqualTo("example.test");
                    String features = client.nextFrame().asString();
                    assertThat(features).contains("<mechanism>PLAIN</mechanism><mechanism>SCRAM-SHA-1</mechanism></mechanisms>",
                            "<register xmlns='http://jabber.org/features/iq-register'/>")
                            .doesNotContain("EXTERNAL", "SCRAM-SHA-1-PLUS");

                    String streamId = client.lastOpenId();
                    org.dom4j.Element create = org.xmppcm.protocol.cm.XmlDom.parse(openfire.nextFrame(),
                            java.util.Map.of("", Namespaces.CONNECTION_MANAGER));
                    assertThat(create.attributeValue("type")).isEqualTo("set");
                    org.dom4j.Element session = create.element(org.dom4j.QName.get("session", Namespaces.CM_PROTOCOL));
                    assertThat(session.attributeValue("id")).isEqualTo(streamId);
                    assertThat(session.element(org.dom4j.QName.get("create", Namespaces.CM_PROTOCOL))
                            .element(org.dom4j.QName.get("host", Namespaces.CM_PROTOCOL)).attributeValue("address"))
                            .isEqualTo("127.0.0.1");
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (cm.clientCount() > 0 && System.nanoTime() < deadline) {
                    Thread.sleep(10); // the client's close is handled on an I/O thread
                }
                assertThat(openfire.nextFrame().asString()).contains("<close/>");
                cm.stop();
                StanzaFrame shutdown = openfire.nextFrame();
                assertThat(shutdown.is("error", Namespaces.STREAMS)).isTrue();
                // Openfire parses each link element on its own (06d): the error must declare its prefix itself.
                assertThat(shutdown.asString()).contains("system-shutdown", "xmlns:stream='http://etherx.jabber.org/streams'");
                assertThat(openfire.awaitClose()).isTrue();
            }
        }
    }

    @Test
    void aRefusedSecretFailsTheStartAtOnceNamingTheCauseAndFeedsNoThrottle() throws Exception {
        Transcript transcript = Transcript.load("02-bad-handshake.txt");
        List<Chunk> server = transcript.chunks("cm:conn1", Direction.SERVER_TO_CLIENT);
        try (ServerSocket listener = new ServerSocket(0)) {
            ConnectionManager cm = new ConnectionManager(new CmSettings(new InetSocketAddress("127.0.0.1", 0),
                    new InetSocketAddress("127.0.0.1", listener.getLocalPort()), "cmtest", "not-the-secret", "example.test",
                    CmSettings.DEFAULT_MAX_STANZA_BYTES).withLinks(
                    LinkSettings.to(new InetSocketAddress("127.0.0.1", listener.getLocalPort())).withCount(1)));
            CompletableFuture<Void> started = CompletableFuture.runAsync(() -> {
                try {
                    cm.start();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            try {
                try (RawXmppPeer openfire = new RawXmppPeer(listener.accept())) {
                    openfire.nextOpen();
                    openfire.send(server.get(0).asString());
                    assertThat(openfire.nextFrame().localName()).isEqualTo("handshake");
                    openfire.send(server.get(1).asString()); // <stream:error><not-authorized/> + </stream:stream>
                    assertThat(openfire.awaitClose()).as("the CM closed the refused link").isTrue();
                }
                assertThat(cm.readyLinkCount()).isZero();
                // A configuration error: the start fails now with the server's condition, not after its timeout.
                Throwable failure = org.assertj.core.api.Assertions.catchThrowable(() -> started.get(5, TimeUnit.SECONDS));
                assertThat(Main.describe(failure)).contains("refused connection manager 'cmtest': not-authorized");
                // ...and it does not keep knocking with the wrong secret.
                listener.setSoTimeout(3_000);
                org.assertj.core.api.Assertions.assertThatThrownBy(listener::accept)
                        .isInstanceOf(java.net.SocketTimeoutException.class);
            } finally {
                cm.stop();
            }
        }
    }
}
