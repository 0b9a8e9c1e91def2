package org.xmppcm.plugin.admin;

import java.text.NumberFormat;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.xmppcm.engine.ConnectedLink;
import org.xmppcm.engine.ConnectedManager;
import org.xmppcm.protocol.cm.ClientConfiguration;

/** Renders the "Connection Managers" page: the listener, what is pushed, and every manager with its links. */
final class ManagersPage {
    static final String PAGE_ID = "connectionmanager-managers";

    private final Messages messages;
    private final NumberFormat decimal;
    private final UptimeFormat uptime;

    ManagersPage(Messages messages) {
        this.messages = messages;
        this.uptime = new UptimeFormat(messages);
        this.decimal = NumberFormat.getNumberInstance(messages.locale());
        decimal.setMaximumFractionDigits(1);
        decimal.setMinimumFractionDigits(1);
    }

    /** @param clientsSection the rendered client list of one manager, shown below the managers, or null */
    String render(ListenerStatus listener, ClientConfiguration pushed, List<ConnectedManager> managers,
                  Map<String, TrafficRates.Rates> rates, Instant now, CharSequence clientsSection) {
        StringBuilder html = new StringBuilder(4096);
        html.append("<!DOCTYPE html>\n<html><head><title>").append(t("connectionmanager.admin.managers.title"))
                .append("</title><meta name=\"pageID\" content=\"").append(PAGE_ID).append("\"/></head><body>\n");
        html.append("<p>").append(t("connectionmanager.admin.managers.intro")).append("</p>\n");
        ListenerStatusBox.render(html, messages, listener);
        pushed(html, pushed);
        if (managers.isEmpty()) {
            html.append("<p id=\"no-managers\">").append(t("connectionmanager.admin.managers.none")).append("</p>\n");
        }
        for (ConnectedManager manager : managers) {
            manager(html, manager, rates, now);
        }
        if (clientsSection != null) {
            html.append(clientsSection);
        }
        html.append("<p><a href=\"").append(ConsoleServlets.MANAGERS_PATH.substring(1)).append("\">")
                .append(t("connectionmanager.admin.managers.refresh")).append("</a></p>\n");
        html.append("</body></html>\n");
        return html.toString();
    }

    private void pushed(StringBuilder html, ClientConfiguration pushed) {
        html.append("<div class=\"jive-contentBoxHeader\">").append(t("connectionmanager.admin.pushed.title"))
                .append("</div>\n<div class=\"jive-contentBox\"><table id=\"pushed\">\n");
        row(html, "connectionmanager.admin.pushed.tls", pushed.tls().name().toLowerCase(Locale.ROOT));
        row(html, "connectionmanager.admin.pushed.mechanisms", String.join(", ", pushed.mechanisms()));
        row(html, "connectionmanager.admin.pushed.compression", pushed.compressionMethods().isEmpty()
                ? raw("connectionmanager.admin.no") : String.join(", ", pushed.compressionMethods()));
        row(html, "connectionmanager.admin.pushed.iqauth", yesNo(pushed.iqAuth()));
        row(html, "connectionmanager.admin.pushed.register", yesNo(pushed.register()));
        StringBuilder tuning = new StringBuilder();
        new TreeMap<>(pushed.tuning()).forEach((name, value) ->
                tuning.append(tuning.length() == 0 ? "" : ", ").append(name).append('=').append(value));
        row(html, "connectionmanager.admin.pushed.tuning", tuning.toString());
        html.append("</table></div>\n");
    }

    private void row(StringBuilder html, String labelKey, String value) {
        html.append("<tr><td>").append(t(labelKey)).append("</td><td>").append(Html.text(value)).append("</td></tr>\n");
    }

    private void manager(StringBuilder html, ConnectedManager manager, Map<String, TrafficRates.Rates> rates,
                         Instant now) {
        html.append("<div class=\"jive-contentBoxHeader\">").append(t("connectionmanager.admin.managers.manager"))
                .append(' ').append(Html.text(manager.name())).append("</div>\n");
        html.append("<div class=\"jive-contentBox\" data-manager=\"").append(Html.text(manager.name())).append("\">\n");
        html.append("<p class=\"summary\">").append(t("connectionmanager.admin.managers.summary",
                manager.sessionCount(), manager.links().size())).append("</p>\n");
        if (manager.sessionCount() > 0) {
            html.append("<p><a class=\"show-clients\" href=\"").append(ConsoleServlets.MANAGERS_PATH.substring(1))
                    .append('?').append(ManagersServlet.CLIENTS).append('=')
                    .append(Html.text(java.net.URLEncoder.encode(manager.name(), java.nio.charset.StandardCharsets.UTF_8)))
                    .append("#clients\">").append(t("connectionmanager.admin.clients.show")).append("</a></p>\n");
        }
        if (manager.links().isEmpty()) {
            html.append("<p>").append(t("connectionmanager.admin.managers.nolinks")).append("</p>\n</div>\n");
            return;
        }
        html.append("<div class=\"jive-table\"><table cellpadding=\"0\" cellspacing=\"0\" border=\"0\" width=\"100%\">\n<thead><tr>");
        for (String column : List.of("link", "address", "tls", "compression", "uptime", "sessions",
                "in", "out", "bytesin", "bytesout", "reading")) {
            html.append("<th>").append(t("connectionmanager.admin.links." + column)).append("</th>");
        }
        html.append("</tr></thead><tbody>\n");
        for (ConnectedLink link : manager.links()) {
            TrafficRates.Rates r = rates.getOrDefault(TrafficRates.key(link), new TrafficRates.Rates(0, 0, 0, 0));
            html.append("<tr data-link=\"").append(Html.text(link.connection())).append("\">");
            cell(html, link.connection());
            cell(html, link.remoteAddress());
            cell(html, yesNo(link.secured()));
            cell(html, yesNo(link.compressed()));
            cell(html, uptime.format(Duration.between(link.connectedSince(), now)));
            cell(html, Integer.toString(link.routedSessions()));
            cell(html, raw("connectionmanager.admin.rate.elements", decimal.format(r.elementsIn())));
            cell(html, raw("connectionmanager.admin.rate.elements", decimal.format(r.elementsOut())));
            cell(html, raw("connectionmanager.admin.rate.kib", decimal.format(r.bytesIn() / 1024)));
            cell(html, raw("connectionmanager.admin.rate.kib", decimal.format(r.bytesOut() / 1024)));
            cell(html, raw(link.inputPaused() ? "connectionmanager.admin.links.paused" : "connectionmanager.admin.yes"));
            html.append("</tr>\n");
        }
        html.append("</tbody></table></div>\n</div>\n");
    }

    private static void cell(StringBuilder html, String value) {
        html.append("<td>").append(Html.text(value)).append("</td>");
    }

    private String yesNo(boolean value) {
        return raw(value ? "connectionmanager.admin.yes" : "connectionmanager.admin.no");
    }

    /** A translated string, escaped for HTML: translations are text, never markup. */
    private String t(String key, Object... args) {
        return Html.text(messages.get(key, args));
    }

    /** A translated string for {@link #cell} or {@link #row}, which escape it themselves. */
    private String raw(String key, Object... args) {
        return messages.get(key, args);
    }
}
