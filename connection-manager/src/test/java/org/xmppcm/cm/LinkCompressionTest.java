package org.xmppcm.cm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.InflaterInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.xmppcm.cm.limits.ClientLimits;
import org.xmppcm.cm.link.LinkSettings;
import org.xmppcm.protocol.cm.Handshake;

/**
 * Verifies zlib on the CM's link (XEP-0138): asked for when {@code link.compression} is on and the
 * server offers it, before the handshake; otherwise, or when refused, the link stays plain.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LinkCompressionTest {
    private static final String CONFIGURATION = "<iq type=\"set\" id=\"c1\"><configuration xmlns=\"http://jabber.org/protocol/connectionmanager\">"
            + "<mechanisms xmlns=\"urn:ietf:params:xml:ns:xmpp-sasl\"><mechanism>PLAIN</mechanism></mechanisms></configuration></iq>";
    private static final String ZLIB_OFFER = "<stream:features><compression xmlns='http://jabber.org/features/compress'>"
            + "<method>zlib</method></compression></stream:features>";

    private ServerSocket listener;
    private Socket serverSide;
    private ConnectionManager cm;
    private CompletableFuture<Void> started;

    @BeforeEach
    void listen() throws Exception {
        listener = new ServerSocket(0);
    }

    @AfterEach
    void stop() throws Exception {
        if (cm != null) {
            cm.stop();
        }
        if (serverSide != null) {
            serverSide.close();
        }
        listener.close();
    }

    private void startCm(boolean compression) throws Exception {
        cm = new ConnectionManager(new CmSettings(new InetSocketAddress("127.0.0.1", 0), "cmtest", "s3cret",
                "example.test", CmSettings.DEFAULT_MAX_STANZA_BYTES,
                LinkSettings.to(new InetSocketAddress("127.0.0.1", listener.getLocalPort())).withCount(1)
                        .withCompression(compression),
                ClientLimits.DEFAULTS, null));
        started = CompletableFuture.runAsync(() -> {
            try {
                cm.start();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        serverSide = listener.accept();
    }

    @Test
    void theLinkRunsZlibWhenTheServerOffersItAndTheHandshakeGoesInsideIt() throws Exception {
        startCm(true);
        InputStream in = serverSide.getInputStream();
        OutputStream out = serverSide.getOutputStream();
        RawXmppPeer.readUntil(in, "version='1.0'>");
        send(out, header("plain1") + ZLIB_OFFER);
        assertThat(RawXmppPeer.readUntil(in, "</compress>")).contains("<method>zlib</method>").doesNotContain("<handshake");
        send(out, "<compressed xmlns='http://jabber.org/protocol/compress'/>");

        InputStream zin = new InflaterInputStream(in);
        OutputStream zout = new DeflaterOutputStream(out, true);
        RawXmppPeer.readUntil(zin, "version='1.0'>");
        send(zout, header("zipped1") + "<stream:features/>");
        assertThat(RawXmppPeer.readUntil(zin, "</handshake>")).contains(Handshake.digest("zipped1", "s3cret"));
        send(zout, "<handshake></handshake>" + CONFIGURATION);
        assertThat(RawXmppPeer.readUntil(zin, "/>")).contains("type='result'");
        started.get(10, TimeUnit.SECONDS);

        try (RawXmppPeer client = FakeOpenfire.client(cm)) {
            assertThat(RawXmppPeer.readUntil(zin, "</iq>")).as("a session create, compressed").contains("<create");
        }
    }

    @Test
    void withoutAnOfferTheLinkStaysPlain() throws Exception {
        startCm(true);
        InputStream in = serverSide.getInputStream();
        RawXmppPeer.readUntil(in, "version='1.0'>");
        send(serverSide.getOutputStream(), header("plain2") + "<stream:features/>");
        assertThat(RawXmppPeer.readUntil(in, "</handshake>")).contains(Handshake.digest("plain2", "s3cret"));
    }

    @Test
    void aRefusedCompressionLeavesTheLinkPlain() throws Exception {
        startCm(true);
        InputStream in = serverSide.getInputStream();
        OutputStream out = serverSide.getOutputStream();
        RawXmppPeer.readUntil(in, "version='1.0'>");
        send(out, header("plain3") + ZLIB_OFFER);
        RawXmppPeer.readUntil(in, "</compress>");
        send(out, "<failure xmlns='http://jabber.org/protocol/compress'><setup-failed/></failure>");
        assertThat(RawXmppPeer.readUntil(in, "</handshake>")).contains(Handshake.digest("plain3", "s3cret"));
    }

    @Test
    void compressionIsNotAskedForWhenItIsOff() throws Exception {
        startCm(false);
        InputStream in = serverSide.getInputStream();
        RawXmppPeer.readUntil(in, "version='1.0'>");
        send(serverSide.getOutputStream(), header("plain4") + ZLIB_OFFER);
        assertThat(RawXmppPeer.readUntil(in, "</handshake>")).doesNotContain("<compress").contains(Handshake.digest("plain4", "s3cret"));
    }

    private static String header(String id) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><stream:stream xmlns:stream=\"http://etherx.jabber.org/streams\""
                + " xmlns=\"jabber:connectionmanager\" version=\"1.0\" from=\"cmtest/conn1\" id=\"" + id + "\">";
    }

    private static void send(OutputStream out, String text) throws Exception {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

}
