package org.xmppcm.demo;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.dom4j.Element;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmppcm.protocol.cm.Namespaces;

/**
 * Presence for the demo server (RFC 6121 section 4), simplified by the fixed roster where
 * everyone is subscribed to everyone: broadcasts go to every available session, initial
 * presence is answered with everyone's current presence as if probed, and subscription
 * requests are acknowledged on the contact's behalf.
 */
final class PresenceRouter {
    private static final Logger LOG = LoggerFactory.getLogger(PresenceRouter.class);

    private final String domain;
    private final SessionRegistry registry;
    private final OfflineStore offline;
    /** Orders presence updates host-wide, for "most recent resource wins" ties. */
    private final AtomicLong sequence = new AtomicLong();

    PresenceRouter(String domain, SessionRegistry registry, OfflineStore offline) {
        this.domain = domain;
        this.registry = registry;
        this.offline = offline;
    }

    /** A presence from a bound session, {@code from} already stamped with its full JID. */
    void handle(DemoSession sender, Element presence) {
        String type = presence.attributeValue("type");
        String to = presence.attributeValue("to");
        if (to == null) {
            if (type == null) {
                available(sender, presence);
            } else if ("unavailable".equals(type)) {
                unavailable(sender, presence);
            } else {
                LOG.debug("Demo server: dropped undirected presence of type {} from {}", type, sender);
            }
            return;
        }
        Jid target;
        try {
            target = Jid.parse(to);
        } catch (IllegalArgumentException e) {
            return; // presence is never bounced for a bad address here: nothing listens for it
        }
        Account account = domain.equals(target.domain()) ? registry.account(target.local()) : null;
        if (account == null) {
            // Other domains (no federation), the server itself, unknown users: RFC 6121 lets us ignore it.
            LOG.debug("Demo server: dropped presence to {}", target);
            return;
        }
        switch (type == null ? "available" : type) {
            case "available":
            case "unavailable":
                directed(presence, target, account);
                break;
            case "probe":
                probe(sender, target, account);
                break;
            case "subscribe":
                subscribed(sender, target);
                break;
            case "error":
                DemoSession session = target.isBare() ? null : account.session(target.resource());
                if (session != null) {
                    session.deliver(presence);
                }
                break;
            default:
                // subscribed / unsubscribe / unsubscribed: the roster is fixed, nothing changes.
                LOG.debug("Demo server: ignored presence of type {} to {}", type, target);
        }
    }

    private void available(DemoSession sender, Element presence) {
        Element stored = presence.createCopy();
        AvailablePresence now = new AvailablePresence(stored, priority(presence), sequence.incrementAndGet());
        Account account = registry.account(sender.username());
        AvailablePresence before;
        synchronized (account) {
            if (!sender.isDeliverable()) {
                return; // ended concurrently: it must not come back as available
            }
            before = sender.presence();
            sender.setPresence(now);
            registry.setAvailable(sender, true);
            // Offline messages go to the first resource that can receive bare-JID messages
            // (non-negative priority, XEP-0160), delivered under the lock so they precede live ones.
            boolean couldReceive = before != null && before.priority() >= 0;
            if (now.priority() >= 0 && !couldReceive) {
                for (Element message : offline.drain(account.username())) {
                    sender.deliver(message);
                }
            }
        }
        broadcast(sender, now.copy(), true);
        if (before == null) {
            sendCurrentPresences(sender);
        }
    }

    private void unavailable(DemoSession sender, Element presence) {
        Account account = registry.account(sender.username());
        AvailablePresence before;
        synchronized (account) {
            before = sender.presence();
            sender.setPresence(null);
            registry.setAvailable(sender, false);
        }
        if (before != null) {
            broadcast(sender, presence, true);
        }
    }

    /** The unavailable presence of a session that ended while available. */
    void sessionEnded(DemoSession ended) {
        Element presence = Stanzas.create("presence", Namespaces.CLIENT);
        presence.addAttribute("type", "unavailable");
        presence.addAttribute("from", ended.jid().toString());
        broadcast(ended, presence, false);
    }

    /**
     * Sends {@code presence} to every available session but the sender's own (contacts and the
     * user's other resources alike), and to the sender itself when {@code echo} (RFC 6121
     * sections 4.2.2 and 4.5.2 include the originating resource). {@code out} must be the
     * caller's private element: deliver() serializes at once, so it is re-addressed per recipient.
     */
    private void broadcast(DemoSession sender, Element out, boolean echo) {
        for (DemoSession target : registry.availableSessions()) {
            if (target != sender) {
                out.addAttribute("to", target.jid().toString());
                target.deliver(out);
            }
        }
        if (echo) {
            out.addAttribute("to", sender.jid().toString());
            sender.deliver(out);
        }
    }

    /** What the server would have learned by probing every contact (RFC 6121 section 4.2.3). */
    private void sendCurrentPresences(DemoSession newcomer) {
        String to = newcomer.jid().toString();
        for (DemoSession other : registry.availableSessions()) {
            AvailablePresence p = other.presence();
            if (other != newcomer && p != null) {
                Element copy = p.copy();
                copy.addAttribute("to", to);
                newcomer.deliver(copy);
            }
        }
    }

    /** Directed presence: to one bound resource, or to every available resource of a bare JID. */
    private static void directed(Element presence, Jid target, Account account) {
        List<DemoSession> targets = target.isBare() ? account.availableSessions()
                : sessionList(account.session(target.resource()));
        for (DemoSession session : targets) {
            session.deliver(presence);
        }
    }

    /** A client's own probe: the target's current presence, or unavailable from its bare JID. */
    private static void probe(DemoSession sender, Jid target, Account account) {
        List<DemoSession> targets = target.isBare() ? account.availableSessions()
                : sessionList(account.session(target.resource()));
        boolean answered = false;
        for (DemoSession session : targets) {
            AvailablePresence p = session.presence();
            if (p != null) {
                Element copy = p.copy();
                copy.addAttribute("to", sender.jid().toString());
                sender.deliver(copy);
                answered = true;
            }
        }
        if (!answered) {
            Element unavailable = Stanzas.create("presence", Namespaces.CLIENT);
            unavailable.addAttribute("type", "unavailable");
            unavailable.addAttribute("from", target.bare().toString());
            unavailable.addAttribute("to", sender.jid().toString());
            sender.deliver(unavailable);
        }
    }

    /** Everyone is already subscribed, so the contact's server answers at once (RFC 6121 section 3.1.3). */
    private void subscribed(DemoSession sender, Jid target) {
        if (target.local().equals(sender.username())) {
            return;
        }
        Element reply = Stanzas.create("presence", Namespaces.CLIENT);
        reply.addAttribute("type", "subscribed");
        reply.addAttribute("from", target.bare().toString());
        reply.addAttribute("to", sender.jid().bare().toString());
        sender.deliver(reply);
    }

    private static List<DemoSession> sessionList(DemoSession session) {
        return session == null ? List.of() : List.of(session);
    }

    /** The {@code <priority/>} of a presence, 0 when absent or invalid (RFC 6121 section 4.7.2.3). */
    private static int priority(Element presence) {
        Element priority = presence.element("priority");
        if (priority == null) {
            return 0;
        }
        try {
            int value = Integer.parseInt(priority.getTextTrim());
            return value < -128 || value > 127 ? 0 : value;
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
