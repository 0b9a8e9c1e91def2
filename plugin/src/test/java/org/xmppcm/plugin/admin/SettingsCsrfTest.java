package org.xmppcm.plugin.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.servlet.Filter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A settings change needs the form's token: what a forged cross-site POST lacks. */
class SettingsCsrfTest {
    private static final Pattern TOKEN = Pattern.compile("name=\"csrf\" value=\"([^\"]*)\"");
    private static final String CHANGE = "action=listener&port=6000&linkTls=optional";

    private final FakeConsoleBackend backend = new FakeConsoleBackend();
    private final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
    private ConsolePagesServer pages;

    @AfterEach
    void stop() throws Exception {
        pages.close();
    }

    @Test
    void aPostWithoutTheTokenChangesNothing() throws Exception {
        pages = new ConsolePagesServer(backend, Locale.ROOT, Instant::now);

        HttpResponse<String> response = post(CHANGE);

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).contains("This form has expired. Nothing was changed");
        assertThat(backend.applied).isEmpty();
    }

    @Test
    void aPostWithAnotherSessionsTokenChangesNothing() throws Exception {
        pages = new ConsolePagesServer(backend, Locale.ROOT, Instant::now);
        String foreignToken = tokenIn(HttpClient.newHttpClient()
                .send(get(), HttpResponse.BodyHandlers.ofString()).body());
        http.send(get(), HttpResponse.BodyHandlers.ofString()); // our own session, with its own token

        HttpResponse<String> response = post(CHANGE + "&csrf=" + encode(foreignToken));

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(backend.applied).isEmpty();
    }

    @Test
    void aPostWithTheFormsTokenIsAppliedAndRedirectsBackToTheForm() throws Exception {
        pages = new ConsolePagesServer(backend, Locale.ROOT, Instant::now);
        String token = tokenIn(http.send(get(), HttpResponse.BodyHandlers.ofString()).body());

        HttpResponse<String> response = post(CHANGE + "&csrf=" + encode(token));

        assertThat(response.statusCode()).isEqualTo(302);
        assertThat(response.headers().firstValue("Location")).get().asString().endsWith("cm-settings?saved=listener");
        assertThat(backend.settings().port()).isEqualTo(6000);
    }

    /**
     * Openfire 5.1.1's plugin servlet, for a servlet (not a JSP) of a plugin with {@code csrfProtectionEnabled}: a POST
     * whose {@code csrf} parameter differs from the session's {@code csrf} attribute is redirected back before the
     * page runs, and no token is handed over. The form must therefore carry the session's attribute.
     */
    @Test
    void insideOpenfireAPostCarryingTheFormsTokenPassesOpenfiresOwnCheck() throws Exception {
        Filter openfiresCheck = (request, response, chain) -> {
            javax.servlet.http.HttpServletRequest http = (javax.servlet.http.HttpServletRequest) request;
            if (http.getMethod().equals("POST")) {
                Object expected = http.getSession().getAttribute("csrf");
                if (expected == null || !expected.equals(http.getParameter("csrf"))) {
                    ((javax.servlet.http.HttpServletResponse) response).sendRedirect(http.getRequestURI());
                    return;
                }
            }
            chain.doFilter(request, response);
        };
        pages = new ConsolePagesServer(backend, Locale.ROOT, Instant::now, openfiresCheck);
        String token = tokenIn(http.send(get(), HttpResponse.BodyHandlers.ofString()).body());

        HttpResponse<String> refused = post("action=listener&port=7000");
        assertThat(refused.headers().firstValue("Location")).get().asString().endsWith("cm-settings");
        assertThat(backend.settings().port()).as("Openfire refused it").isNotEqualTo(7000);

        HttpResponse<String> response = post(CHANGE + "&csrf=" + encode(token));
        assertThat(response.headers().firstValue("Location")).get().asString().endsWith("cm-settings?saved=listener");
        assertThat(backend.settings().port()).isEqualTo(6000);
    }

    private HttpRequest get() {
        return HttpRequest.newBuilder(URI.create(pages.url(ConsoleServlets.SETTINGS_PATH))).GET().build();
    }

    private HttpResponse<String> post(String form) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(pages.url(ConsoleServlets.SETTINGS_PATH)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static String tokenIn(String html) {
        Matcher matcher = TOKEN.matcher(html);
        assertThat(matcher.find()).as("a form token in the page").isTrue();
        return matcher.group(1);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
