package org.xmppcm.cm;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.dom4j.Element;
import org.dom4j.QName;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xmppcm.cm.client.StreamIds;
import org.xmppcm.cm.link.LinkSettings;
import org.xmppcm.protocol.cm.Namespaces;
import org.xmppcm.protocol.cm.RouteCodec;
import org.xmppcm.protocol.cm.RoutedStanza;
import org.xmppcm.protocol.testing.Transcript.Chunk;
import org.xmppcm.protocol.testing.Transcript.Direction;
import org.xmppcm.protocol.testing.Transcript;
import org.xmppcm.protocol.testing.TranscriptFrames.Frame;
import org.xmppcm.protocol.testing.TranscriptFrames;
import org.xmppcm.protocol.testing.XmlTrees;
import org.xmppcm.protocol.xml.StanzaFrame;

/**
 * Replays a captured session of stock Openfire 5.1.1 through the CM. Where the probe acted as a
 * CM, real client sockets now send the same stanzas through our CM, and the test checks that
 * our CM puts on the link what the probe put there (in meaning). Where Openfire answered, its
 * captured bytes go to our CM, and the test checks that each client receives what Openfire meant
 * for it: escaped SASL results as elements, namespace-less stanzas in {@code jabber:client},
 * escaped stream errors that end the client's stream.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StockOpenfireSessionReplayTest {
    private static final String LINK = "cm:conn1";

    @ParameterizedTest
    @ValueSource(strings = {"04-plain-bind-message-close.txt", "05-scram-sha1.txt",
            "08-server-initiated-close.txt", "10-server-shutdown.txt"})
    void clientsThroughOurCmSeeWhatStockOpenfireSentThem(String file) throws Exception {
        new Replay(Transcript.load(file)).run();
    }

    private static final class Replay {
        private final Transcript transcript;
        private final Map<Integer, List<Frame>> probeFrames = new HashMap<>();
        private final Map<Integer, List<Frame>> serverFrames = new HashMap<>();
        private final Deque<String> capturedSessionIds = new ArrayDeque<>();
        private final Map<String, RawXmppPeer> clients = new HashMap<>();
        private ConnectionManager cm;
        private RawXmppPeer openfire;
        private CompletableFuture<Void> started;

        Replay(Transcript transcript) {
            this.transcript = transcript;
            for (Frame frame : TranscriptFrames.replay(transcript, LINK, Direction.CLIENT_TO_SERVER).frames()) {
                probeFrames.computeIfAbsent(frame.chunk().index(), i -> new java.util.ArrayList<>()).add(frame);
                Element session = sessionChild(frame);
                if (session != null && session.element(QName.get("create", Namespaces.CM_PROTOCOL)) != null) {
                    capturedSessionIds.add(session.attributeValue("id"));
                }
            }
            for (Frame frame : TranscriptFrames.replay(transcript, LINK, Direction.SERVER_TO_CLIENT).frames()) {
                serverFrames.computeIfAbsent(frame.chunk().index(), i -> new java.util.ArrayList<>()).add(frame);
            }
        }

        void run() throws Exception {
            Deque<String> ids = new ArrayDeque<>(capturedSessionIds);
            StreamIds streamIds = new StreamIds(() -> ids.isEmpty() ? "restart" + System.nanoTime() : ids.poll());
            try (ServerSocket listener = new ServerSocket(0)) {
                cm = new ConnectionManager(new CmSettings(new InetSocketAddress("127.0.0.1", 0),
                        new InetSocketAddress("127.0.0.1", listener.getLocalPort()), "cmtest", "s3cret",
                        "example.test", CmSettings.DEFAULT_MAX_STANZA_BYTES).withLinks(
                        LinkSettings.to(new InetSocketAddress("127.0.0.1", listener.getLocalPort())).withCount(1)
                                .withGracePeriod(java.time.Duration.ofSeconds(1))), streamIds);
                started = CompletableFuture.runAsync(() -> {
                    try {
                        cm.start();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                openfire = new RawXmppPeer(listener.accept());
                boolean probeClosed = false;
                for (Chunk chunk : transcript.chunks(LINK)) {
                    if (chunk.direction() == Direction.CLIENT_TO_SERVER) {
                        probeClosed |= probeSent(chunk);
                    } else {
                        openfire.send(chunk.asString());
                        for (Frame frame : serverFrames.getOrDefault(chunk.index(), List.of())) {
                            serverSent(frame);
                        }
                    }
                }
                started.get(10, TimeUnit.SECONDS);
                if (probeClosed) {
                    cm.stop();
                } else {
                    // Openfire went away without a word (10-server-shutdown.txt): after the grace
                    // period with no link back, every client learns of it.
                    openfire.close();
                    for (RawXmppPeer client : clients.values()) {
                        StanzaFrame error = client.nextFrame();
                        assertThat(error.is("error", Namespaces.STREAMS)).as(error.asString()).isTrue();
                        assertThat(error.asString()).contains("<remote-connection-failed");
                        assertThat(client.awaitClose()).isTrue();
                    }
                    cm.stop();
                }
            } finally {
                for (RawXmppPeer client : clients.values()) {
                    client.close();
                }
                if (openfire != null) {
                    openfire.close();
                }
            }
        }

        /** Makes our side do what the probe did; true when the probe closed the link. */
        private boolean probeSent(Chunk chunk) throws Exception {
            if (chunk.asString().startsWith("<?xml")) {
                assertThat(openfire.nextOpen().attribute("to")).isEqualTo("cmtest/conn1");
            }
            for (Frame frame : probeFrames.getOrDefault(chunk.index(), List.of())) {
                Element session = sessionChild(frame);
                if (frame.localName().equals("handshake") || "result".equals(frame.attribute("type"))) {
                    assertSameMeaning(openfire.nextFrame().asString(), frame.frame().asString(), XmlTrees.LINK_SCOPE);
                } else if (session != null) {
                    String sid = session.attributeValue("id");
                    if (session.element(QName.get("create", Namespaces.CM_PROTOCOL)) != null) {
                        openClient(sid);
                        assertSession(openfire.nextFrame(), sid, "create");
                    } else if (session.element(QName.get("close", Namespaces.CM_PROTOCOL)) != null) {
                        RawXmppPeer client = clients.remove(sid);
                        client.send("</stream:stream>");
                        assertThat(client.awaitClose()).isTrue();
                        client.close();
                        assertSession(openfire.nextFrame(), sid, "close");
                    }
                } else if (frame.localName().equals("route")) {
                    RoutedStanza probe = RouteCodec.unwrap(frame.frame());
                    RawXmppPeer client = clients.get(probe.streamId());
                    if (client == null) {
                        continue; // the probe routed for a session it had closed; a real CM cannot
                    }
                    client.send(probe.asString());
                    RoutedStanza ours = RouteCodec.unwrap(openfire.nextFrame());
                    assertThat(ours.streamId()).isEqualTo(probe.streamId());
                    assertSameMeaning(ours.asString(), probe.asString(), XmlTrees.CLIENT_SCOPE);
                }
            }
            return chunk.asString().contains("</stream:stream>");
        }

        /** Checks that what Openfire sent reached the right client, as Openfire meant it. */
        private void serverSent(Frame frame) throws Exception {
            if (!frame.localName().equals("route")) {
                return;
            }
            String sid = frame.attribute("streamid");
            RawXmppPeer client = clients.get(sid);
            if (client == null) {
                return;
            }
            if ("error".equals(frame.attribute("type"))) {
                // Openfire no longer has this session (kicked, 08): our CM must not leave the client hanging.
                StanzaFrame error = client.nextFrame();
                assertThat(error.is("error", Namespaces.STREAMS)).as(error.asString()).isTrue();
                assertThat(client.awaitClose()).isTrue();
                clients.remove(sid).close();
                return;
            }
            RoutedStanza routed = RouteCodec.unwrap(frame.frame());
            StanzaFrame received = client.nextFrame();
            assertSameMeaning(received.asString(), routed.asString(), XmlTrees.CLIENT_SCOPE);
            if (routed.isSaslSuccess()) {
                client.restart();
                client.send(clientHeader());
                client.nextOpen();
                assertThat(client.nextFrame().asString()).contains("urn:ietf:params:xml:ns:xmpp-bind");
            } else if (routed.isStreamError()) {
                assertThat(client.awaitClose()).isTrue();
                clients.remove(sid).close();
            }
        }

        private void openClient(String sid) throws Exception {
            started.get(10, TimeUnit.SECONDS); // the client port opens once the link is ready
            RawXmppPeer client = RawXmppPeer.connect(cm.clientPort());
            client.send(clientHeader());
            assertThat(client.nextOpen().attribute("id")).isEqualTo(sid);
            assertThat(client.nextFrame().localName()).isEqualTo("features");
            clients.put(sid, client);
        }

        private static String clientHeader() {
            return "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'"
                    + " to='example.test' version='1.0'>";
        }

        private static void assertSession(StanzaFrame ours, String sid, String action) {
            Element iq = XmlTrees.parse(ours.bytes(), XmlTrees.LINK_SCOPE);
            Element session = iq.element(QName.get("session", Namespaces.CM_PROTOCOL));
            assertThat(session).as(ours.asString()).isNotNull();
            assertThat(session.attributeValue("id")).isEqualTo(sid);
            assertThat(session.element(QName.get(action, Namespaces.CM_PROTOCOL))).as(ours.asString()).isNotNull();
        }

        private static Element sessionChild(Frame frame) {
            if (!frame.localName().equals("iq")) {
                return null;
            }
            return frame.element().element(QName.get("session", Namespaces.CM_PROTOCOL));
        }

        private static void assertSameMeaning(String actual, String expected, Map<String, String> scope) {
            assertThat(XmlTrees.canonical(actual, scope)).isEqualTo(XmlTrees.canonical(expected, scope));
        }
    }
}
