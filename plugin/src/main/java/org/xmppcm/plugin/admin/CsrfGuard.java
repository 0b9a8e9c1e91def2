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
 * <p>Inside Openfire, {@code plugin.xml}'s {@code csrfProtectionEnabled} makes Openfire's plugin servlet do this
 * before our servlet runs: it checks the {@value #PARAMETER} parameter of a POST against its session attribute of the
 * same name, replaces the token on every request and hands the new one over as a request attribute. The form must
 * then carry that token, and by the time we run Openfire has checked it and stored the next one, so our own check
 * would always fail. So: when that request attribute is present, Openfire guards the request; otherwise (another
 * container, or the flag turned off) this class keeps its own token in the session and checks it itself. A request
 * attribute cannot be set from outside the server, so its presence cannot be forged.
 */
final class CsrfGuard {
    static final String PARAMETER = "csrf";
    private static final String SESSION_ATTRIBUTE = "connectionmanager.csrf";
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
            return true; // Openfire's plugin servlet checked it already (see the class comment).
        }
        HttpSession session = request.getSession(false);
        Object expected = session == null ? null : session.getAttribute(SESSION_ATTRIBUTE);
        String given = request.getParameter(PARAMETER);
        return expected instanceof String token && given != null
                && MessageDigest.isEqual(token.getBytes(StandardCharsets.US_ASCII), given.getBytes(StandardCharsets.UTF_8));
    }
}
