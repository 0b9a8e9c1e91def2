package org.xmppcm.cm.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.xmppcm.cm.Main;

/** Main.Shutdown with a fake halt: when a stop is forced, and with which status. */
class ShutdownWatchdogTest {
    private final CompletableFuture<Integer> halted = new CompletableFuture<>();

    private Main.Shutdown shutdown(Duration timeout) {
        return new Main.Shutdown(timeout, halted::complete, LoggerFactory.getLogger(ShutdownWatchdogTest.class));
    }

    @Test
    void firstSignalRequestsAGracefulStop() throws Exception {
        Main.Shutdown shutdown = shutdown(Duration.ofSeconds(30));
        shutdown.signal("SIGTERM", 15);
        CompletableFuture.runAsync(() -> {
            try {
                shutdown.awaitStopRequest();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }).get(5, TimeUnit.SECONDS);
        shutdown.finished();
        assertThat(halted).isNotDone();
    }

    @Test
    void secondSignalWhileStoppingHaltsWithItsStatus() throws Exception {
        Main.Shutdown shutdown = shutdown(Duration.ofSeconds(30));
        shutdown.signal("SIGINT", 2);
        shutdown.signal("SIGINT", 2);
        assertThat(halted.get(1, TimeUnit.SECONDS)).isEqualTo(130);
    }

    @Test
    void aStopThatOverrunsTheTimeoutIsHaltedWithStatus3() throws Exception {
        Main.Shutdown shutdown = shutdown(Duration.ofMillis(200));
        long start = System.nanoTime();
        shutdown.signal("SIGTERM", 15);
        assertThat(halted.get(5, TimeUnit.SECONDS)).isEqualTo(3);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
    }

    @Test
    void aStopThatFinishesInTimeIsNotHalted() throws Exception {
        Main.Shutdown shutdown = shutdown(Duration.ofMillis(300));
        shutdown.requestStop("test");
        shutdown.finished();
        shutdown.signal("SIGTERM", 15); // after the stop: nothing left to force
        assertThat(waitForHalt(Duration.ofMillis(600))).isNull();
    }

    @Test
    void aStopRequestAfterAFailedStartIsIgnored() throws Exception {
        Main.Shutdown shutdown = shutdown(Duration.ofMillis(100));
        shutdown.finished();
        shutdown.requestStop("JVM shutdown");
        assertThat(waitForHalt(Duration.ofMillis(400))).isNull();
    }

    private Integer waitForHalt(Duration wait) throws Exception {
        try {
            return halted.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return null;
        }
    }
}
