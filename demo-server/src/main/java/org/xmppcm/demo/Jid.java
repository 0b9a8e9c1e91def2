package org.xmppcm.demo;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * An XMPP address (RFC 7622) as the demo server needs it. Not a full PRECIS implementation:
 * local part and domain are only lower-cased, which is enough for ASCII demo accounts.
 *
 * @param local the local part, or null for a server address
 * @param domain the domain, lower case
 * @param resource the resource, or null for a bare JID
 */
record Jid(String local, String domain, String resource) {
    private static final int MAX_PART_BYTES = 1023;
    /** Characters RFC 7622 section 3.3.1 forbids in a local part. */
    private static final String FORBIDDEN_IN_LOCAL = "\"&'/:<>@";

    Jid {
        if (domain == null || domain.isEmpty()) {
            throw new IllegalArgumentException("JID without domain");
        }
    }

    /** Parses {@code [local@]domain[/resource]}; throws IllegalArgumentException when malformed. */
    static Jid parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("empty JID");
        }
        // The resource may contain '@' and '/', so split it off first (RFC 7622 section 3.2).
        int slash = text.indexOf('/');
        String resource = slash < 0 ? null : text.substring(slash + 1);
        String bare = slash < 0 ? text : text.substring(0, slash);
        int at = bare.indexOf('@');
        String local = at < 0 ? null : bare.substring(0, at);
        String domain = at < 0 ? bare : bare.substring(at + 1);
        if (local != null) {
            local = normalizeLocal(local);
        }
        domain = domain.toLowerCase(Locale.ROOT);
        if (domain.endsWith(".")) {
            domain = domain.substring(0, domain.length() - 1);
        }
        if (domain.isEmpty() || domain.indexOf('@') >= 0 || !validPart(domain)) {
            throw new IllegalArgumentException("bad domain in JID: " + text);
        }
        if (resource != null && !validResource(resource)) {
            throw new IllegalArgumentException("bad resource in JID: " + text);
        }
        return new Jid(local, domain, resource);
    }

    /** Lower-cases and checks a local part; throws IllegalArgumentException when not allowed. */
    static String normalizeLocal(String local) {
        String normalized = local.toLowerCase(Locale.ROOT);
        if (normalized.isEmpty() || !validPart(normalized)) {
            throw new IllegalArgumentException("bad local part: " + local);
        }
        for (int i = 0; i < normalized.length(); i++) {
            char c = normalized.charAt(i);
            if (FORBIDDEN_IN_LOCAL.indexOf(c) >= 0 || Character.isWhitespace(c)) {
                throw new IllegalArgumentException("bad local part: " + local);
            }
        }
        return normalized;
    }

    /** Whether {@code resource} is acceptable as a resource part (non-empty, no controls, size). */
    static boolean validResource(String resource) {
        return !resource.isEmpty() && !resource.isBlank() && validPart(resource);
    }

    private static boolean validPart(String part) {
        if (part.getBytes(StandardCharsets.UTF_8).length > MAX_PART_BYTES) {
            return false;
        }
        for (int i = 0; i < part.length(); i++) {
            if (Character.isISOControl(part.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    static Jid of(String local, String domain, String resource) {
        return new Jid(local, domain, resource);
    }

    Jid bare() {
        return resource == null ? this : new Jid(local, domain, null);
    }

    boolean isBare() {
        return resource == null;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        if (local != null) {
            sb.append(local).append('@');
        }
        sb.append(domain);
        if (resource != null) {
            sb.append('/').append(resource);
        }
        return sb.toString();
    }
}
