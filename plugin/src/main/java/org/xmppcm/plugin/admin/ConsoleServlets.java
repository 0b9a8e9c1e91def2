package org.xmppcm.plugin.admin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import javax.servlet.http.HttpServletResponse;

/**
 * Where the admin pages live, relative to the plugin's URL in the admin console ({@code /plugins/connectionmanager}),
 * and how they answer. {@code plugin.xml}'s sidebar items name the same paths.
 */
public final class ConsoleServlets {
    public static final String MANAGERS_PATH = "/cm-managers";
    public static final String SETTINGS_PATH = "/cm-settings";

    private ConsoleServlets() {
    }

    static void sendHtml(HttpServletResponse response, int status, String html) throws IOException {
        response.setStatus(status);
        response.setContentType("text/html;charset=UTF-8");
        // Admin pages show live state and carry form tokens: never from a cache.
        response.setHeader("Cache-Control", "no-store");
        byte[] body = html.getBytes(StandardCharsets.UTF_8);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
