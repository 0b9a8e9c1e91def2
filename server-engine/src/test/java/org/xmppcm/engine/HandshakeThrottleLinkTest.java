package org.xmppcm.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.dom4j.Element;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.xmppcm.protocol.cm.Handshake;
import org.xmppcm.protocol.cm.Namespaces;
import org.xmppcm.engine.testing.CmTestClient;

/** The handshake throttle through the real listener, over loopback sockets. */
class HandshakeThrottleLinkTest extends EngineTestBase {
    private final AtomicLong clock = new AtomicLong();
    private final Recorder warnings = new Recorder();
    private final Logger negotiatorLog = (Logger) LogManager.getLogger(LinkNegotiator.class);

    /** Keeps the WARN lines of {@link LinkNegotiator}, to count them. */
    private static final class Recorder extends AbstractAppender {
        final List<String> lines = new CopyOnWriteArrayList<>();

        Recorder() {
            super("handshake-warnings", null, null, true, Property.EMPTY_ARRAY);
        }

        @Override
        public void append(LogEvent event) {
            if (event.getLevel().isMoreSpecificThan(Level.WARN)) {
                lines.add(event.getMessage().getFormattedMessage());
            }
        }
    }

    @AfterEach
    void detachRecorder() {
        negotiatorLog.removeAppender(warnings);
        warnings.stop();
    }

    @Test
    void fiveWrongDigestsBlockTheAddressEvenForTheRightSecretWhileOthersGetIn() throws Exception {
        restartEngine(LinkLimits.DEFAULT, clock::get);
        warnings.start();
        negotiatorLog.addAppender(warnings);

        for (int i = 0; i < 5; i++) {
            CmTestClient guess = connect();
            guess.open(CONN1);
            guess.send("<handshake>" + Handshake.digest(guess.streamId(), "guess-" + i) + "</handshake>");
            guess.expectStreamErrorAndClose("not-authorized");
        }

        // The right secret, yet refused: while blocked the digest is not even looked at.
        for (int i = 0; i < 3; i++) {
            CmTestClient blocked = connect();
            blocked.open(CONN1);
            blocked.send("<handshake>" + Handshake.digest(blocked.streamId(), FakeHost.SECRET) + "</handshake>");
            expectThrottled(blocked);
        }

        // Another host (another source address) is not affected.
        CmTestClient other = connectFrom(otherLoopbackAddress());
        other.authenticate(CONN2, FakeHost.SECRET);
        assertLinkAnswers(other);

        // Nor is another, correctly configured manager on the blocked host.
        CmTestClient neighbour = connect();
        neighbour.authenticate("othercm/conn1", "other");
        assertLinkAnswers(neighbour);

        // The first failure and the start of the block, nothing per attempt.
        assertThat(warnings.lines).hasSize(2);
        assertThat(warnings.lines.get(0)).contains("127.0.0.1").contains(FakeHost.MANAGER);
        assertThat(warnings.lines.get(1))
                .isEqualTo("5 failed handshakes from 127.0.0.1 for manager cmtest; refusing that manager from there for"
                        + " 60 seconds");

        // Once the block is over the address may authenticate again.
        clock.addAndGet(Duration.ofSeconds(60).toNanos());
        assertLinkAnswers(authenticatedLink(CONN1));
    }

    @Test
    void probingForManagerNamesLogsOnlyTheFirstAndTheBlockAndLocksOutNoRealManager() throws Exception {
        restartEngine(LinkLimits.DEFAULT, clock::get);
        warnings.start();
        negotiatorLog.addAppender(warnings);

        for (int i = 0; i < 5; i++) {
            CmTestClient probe = connect();
            probe.open("probe" + i + "/conn1");
            probe.expectStreamErrorAndClose("host-unknown");
        }
        // More probes stay refused, now without a warning each.
        CmTestClient probe = connect();
        probe.open("probe5/conn1");
        probe.expectStreamErrorAndClose("host-unknown");
        // A real manager with its right secret still gets in from that address.
        assertLinkAnswers(authenticatedLink(CONN1));

        assertThat(warnings.lines).hasSize(2);
        assertThat(warnings.lines.get(0)).contains("probe0/conn1").contains("no connection manager of that name");
        assertThat(warnings.lines.get(1)).startsWith("5 attempts from 127.0.0.1 for unknown managers (last"
                + " probe4/conn1)");
    }

    @Test
    void aSuccessfulHandshakeClearsTheCount() throws Exception {
        restartEngine(LinkLimits.DEFAULT, clock::get);
        for (int i = 0; i < 4; i++) {
            wrongDigest();
        }
        authenticatedLink(CONN1);
        for (int i = 0; i < 4; i++) {
            wrongDigest();
        }
        assertLinkAnswers(authenticatedLink(CONN2));
    }

    private void wrongDigest() throws IOException {
        CmTestClient guess = connect();
        guess.open(CONN2);
        guess.send("<handshake>" + Handshake.digest(guess.streamId(), "wrong") + "</handshake>");
        guess.expectStreamErrorAndClose("not-authorized");
    }

    private static void expectThrottled(CmTestClient link) throws IOException {
        Element error = link.next();
        assertThat(error.getName()).as(error.asXML()).isEqualTo("error");
        assertThat(childIn(error, Namespaces.STREAM_ERRORS)).as(error.asXML()).isEqualTo("policy-violation");
        assertThat(error.element("text").getText()).contains("throttled");
        link.expectStreamEndAndEof();
    }

    /** 127.0.0.2: on Linux all of 127/8 is loopback; elsewhere it needs an alias, so the test is skipped. */
    private static InetAddress otherLoopbackAddress() throws IOException {
        InetAddress address = InetAddress.getByName("127.0.0.2");
        try (java.net.Socket probe = new java.net.Socket()) {
            probe.bind(new java.net.InetSocketAddress(address, 0));
        } catch (BindException e) {
            Assumptions.abort("127.0.0.2 is not a local address here");
        }
        return address;
    }
}
