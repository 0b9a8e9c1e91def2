package org.xmppcm.cm.metrics;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes {@link CmMetrics}: as an MXBean, and as Prometheus text on {@code GET /metrics}.
 * The HTTP side is the JDK's small server on one thread: a scrape every few seconds needs no more,
 * and it is kept off the I/O threads that carry clients.
 */
public final class MetricsEndpoint implements AutoCloseable {
    public static final String OBJECT_NAME = "org.xmppcm:type=ConnectionManager";
    private static final Logger LOG = LoggerFactory.getLogger(MetricsEndpoint.class);

    private final HttpServer http;
    private final ObjectName name;

    private MetricsEndpoint(HttpServer http, ObjectName name) {
        this.http = http;
        this.name = name;
    }

    /**
     * Registers the MXBean and, when {@code httpAddress} is not null, serves {@code /metrics} there.
     */
    public static MetricsEndpoint start(CmMetrics metrics, InetSocketAddress httpAddress) throws IOException {
        ObjectName objectName = register(metrics);
        HttpServer server = null;
        if (httpAddress != null) {
            server = HttpServer.create(httpAddress, 16);
            server.setExecutor(Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "cm-metrics-http");
                t.setDaemon(true);
                return t;
            }));
            server.createContext("/metrics", exchange -> {
                try (exchange) {
                    if (!exchange.getRequestMethod().equals("GET")) {
                        exchange.sendResponseHeaders(405, -1);
                        return;
                    }
                    byte[] body = PrometheusText.render(metrics).getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
                    exchange.sendResponseHeaders(200, body.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(body);
                    }
                }
            });
            server.start();
            LOG.info("Metrics at http://{}:{}/metrics", httpAddress.getHostString(), server.getAddress().getPort());
        }
        return new MetricsEndpoint(server, objectName);
    }

    private static ObjectName register(CmMetrics metrics) {
        MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();
        try {
            ObjectName objectName = new ObjectName(OBJECT_NAME);
            if (mbeans.isRegistered(objectName)) {
                // Several CMs in one JVM (tests): the first keeps the name, the others still serve HTTP.
                return null;
            }
            mbeans.registerMBean(metrics, objectName);
            return objectName;
        } catch (JMException e) {
            LOG.warn("Could not register the JMX bean: {}", e.toString());
            return null;
        }
    }

    /** The bound HTTP port, or -1 when HTTP is off. */
    public int httpPort() {
        return http == null ? -1 : http.getAddress().getPort();
    }

    @Override
    public void close() {
        if (http != null) {
            http.stop(0);
            ((java.util.concurrent.ExecutorService) http.getExecutor()).shutdownNow();
        }
        if (name != null) {
            try {
                ManagementFactory.getPlatformMBeanServer().unregisterMBean(name);
            } catch (JMException e) {
                LOG.debug("Unregistering {}: {}", name, e.toString());
            }
        }
    }
}
