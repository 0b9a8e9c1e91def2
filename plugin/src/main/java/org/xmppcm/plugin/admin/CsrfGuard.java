package org.xmppcm.plugin.admin;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpSession;

/**
 * Cross-site request forgery protection for the pages' forms: every form carries a token bound to the administrator's
 * HTTP session, and a POST without the right one changes nothing.
 *
 * <p>The token is the HTTP session's {@value #PARAMETER} attribute, the one Openfire's plugin servlet checks: with
 * {@code csrfProtectionEnabled} in {@code plugin.xml}, Openfire 5.1.1 refuses (redirects) every POST to a plugin page
 * whose {@value #PARAMETER} parameter differs from that attribute, before our servlet runs. It sets the attribute only
 * for a plugin's JSP pages, never for servlets like ours, so the page must set it itself: a form carrying a token of
 * our own would be refused by Openfire every time (it was, in 5.1.1). The same check is made here, for containers
 * that do not make it (tests, the flag turned off). Should Openfire hand a token over as a request attribute (what it
 * does for JSP pages, replacing the session's token on each request), that token is the one to use.
 */
final class CsrfGuard {
    static final String PARAMETER = "csrf";
    /** The session attribute Openfire's plugin servlet compares POSTs with ({@code PluginServlet.CSRF_ATTRIBUTE}). */
    private static final String SESSION_ATTRIBUTE = PARAMETER;
    private static final SecureRandom RANDOM = new SecureRandom();

    private CsrfGuard() {
    }

    /** The token the form being rendered must carry. */
    static String tokenFor(HttpServletRequest request) {
        Object openfires = request.getAttribute(PARAMETER);
        if (openfires instanceof String token) {
            return token;
        }
        HttpSession session = request.getSession(true);
        synchronized (session) {
            Object ours = session.getAttribute(SESSION_ATTRIBUTE);
            if (ours instanceof String token) {
                return token;
            }
            byte[] bytes = new byte[24];
            RANDOM.nextBytes(bytes);
            String token = HexFormat.of().formatHex(bytes);
            session.setAttribute(SESSION_ATTRIBUTE, token);
            return token;
        }
    }

    /** Whether a state-changing request may proceed. */
    static boolean accepts(HttpServletRequest request) {
        if (request.getAttribute(PARAMETER) instanceof String) {
            return true; // Openfire checked it already and replaced the session's token (see the class comment).
        }
        HttpSession session = request.getSession(false);
        Object expected = session == null ? null : session.getAttribute(SESSION_ATTRIBUTE);
        String given = request.getParameter(PARAMETER);
        return expected instanceof String token && given != null
                && MessageDigest.isEqual(token.getBytes(StandardCharsets.US_ASCII), given.getBytes(StandardCharsets.UTF_8));
    }
}
