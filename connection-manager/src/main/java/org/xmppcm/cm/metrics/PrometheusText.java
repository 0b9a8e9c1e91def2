package org.xmppcm.cm.metrics;

import java.util.Map;

/**
 * Renders {@link CmMetrics} in the Prometheus text exposition format (version 0.0.4): one
 * {@code # HELP}/{@code # TYPE} pair per family, counters suffixed {@code _total}.
 */
public final class PrometheusText {
    private PrometheusText() {
    }

    public static String render(CmMetrics m) {
        StringBuilder out = new StringBuilder(2048);
        gauge(out, "xmppcm_clients_connected", "Client streams open now.", m.getClientsConnected());
        counter(out, "xmppcm_clients_accepted_total", "Client streams that got a session.", m.getClientsAccepted());
        gauge(out, "xmppcm_clients_tls", "Client streams running over TLS now.", m.getClientsOnTls());
        gauge(out, "xmppcm_clients_compressed", "Client streams running zlib compression now.", m.getClientsCompressed());
        gauge(out, "xmppcm_links_ready", "Links to the server carrying traffic now.", m.getLinksReady());
        gauge(out, "xmppcm_links_configured", "Links to the server this CM keeps.", m.getLinksConfigured());
        counter(out, "xmppcm_link_connects_total", "Links that became ready.", m.getLinkConnects());
        counter(out, "xmppcm_links_lost_total", "Links that closed after being ready.", m.getLinksLost());
        counter(out, "xmppcm_stanzas_from_clients_total", "Stanzas routed from clients to the server.", m.getStanzasFromClients());
        counter(out, "xmppcm_stanzas_to_clients_total", "Stanzas routed from the server to clients.", m.getStanzasToClients());
        counter(out, "xmppcm_client_bytes_read_total", "Bytes read from clients.", m.getClientBytesRead());
        counter(out, "xmppcm_client_bytes_written_total", "Bytes written to clients.", m.getClientBytesWritten());
        counter(out, "xmppcm_link_bytes_read_total", "Bytes read from the server.", m.getLinkBytesRead());
        counter(out, "xmppcm_link_bytes_written_total", "Bytes written to the server.", m.getLinkBytesWritten());
        gauge(out, "xmppcm_held_bytes", "Client traffic held while no link is up.", m.getHeldBytes());
        gauge(out, "xmppcm_client_pending_write_bytes", "Bytes queued for clients, not yet written.", m.getClientPendingWriteBytes());
        gauge(out, "xmppcm_link_pending_write_bytes", "Bytes queued for the server, not yet written.", m.getLinkPendingWriteBytes());
        out.append("# HELP xmppcm_stream_errors_sent_total Stream errors sent to clients, by condition.\n")
                .append("# TYPE xmppcm_stream_errors_sent_total counter\n");
        for (Map.Entry<String, Long> e : m.getStreamErrorsSent().entrySet()) {
            // Condition names are [a-z-] from RFC 6120: nothing to escape.
            out.append("xmppcm_stream_errors_sent_total{condition=\"").append(e.getKey()).append("\"} ")
                    .append(e.getValue()).append('\n');
        }
        out.append("# HELP xmppcm_client_limit Client limits in effect (the settings file's or pushed by the server), by property name.\n")
                .append("# TYPE xmppcm_client_limit gauge\n");
        for (Map.Entry<String, Long> e : m.getClientLimits().entrySet()) {
            // Property names are [a-z.]: nothing to escape.
            out.append("xmppcm_client_limit{name=\"").append(e.getKey()).append("\"} ").append(e.getValue()).append('\n');
        }
        return out.toString();
    }

    private static void gauge(StringBuilder out, String name, String help, long value) {
        family(out, name, help, "gauge", value);
    }

    private static void counter(StringBuilder out, String name, String help, long value) {
        family(out, name, help, "counter", value);
    }

    private static void family(StringBuilder out, String name, String help, String type, long value) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(' ').append(type).append('\n')
                .append(name).append(' ').append(value).append('\n');
    }
}
