package org.xmppcm.cm;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.xmppcm.protocol.xml.StanzaFrame;

/**
 * A route from the server carries one stanza. One with two is dropped whole and logged at WARN: the client gets
 * neither stanza (stock Openfire's engine would deliver the first and lose the second, 06a (16)), the link stays
 * up, and the server gets no error route back, which stock Openfire would not understand.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RouteWithSeveralStanzasTest extends FakeOpenfireTestBase {
    private final List<LogEvent> warnings = new CopyOnWriteArrayList<>();
    private final AbstractAppender recorder = new AbstractAppender("route-warnings", null, null, true, Property.EMPTY_ARRAY) {
        @Override
        public void append(LogEvent event) {
            warnings.add(event.toImmutable());
        }
    };
    private final LoggerContext logging = (LoggerContext) LogManager.getContext(false);

    @BeforeEach
    void recordWarnings() {
        recorder.start();
        logging.getConfiguration().getRootLogger().addAppender(recorder, Level.WARN, null);
        logging.updateLoggers();
    }

    @AfterEach
    void stopRecording() {
        logging.getConfiguration().getRootLogger().removeAppender(recorder.getName());
        logging.updateLoggers();
        recorder.stop();
    }

    @Test
    void aRouteWithTwoStanzasReachesTheClientWithNeitherAndIsNotAnsweredOnTheLink() throws Exception {
        cm = new ConnectionManager(openfire.settings(l -> l));
        CompletableFuture<Void> started = CompletableFuture.runAsync(() -> {
            try {
                cm.start();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        FakeOpenfire.Link link = openfire.acceptLink(FakeOpenfire.STOCK_CONFIGURATION);
        closeables.add(link);
        started.get(10, TimeUnit.SECONDS);
        RawXmppPeer client = FakeOpenfire.client(cm);
        closeables.add(client);
        String sid = link.expectCreate();

        link.send("<route streamid=\"" + sid + "\" from=\"example.test\" to=\"cmtest\"><message type=\"chat\" id=\"two-1\""
                + " to=\"alice@example.test/cm\"><body>first</body></message><message type=\"chat\" id=\"two-2\""
                + " to=\"alice@example.test/cm\"><body>second</body></message></route>");
        link.send("<route streamid=\"" + sid + "\" from=\"example.test\" to=\"cmtest\"><message type=\"chat\" id=\"one\""
                + " to=\"alice@example.test/cm\"><body>alone</body></message></route>");

        StanzaFrame delivered = client.nextFrame();
        assertThat(delivered.attribute("id")).as(delivered.asString()).isEqualTo("one");
        assertThat(client.pollFrame(300)).as("nothing more for the client").isNull();
        assertThat(warnings).as("a WARN names the refused route").anySatisfy(e -> {
            assertThat(e.getLevel()).isEqualTo(Level.WARN);
            assertThat(e.getMessage().getFormattedMessage()).contains(sid, "two-2");
        });

        // The link is up and the session with it: the client's stanzas still go through, and nothing came before.
        client.send("<message to='bob@example.test' type='chat'><body>still here</body></message>");
        assertThat(link.expectRoute().asString()).contains("still here");
        assertThat(cm.readyLinkCount()).isEqualTo(1);
    }
}
