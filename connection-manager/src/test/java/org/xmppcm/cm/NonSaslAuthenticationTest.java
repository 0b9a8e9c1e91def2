package org.xmppcm.cm;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.xmppcm.cm.limits.ClientLimits;
import org.xmppcm.protocol.cm.Namespaces;
import org.xmppcm.protocol.cm.RoutedStanza;
import org.xmppcm.protocol.xml.StanzaFrame;

/**
 * Non-SASL authentication (XEP-0078), offered when the server's configuration allows it: a client that logs in
 * with {@code jabber:iq:auth} is authenticated when the server's result to its auth IQ comes back (no stream
 * restart), so the authentication deadline no longer applies; one whose auth IQ got an error is not.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class NonSaslAuthenticationTest extends FakeOpenfireTestBase {
    private static final String CONFIGURATION_WITH_IQ_AUTH = FakeOpenfire.STOCK_CONFIGURATION
            .replace("</configuration>", "<auth xmlns=\"http://jabber.org/features/iq-auth\"/></configuration>");
    private static final Duration AUTH_TIMEOUT = Duration.ofSeconds(2);

    private FakeOpenfire.Link link;

    /** A CM with a 2 s authentication deadline (swept every second) and its one link. */
    private void start() throws Exception {
        cm = new ConnectionManager(openfire.settings(l -> l).withLimits(ClientLimits.DEFAULTS.withAuthTimeout(AUTH_TIMEOUT)));
        CompletableFuture<Void> started = CompletableFuture.runAsync(() -> {
            try {
                cm.start();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        link = openfire.acceptLink(CONFIGURATION_WITH_IQ_AUTH);
        closeables.add(link);
        started.get(10, TimeUnit.SECONDS);
    }

    /** A client offered iq-auth, which asks for the fields and sends its credentials; returns its stream id. */
    private String sendCredentials(RawXmppPeer client) throws Exception {
        client.send("<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'"
                + " to='example.test' version='1.0'>");
        client.nextOpen();
        assertThat(client.nextFrame().asString()).contains("<auth xmlns='" + Namespaces.IQ_AUTH_FEATURE + "'/>");
        String sid = link.expectCreate();

        client.send("<iq type='get' id='auth1'><query xmlns='jabber:iq:auth'><username>alice</username></query></iq>");
        assertThat(link.expectRoute().asString()).contains("id='auth1'");
        link.send("<route streamid=\"" + sid + "\" from=\"example.test\" to=\"cmtest\"><iq type=\"result\" id=\"auth1\">"
                + "<query xmlns=\"jabber:iq:auth\"><username>alice</username><password/><resource/></query></iq></route>");
        assertThat(client.nextFrame().attribute("id")).isEqualTo("auth1");

        client.send("<iq type='set' id='auth2'><query xmlns='jabber:iq:auth'><username>alice</username>"
                + "<password>alice</password><resource>legacy</resource></query></iq>");
        RoutedStanza credentials = link.expectRoute();
        assertThat(credentials.streamId()).isEqualTo(sid);
        assertThat(credentials.asString()).contains("id='auth2'", "<password>alice</password>");
        return sid;
    }

    @Test
    void aClientLoggedInWithIqAuthStaysConnectedPastTheAuthenticationDeadline() throws Exception {
        start();
        RawXmppPeer client = RawXmppPeer.connect(cm.clientPort());
        closeables.add(client);
        long connected = System.nanoTime();
        String sid = sendCredentials(client);
        link.send("<route streamid=\"" + sid + "\" from=\"example.test\" to=\"cmtest\"><iq type=\"result\" id=\"auth2\""
                + " to=\"alice@example.test/legacy\"/></route>");
        StanzaFrame result = client.nextFrame();
        assertThat(result.attribute("id")).isEqualTo("auth2");
        assertThat(result.attribute("type")).isEqualTo("result");

        long pastDeadline = AUTH_TIMEOUT.toMillis() + 2_500 - Duration.ofNanos(System.nanoTime() - connected).toMillis();
        assertThat(client.pollEvent(Math.max(pastDeadline, 1_000))).as("no stream error past the deadline, no close").isNull();

        client.send("<message to='bob@example.test' type='chat'><body>still here</body></message>");
        RoutedStanza message = link.expectRoute();
        assertThat(message.streamId()).as("no session close came first").isEqualTo(sid);
        assertThat(message.asString()).contains("still here");
        link.send("<route streamid=\"" + sid + "\" from=\"example.test\" to=\"cmtest\"><message type=\"chat\""
                + " to=\"alice@example.test/legacy\"><body>hello</body></message></route>");
        assertThat(client.nextFrame().asString()).contains("hello");
        assertThat(cm.clientCount()).isEqualTo(1);
    }

    @Test
    void aClientWhoseIqAuthGotAnErrorIsClosedAtTheAuthenticationDeadline() throws Exception {
        start();
        RawXmppPeer client = RawXmppPeer.connect(cm.clientPort());
        closeables.add(client);
        long connected = System.nanoTime();
        String sid = sendCredentials(client);
        link.send("<route streamid=\"" + sid + "\" from=\"example.test\" to=\"cmtest\"><iq type=\"error\" id=\"auth2\">"
                + "<query xmlns=\"jabber:iq:auth\"><username>alice</username><password>alice</password><resource>legacy"
                + "</resource></query><error code=\"401\" type=\"auth\"><not-authorized"
                + " xmlns=\"urn:ietf:params:xml:ns:xmpp-stanzas\"/></error></iq></route>");
        assertThat(client.nextFrame().attribute("type")).isEqualTo("error");

        StanzaFrame error = client.nextFrame();
        assertThat(error.is("error", Namespaces.STREAMS)).as(error.asString()).isTrue();
        assertThat(error.asString()).contains("<connection-timeout ");
        assertThat(client.awaitClose()).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - connected)).isGreaterThanOrEqualTo(AUTH_TIMEOUT.minusMillis(100));
        link.expectClose(sid);
    }
}
