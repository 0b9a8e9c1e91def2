package org.xmppcm.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.session.DummySession;
import org.apache.mina.core.session.IoEvent;
import org.apache.mina.core.session.IoEventType;
import org.junit.jupiter.api.Test;
import org.xmppcm.protocol.xml.StanzaFrame;

/** A session's executor backlog pauses its reads instead of growing without bound or blocking the I/O thread. */
class ReadPauseTest {
    private final DummySession session = new DummySession();
    private final ReadPause pause = new ReadPause(1000);

    private IoEvent received(int bytes) {
        return new IoEvent(IoEventType.MESSAGE_RECEIVED, session, IoBuffer.allocate(bytes));
    }

    private IoEvent frame(int bytes) {
        StanzaFrame frame = new StanzaFrame(new byte[bytes], "", "message", "jabber:client", Map.of(), false, Set.of(),
                bytes, bytes);
        return new IoEvent(IoEventType.MESSAGE_RECEIVED, session, frame);
    }

    @Test
    void readsPauseAboveTheLimitAndResumeAtHalfOfIt() {
        IoEvent first = received(600);
        IoEvent second = received(600);
        pause.offered(null, first);
        assertThat(session.isReadSuspended()).isFalse();
        pause.offered(null, second);
        assertThat(session.isReadSuspended()).as("1200 bytes queued").isTrue();

        pause.polled(null, first);
        assertThat(session.isReadSuspended()).as("600 still queued, above half").isTrue();
        pause.polled(null, second);
        assertThat(session.isReadSuspended()).isFalse();
        assertThat(pause.queuedBytes(session)).isZero();
    }

    @Test
    void decodedFramesCountWithTheirBytes() {
        IoEvent first = frame(700);
        IoEvent second = frame(400);
        pause.offered(null, first);
        pause.offered(null, second);
        assertThat(pause.queuedBytes(session)).isEqualTo(1100);
        assertThat(session.isReadSuspended()).isTrue();
        pause.polled(null, first);
        assertThat(session.isReadSuspended()).as("400 queued, under half").isFalse();
    }

    @Test
    void eventsWithoutReceivedBytesCountForNothing() {
        for (int i = 0; i < 10_000; i++) {
            pause.offered(null, new IoEvent(IoEventType.SESSION_IDLE, session, null));
            pause.offered(null, new IoEvent(IoEventType.MESSAGE_RECEIVED, session, "text"));
        }
        assertThat(session.isReadSuspended()).isFalse();
        assertThat(pause.queuedBytes(session)).isZero();
    }

    @Test
    void anEventPolledBeforeItsOfferWasCountedLeavesTheCountRight() {
        // The executor can run an event before offered() is called for it.
        IoEvent big = received(1500);
        pause.polled(null, big);
        pause.offered(null, big);
        assertThat(pause.queuedBytes(session)).isZero();
        IoEvent next = received(900);
        pause.offered(null, next);
        assertThat(session.isReadSuspended()).isFalse();
    }

    @Test
    void eachInstanceKeepsItsOwnCount() {
        ReadPause other = new ReadPause(1000);
        pause.offered(null, received(800));
        other.offered(null, received(800));
        assertThat(pause.queuedBytes(session)).isEqualTo(800);
        assertThat(other.queuedBytes(session)).isEqualTo(800);
        assertThat(session.isReadSuspended()).isFalse();
    }

    @Test
    void theBoundMustBePositive() {
        assertThatThrownBy(() -> new ReadPause(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
