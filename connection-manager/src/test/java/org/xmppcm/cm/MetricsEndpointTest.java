package org.xmppcm.cm;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.xmppcm.cm.metrics.MetricsEndpoint;

/** Verifies what an operator's Prometheus scrape and JMX console see of a running CM. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MetricsEndpointTest {
    private DemoMode demo;
    private MetricsEndpoint endpoint;

    @BeforeEach
    void start() throws Exception {
        demo = DemoMode.start(0);
        endpoint = demo.connectionManager().publishMetrics(new InetSocketAddress("127.0.0.1", 0));
        // The CM opens its client port once one link is ready; the numbers below count both.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (demo.connectionManager().readyLinkCount() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    @AfterEach
    void stop() {
        demo.stop();
    }

    private String scrape() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.httpPort() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/plain; version=0.0.4"));
        return response.body();
    }

    @Test
    void aScrapeShowsClientsLinksStanzasBytesAndStreamErrors() throws Exception {
        try (RawXmppPeer client = RawXmppPeer.connect(demo.connectionManager().clientPort())) {
            client.send("<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'"
                    + " to='localhost' version='1.0'>");
            client.nextOpen();
            client.nextFrame();
            client.send("<iq type='get' id='r1'><query xmlns='jabber:iq:roster'/></iq>");
            client.nextFrame();

            String text = scrape();
            assertThat(text).contains("# TYPE xmppcm_clients_connected gauge\nxmppcm_clients_connected 1\n",
                    "xmppcm_links_ready 2\n", "xmppcm_links_configured 2\n", "xmppcm_clients_accepted_total 1\n",
                    "xmppcm_stanzas_from_clients_total 1\n", "xmppcm_stanzas_to_clients_total 1\n");
            assertThat(value(text, "xmppcm_client_bytes_read_total")).isGreaterThan(100);
            assertThat(value(text, "xmppcm_link_bytes_written_total")).isGreaterThan(100);
        }
    }

    @Test
    void streamErrorsSentAreCountedByCondition() throws Exception {
        try (RawXmppPeer client = RawXmppPeer.connect(demo.connectionManager().clientPort())) {
            client.send("<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'"
                    + " to='elsewhere.example' version='1.0'>");
            client.nextOpen();
            client.nextFrame();
            client.awaitClose();
        }
        assertThat(scrape()).contains("xmppcm_stream_errors_sent_total{condition=\"host-unknown\"} 1\n");
    }

    @Test
    void theSameNumbersAreReadableOverJmx() throws Exception {
        ObjectName name = new ObjectName(MetricsEndpoint.OBJECT_NAME);
        var mbeans = ManagementFactory.getPlatformMBeanServer();
        assertThat(mbeans.getAttribute(name, "LinksReady")).isEqualTo(2);
        assertThat(mbeans.getAttribute(name, "ClientsConnected")).isEqualTo(0);
    }

    @Test
    void onlyGetIsServed() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.httpPort() + "/metrics"))
                        .POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(405);
    }

    private static long value(String text, String metric) {
        for (String line : text.split("\n")) {
            if (line.startsWith(metric + " ")) {
                return Long.parseLong(line.substring(metric.length() + 1).trim());
            }
        }
        throw new AssertionError(metric + " missing from\n" + text);
    }
}
