package org.xmppcm.plugin.admin;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The clients of one manager on the managers page: who, from where, over which link, since when, how many stanzas
 * each way, with a filter (GET) and a button that closes one client (POST with the form token), as Openfire's own
 * Sessions page can.
 */
final class ClientsSection {
    /** Rows shown at most: a manager may carry tens of thousands of clients; the filter finds the rest. */
    static final int MAX_ROWS = 200;

    private final Messages messages;
    private final UptimeFormat uptime;

    ClientsSection(Messages messages) {
        this.messages = messages;
        this.uptime = new UptimeFormat(messages);
    }

    /**
     * @param shown the clients to list (at most {@link #MAX_ROWS}), sorted
     * @param matching how many clients match the filter in all
     * @param closed the stream id of a client just closed, or null
     */
    void render(StringBuilder html, String manager, String filter, List<ClientView> shown, int matching, String closed,
                String csrfToken, Instant now) {
        html.append("<div class=\"jive-contentBoxHeader\" id=\"clients\">")
                .append(t("connectionmanager.admin.clients.title", manager)).append("</div>\n");
        html.append("<div class=\"jive-contentBox\">\n");
        if (closed != null) {
            html.append("<div class=\"success\" id=\"client-closed\">").append(t("connectionmanager.admin.clients.closed",
                    closed)).append("</div>\n");
        }
        html.append("<form method=\"get\" action=\"").append(ConsoleServlets.MANAGERS_PATH.substring(1))
                .append("#clients\"><input type=\"hidden\" name=\"").append(ManagersServlet.CLIENTS).append("\" value=\"")
                .append(Html.text(manager)).append("\"/><label for=\"filter\">")
                .append(t("connectionmanager.admin.clients.filter")).append("</label> <input type=\"text\" id=\"filter\"")
                .append(" name=\"").append(ManagersServlet.FILTER).append("\" value=\"")
                .append(Html.text(filter == null ? "" : filter)).append("\"/> <input type=\"submit\" id=\"apply-filter\"")
                .append(" value=\"").append(t("connectionmanager.admin.clients.apply")).append("\"/></form>\n");
        html.append("<p id=\"clients-count\">").append(shown.size() < matching
                ? t("connectionmanager.admin.clients.some", shown.size(), matching)
                : t("connectionmanager.admin.clients.all", matching)).append("</p>\n");
        if (shown.isEmpty()) {
            html.append("</div>\n");
            return;
        }
        html.append("<div class=\"jive-table\"><table id=\"client-table\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\"")
                .append(" width=\"100%\">\n<thead><tr>");
        for (String column : List.of("user", "address", "link", "since", "received", "sent", "close")) {
            html.append("<th>").append(t("connectionmanager.admin.clients." + column)).append("</th>");
        }
        html.append("</tr></thead><tbody>\n");
        for (ClientView client : shown) {
            html.append("<tr data-stream=\"").append(Html.text(client.streamId())).append("\">");
            cell(html, client.user());
            cell(html, client.address() == null ? "" : client.address());
            cell(html, client.link() == null ? messages.get("connectionmanager.admin.clients.nolink") : client.link());
            cell(html, uptime.format(Duration.between(client.since(), now)));
            cell(html, Long.toString(client.packetsReceived()));
            cell(html, Long.toString(client.packetsSent()));
            html.append("<td><form method=\"post\" action=\"").append(ConsoleServlets.MANAGERS_PATH.substring(1))
                    .append("\"><input type=\"hidden\" name=\"").append(CsrfGuard.PARAMETER).append("\" value=\"")
                    .append(Html.text(csrfToken)).append("\"/><input type=\"hidden\" name=\"action\" value=\"")
                    .append(ManagersServlet.CLOSE_CLIENT).append("\"/><input type=\"hidden\" name=\"")
                    .append(ManagersServlet.CLIENTS).append("\" value=\"").append(Html.text(manager))
                    .append("\"/><input type=\"hidden\" name=\"").append(ManagersServlet.STREAM).append("\" value=\"")
                    .append(Html.text(client.streamId())).append("\"/><input type=\"submit\" class=\"close-client\"")
                    .append(" value=\"").append(t("connectionmanager.admin.clients.closebutton")).append("\"/></form></td>");
            html.append("</tr>\n");
        }
        html.append("</tbody></table></div>\n</div>\n");
    }

    private static void cell(StringBuilder html, String value) {
        html.append("<td>").append(Html.text(value)).append("</td>");
    }

    private String t(String key, Object... args) {
        return Html.text(messages.get(key, args));
    }
}
