package org.xmppcm.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.session.DummySession;
import org.apache.mina.core.session.IoEvent;
import org.apache.mina.core.session.IoEventType;
import org.junit.jupiter.api.Test;

/** The hand-off queue of a TLS link pauses the link's reads instead of growing without bound. */
class ReadPauseTest {
    private final DummySession session = new DummySession();
    private final LinkLayers.ReadPause pause = new LinkLayers.ReadPause(1000);

    private IoEvent received(int bytes) {
        return new IoEvent(IoEventType.MESSAGE_RECEIVED, session, IoBuffer.allocate(bytes));
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
    }

    @Test
    void eventsWithoutBytesCountForNothing() {
        for (int i = 0; i < 10_000; i++) {
            pause.offered(null, new IoEvent(IoEventType.SESSION_IDLE, session, null));
        }
        assertThat(session.isReadSuspended()).isFalse();
    }
}
