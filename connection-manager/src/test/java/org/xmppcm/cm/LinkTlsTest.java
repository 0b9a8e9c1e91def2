package org.xmppcm.cm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.xmppcm.cm.limits.ClientLimits;
import org.xmppcm.cm.link.LinkSettings;
import org.xmppcm.cm.link.LinkTls;
import org.xmppcm.protocol.cm.Handshake;

/**
 * Verifies STARTTLS on the CM's link: the secret travels only inside TLS, and only to a server
 * whose certificate the trust store or a pinned fingerprint vouches for.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LinkTlsTest {
    private static final Path MATERIAL = LinkTlsMaterial.DIR;
    private static final String CONFIGURATION = "<iq type=\"set\" id=\"c1\"><configuration xmlns=\"http://jabber.org/protocol/connectionmanager\">"
            + "<mechanisms xmlns=\"urn:ietf:params:xml:ns:xmpp-sasl\"><mechanism>PLAIN</mechanism></mechanisms></configuration></iq>";

    private ServerSocket listener;
    private ConnectionManager cm;
    private CompletableFuture<Void> started;
    private Socket serverSide;

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

    private void startCm(LinkTls tls) {
        cm = new ConnectionManager(new CmSettings(new InetSocketAddress("127.0.0.1", 0), "cmtest", "s3cret",
                "example.test", CmSettings.DEFAULT_MAX_STANZA_BYTES,
                LinkSettings.to(new InetSocketAddress("127.0.0.1", listener.getLocalPort())).withCount(1).withTls(tls),
                ClientLimits.DEFAULTS, null));
        started = CompletableFuture.runAsync(() -> {
            try {
                cm.start();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static LinkTls trusting(Path store) {
        return new LinkTls(true, store, "changeit", "localhost", List.of());
    }

    @Test
    void aServerTheTrustStoreVouchesForCarriesTheLinkAndTheSecretGoesInsideTls() throws Exception {
        startCm(trusting(MATERIAL.resolve("trust.p12")));
        serveOverTls("server.p12", true);
        started.get(10, TimeUnit.SECONDS);
        assertThat(cm.readyLinkCount()).isEqualTo(1);
    }

    @Test
    void aServerTheTrustStoreDoesNotKnowIsRefused() throws Exception {
        startCm(trusting(MATERIAL.resolve("trust.p12")));
        assertThatThrownBy(() -> serveOverTls("other.p12", false)).isInstanceOf(java.io.IOException.class); // an alert, or the CM hanging up first
        assertThat(cm.readyLinkCount()).isZero();
    }

    @Test
    void aPinnedFingerprintIsEnoughWithoutATrustStore() throws Exception {
        startCm(new LinkTls(true, null, null, null, List.of(fingerprint("server.p12"))));
        serveOverTls("server.p12", true);
        started.get(10, TimeUnit.SECONDS);
        assertThat(cm.readyLinkCount()).isEqualTo(1);
    }

    @Test
    void aCertificateWithAnotherFingerprintIsRefusedEvenIfTheTrustStoreKnowsIt() throws Exception {
        startCm(new LinkTls(true, MATERIAL.resolve("trust.p12"), "changeit", "localhost", List.of(fingerprint("other.p12"))));
        assertThatThrownBy(() -> serveOverTls("server.p12", false)).isInstanceOf(java.io.IOException.class); // an alert, or the CM hanging up first
        assertThat(cm.readyLinkCount()).isZero();
    }

    @Test
    void aServerThatDoesNotOfferStartTlsNeverSeesTheSecret() throws Exception {
        startCm(trusting(MATERIAL.resolve("trust.p12")));
        try (Socket raw = listener.accept()) {
            InputStream in = raw.getInputStream();
            RawXmppPeer.readUntil(in, "version='1.0'>");
            send(raw.getOutputStream(), header("plain1") + "<stream:features/>");
            String rest = readToEnd(in);
            assertThat(rest).doesNotContain("<handshake").contains("policy-violation");
        }
        assertThat(cm.readyLinkCount()).isZero();
    }

    /** Plays the server: plain header with STARTTLS, then TLS with {@code keyStore}, then the usual link setup. */
    private void serveOverTls(String keyStore, boolean expectHandshake) throws Exception {
        // Kept open until the test ends: the link must still be up when the test looks at it.
        serverSide = listener.accept();
        Socket raw = serverSide;
        InputStream in = raw.getInputStream();
        OutputStream out = raw.getOutputStream();
        RawXmppPeer.readUntil(in, "version='1.0'>");
        send(out, header("plain1") + "<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/></stream:features>");
        assertThat(RawXmppPeer.readUntil(in, "/>")).contains("<starttls").doesNotContain("<handshake");
        send(out, "<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");

        SSLSocket tls = (SSLSocket) LinkTlsMaterial.serverContext(keyStore).getSocketFactory().createSocket(raw, null, raw.getPort(), false);
        tls.setUseClientMode(false);
        tls.startHandshake();
        tls.getInputStream().read(new byte[0]);
        InputStream secureIn = tls.getInputStream();
        OutputStream secureOut = tls.getOutputStream();
        RawXmppPeer.readUntil(secureIn, "version='1.0'>");
        send(secureOut, header("secure1") + "<stream:features/>");
        String handshake = RawXmppPeer.readUntil(secureIn, "</handshake>");
        assertThat(handshake).contains("<handshake>" + Handshake.digest("secure1", "s3cret") + "</handshake>");
        send(secureOut, "<handshake></handshake>" + CONFIGURATION);
        assertThat(RawXmppPeer.readUntil(secureIn, "/>")).contains("type='result'");
        if (!expectHandshake) {
            throw new AssertionError("the link was expected to fail");
        }
        started.get(10, TimeUnit.SECONDS);
    }


    private static String fingerprint(String keyStore) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = java.nio.file.Files.newInputStream(MATERIAL.resolve(keyStore))) {
            store.load(in, LinkTlsMaterial.PASSWORD);
        }
        byte[] der = store.getCertificate(store.aliases().nextElement()).getEncoded();
        return HexFormat.ofDelimiter(":").withUpperCase().formatHex(MessageDigest.getInstance("SHA-256").digest(der));
    }

    private static String header(String id) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><stream:stream xmlns:stream=\"http://etherx.jabber.org/streams\""
                + " xmlns=\"jabber:connectionmanager\" version=\"1.0\" from=\"cmtest/conn1\" id=\"" + id + "\">";
    }

    private static void send(OutputStream out, String text) throws Exception {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }


    private static String readToEnd(InputStream in) throws Exception {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
}
