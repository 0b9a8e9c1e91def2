package org.xmppcm.demo;

/** The one authorization identity rule both mechanisms share: none, or the user's own bare JID. */
final class Authzid {
    private Authzid() {
    }

    /** Users may not act for others; an authzid is accepted only when it names the authenticated account. */
    static boolean allowed(String authzid, String username, String domain) {
        if (authzid == null || authzid.isEmpty()) {
            return true;
        }
        try {
            Jid jid = Jid.parse(authzid);
            return jid.isBare() && username.equals(jid.local()) && domain.equals(jid.domain());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
