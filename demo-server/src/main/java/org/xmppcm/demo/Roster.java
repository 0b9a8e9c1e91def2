package org.xmppcm.demo;

import org.dom4j.Element;

/**
 * The demo roster: every user has every other user as a contact with subscription {@code both}
 * and the username as name. It is derived from the user list, so it cannot be edited.
 */
final class Roster {
    private final UserStore users;
    private final String domain;

    Roster(UserStore users, String domain) {
        this.users = users;
        this.domain = domain;
    }

    /** The {@code <query xmlns='jabber:iq:roster'>} answering {@code username}'s roster get (RFC 6121 section 2.1.3). */
    Element query(String username) {
        Element query = Stanzas.create("query", Stanzas.ROSTER);
        for (String contact : users.usernames()) {
            if (contact.equals(username)) {
                continue;
            }
            Element item = Stanzas.add(query, "item", Stanzas.ROSTER);
            item.addAttribute("jid", contact + "@" + domain);
            item.addAttribute("name", contact);
            item.addAttribute("subscription", "both");
        }
        return query;
    }
}
