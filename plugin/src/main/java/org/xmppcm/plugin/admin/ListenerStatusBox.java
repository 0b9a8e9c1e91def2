package org.xmppcm.plugin.admin;

/**
 * The listener's state as both pages show it on top: green while it accepts managers, red with the reason while it
 * does not (a port held by Openfire's built-in listener, a failed bind, an unusable bind address).
 */
final class ListenerStatusBox {
    private ListenerStatusBox() {
    }

    static void render(StringBuilder html, Messages messages, ListenerStatus listener) {
        if (listener.listening()) {
            html.append("<div class=\"success\" id=\"listener\">")
                    .append(Html.text(messages.get("connectionmanager.admin.managers.listening", listener.address())))
                    .append("</div>\n");
        } else {
            html.append("<div class=\"error\" id=\"listener\">")
                    .append(Html.text(messages.get("connectionmanager.admin.managers.not.listening", listener.address())));
            if (listener.problem() != null) {
                html.append(' ').append(Html.text(listener.problem()));
            }
            html.append("</div>\n");
        }
    }
}
