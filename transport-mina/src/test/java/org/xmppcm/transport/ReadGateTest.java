package org.xmppcm.transport;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.mina.core.session.DummySession;
import org.junit.jupiter.api.Test;

/** Independent reasons to pause a session's reads: reads resume only when the last one is withdrawn. */
class ReadGateTest {
    private final DummySession session = new DummySession();
    private final Object backlog = new Object();
    private final Object slowHost = new Object();

    @Test
    void readsResumeOnlyWhenEveryReasonIsWithdrawn() {
        ReadGate.pause(session, backlog);
        ReadGate.pause(session, slowHost);
        assertThat(session.isReadSuspended()).isTrue();

        ReadGate.resume(session, backlog);
        assertThat(session.isReadSuspended()).as("the slow host still holds it").isTrue();
        assertThat(ReadGate.isPausedBy(session, slowHost)).isTrue();

        ReadGate.resume(session, slowHost);
        assertThat(session.isReadSuspended()).isFalse();
        assertThat(ReadGate.isPaused(session)).isFalse();
    }

    @Test
    void pausingTwiceForOneReasonCountsOnceAndAStrangerCannotResume() {
        ReadGate.pause(session, backlog);
        ReadGate.pause(session, backlog);
        ReadGate.resume(session, slowHost); // never paused: changes nothing
        assertThat(session.isReadSuspended()).isTrue();
        ReadGate.resume(session, backlog);
        assertThat(session.isReadSuspended()).isFalse();
    }

    @Test
    void aReadPauseDoesNotResumeWhatAnotherReasonPaused() {
        ReadPause pause = new ReadPause(100);
        ReadGate.pause(session, slowHost);
        var event = new org.apache.mina.core.session.IoEvent(org.apache.mina.core.session.IoEventType.MESSAGE_RECEIVED,
                session, org.apache.mina.core.buffer.IoBuffer.allocate(200));
        pause.offered(null, event);
        pause.polled(null, event);
        assertThat(session.isReadSuspended()).as("the executor drained, the host did not").isTrue();
    }
}
