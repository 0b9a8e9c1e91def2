package org.xmppcm.cm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.xmppcm.protocol.cm.Namespaces;
import org.xmppcm.protocol.xml.StanzaFrame;

/**
 * Stopping a CM with live links: the links' last events are handled before their threads go, so nothing is
 * rejected (MINA logged those at WARN, the link handler at ERROR), and the shutdown still goes clients first,
 * then each link's session closes and its system-shutdown.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CmStopLoggingTest {
    private static final int ROUNDS = 8;

    private final Recorder log = new Recorder();
    private final LoggerContext context = (LoggerContext) LogManager.getContext(false);
    private FakeOpenfire openfire;

    /** Everything logged at WARN and above, by any logger (MINA's included). */
    private static final class Recorder extends AbstractAppender {
        final List<LogEvent> events = new CopyOnWriteArrayList<>();

        Recorder() {
            super("cm-stop-recorder", null, null, true, Property.EMPTY_ARRAY);
        }

        @Override
        public void append(LogEvent event) {
            events.add(event.toImmutable());
        }

        List<String> rejections() {
            List<String> found = new ArrayList<>();
            for (LogEvent event : events) {
                String text = event.getMessage().getFormattedMessage();
                for (Throwable t = event.getThrown(); t != null; t = t.getCause()) {
                    text += " | " + t;
                }
                if (text.contains("RejectedExecutionException")) {
                    found.add(event.getLevel() + " " + event.getLoggerName() + ": " + text);
                }
            }
            return found;
        }

        List<String> errors() {
            return events.stream().filter(e -> e.getLevel().isMoreSpecificThan(Level.ERROR))
                    .map(e -> e.getLoggerName() + ": " + e.getMessage().getFormattedMessage()).toList();
        }
    }

    @BeforeEach
    void record() throws Exception {
        openfire = new FakeOpenfire();
        log.start();
        context.getConfiguration().getRootLogger().addAppender(log, Level.WARN, null);
        context.updateLoggers();
    }

    @AfterEach
    void stopRecording() throws Exception {
        context.getConfiguration().getRootLogger().removeAppender(log.getName());
        context.updateLoggers();
        log.stop();
        openfire.close();
    }

    @Test
    void stoppingWithLiveLinksLogsNoRejectedEvent() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            ConnectionManager cm = new ConnectionManager(openfire.settings(l -> l.withCount(2)));
            CompletableFuture<Void> started = CompletableFuture.runAsync(() -> {
                try {
                    cm.start();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            try (FakeOpenfire.Link first = openfire.acceptLink(FakeOpenfire.STOCK_CONFIGURATION);
                 FakeOpenfire.Link second = openfire.acceptLink(FakeOpenfire.STOCK_CONFIGURATION)) {
                started.get(10, TimeUnit.SECONDS);
                try (RawXmppPeer client = FakeOpenfire.client(cm)) {
                    // The client's session is created on whichever link it is pinned to.
                    FakeOpenfire.Link pinned = null;
                    StanzaFrame create = null;
                    while (create == null) {
                        for (FakeOpenfire.Link link : List.of(first, second)) {
                            StanzaFrame frame = link.peer().pollFrame(20);
                            if (frame != null) {
                                create = frame;
                                pinned = link;
                            }
                        }
                    }
                    assertThat(create.asString()).contains("<create");

                    cm.stop();

                    StanzaFrame error = client.nextFrame();
                    assertThat(error.is("error", Namespaces.STREAMS)).as(error.asString()).isTrue();
                    assertThat(error.asString()).contains("system-shutdown");
                    assertThat(client.awaitClose()).isTrue();
                    assertThat(pinned.next().asString()).as("the session's close before the link's shutdown")
                            .contains("<close/>");
                    for (FakeOpenfire.Link link : List.of(first, second)) {
                        assertThat(link.next().asString()).contains("system-shutdown");
                        assertThat(link.peer().awaitClose()).isTrue();
                    }
                }
            }
        }
        assertThat(log.rejections()).isEmpty();
        assertThat(log.errors()).isEmpty();
    }

    @Test
    void aLinkTheServerDropsAsTheCmStopsLogsNoRejectedEvent() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            ConnectionManager cm = new ConnectionManager(openfire.settings(l -> l));
            CompletableFuture<Void> started = CompletableFuture.runAsync(() -> {
                try {
                    cm.start();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            FakeOpenfire.Link link = openfire.acceptLink(FakeOpenfire.STOCK_CONFIGURATION);
            started.get(10, TimeUnit.SECONDS);
            // Its close event races the stop: it used to start a grace period on timers already shut down.
            link.close();
            cm.stop();
        }
        assertThat(log.rejections()).isEmpty();
        assertThat(log.errors()).isEmpty();
    }
}
