package org.xmppcm.cm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the CM answers for a stanza the server routes to a client it no longer has: only a deliverable message
 * goes back in {@code <failed>} (the JEP); an error message is never answered nor stored (RFC 6120 8.3.1).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DepartedClientBounceTest extends FakeOpenfireTestBase {

    @Test
    void anErrorMessageForADepartedClientIsNotReportedFailedWhileAChatMessageIs() throws Exception {
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

        // Routes on one link are handled in order: a <failed> for the error message would come first.
        link.send("<route streamid=\"gone1\" from=\"example.test\" to=\"cmtest\"><message type=\"error\" id=\"e1\""
                + " to=\"alice@example.test/x\" from=\"bob@example.test/y\"><body>bounced</body><error code=\"503\""
                + " type=\"cancel\"><service-unavailable xmlns=\"urn:ietf:params:xml:ns:xmpp-stanzas\"/></error></message></route>");
        link.send("<route streamid=\"gone1\" from=\"example.test\" to=\"cmtest\"><presence from=\"bob@example.test/y\""
                + " to=\"alice@example.test/x\"/></route>");
        link.send("<route streamid=\"gone1\" from=\"example.test\" to=\"cmtest\"><message type=\"chat\" id=\"c1\""
                + " to=\"alice@example.test/x\" from=\"bob@example.test/y\"><body>too late</body></message></route>");

        String failed = link.next().asString();
        assertThat(failed).contains("<failed>", "id='gone1'", "too late").doesNotContain("bounced", "type=\"error\"");
        assertThat(link.peer().pollFrame(500)).as("nothing else on the link").isNull();
    }
}
