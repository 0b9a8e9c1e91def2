package org.xmppcm.demo;

import org.dom4j.Element;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmppcm.protocol.cm.StanzaErrorCondition;

/**
 * Message routing for the demo server (RFC 6121 section 8.5), local domain only:
 * <ul>
 * <li>to a bound full JID: that session;</li>
 * <li>to a bare JID (or a full JID nobody holds): {@code chat}/{@code normal} go to one resource,
 * the available one with the highest non-negative priority, ties to the most recent presence;
 * with none, to the offline store, and when that is full back to the sender as
 * {@code service-unavailable}; {@code headline} goes to all available resources or nowhere;
 * {@code groupchat} is refused; {@code error} is dropped when it has no full-JID target;</li>
 * <li>to an unknown user or the server itself: {@code service-unavailable}; to another domain:
 * {@code remote-server-not-found} (no federation).</li>
 * </ul>
 * Errors are never answered with errors.
 */
final class MessageRouter {
    private static final Logger LOG = LoggerFactory.getLogger(MessageRouter.class);

    private final String domain;
    private final SessionRegistry registry;
    private final OfflineStore offline;

    MessageRouter(String domain, SessionRegistry registry, OfflineStore offline) {
        this.domain = domain;
        this.registry = registry;
        this.offline = offline;
    }

    /** A message from a bound session, {@code from} already stamped with its full JID. */
    void route(DemoSession sender, Element message) {
        String type = type(message);
        String toAttribute = message.attributeValue("to");
        Jid to;
        if (toAttribute == null) {
            // RFC 6120 section 10.3.1: no 'to' means the sender's own bare JID.
            to = sender.jid().bare();
            message.addAttribute("to", to.toString());
        } else {
            try {
                to = Jid.parse(toAttribute);
            } catch (IllegalArgumentException e) {
                bounce(sender, message, "jid-malformed", "modify");
                return;
            }
        }
        if (!domain.equals(to.domain())) {
            bounce(sender, message, "remote-server-not-found", "cancel");
            return;
        }
        Account account = registry.account(to.local());
        if (account == null) {
            bounce(sender, message, StanzaErrorCondition.SERVICE_UNAVAILABLE);
            return;
        }
        synchronized (account) {
            if (!to.isBare()) {
                DemoSession target = account.session(to.resource());
                if (target != null) {
                    target.deliver(message);
                    return;
                }
                if ("headline".equals(type) || "error".equals(type)) {
                    return; // RFC 6121 section 8.5.3.2.1: silently ignored
                }
            }
            toBareJid(sender, message, type, account);
        }
    }

    /** Called under the account's lock so that choosing a resource and delivering are one step. */
    private void toBareJid(DemoSession sender, Element message, String type, Account account) {
        switch (type) {
            case "error":
                return;
            case "groupchat":
                bounce(sender, message, StanzaErrorCondition.SERVICE_UNAVAILABLE);
                return;
            case "headline":
                for (DemoSession target : account.availableSessions()) {
                    if (target.presence() != null && target.presence().priority() >= 0) {
                        target.deliver(message);
                    }
                }
                return;
            default:
                DemoSession target = account.preferredResource(null);
                if (target != null) {
                    target.deliver(message);
                } else if (!offline.offer(account.username(), message)) {
                    LOG.info("Demo server: offline store of {} is full ({} messages), message refused",
                            account.username(), offline.maxPerUser());
                    bounce(sender, message, StanzaErrorCondition.SERVICE_UNAVAILABLE);
                }
        }
    }

    /**
     * A message the CM could not hand to {@code failed}'s client: given to another available
     * resource of the same user if there is one, otherwise stored offline. Only chat and normal
     * messages are worth keeping; others are dropped like RFC 6121 drops them for absent users.
     */
    void redeliver(DemoSession failed, Element message) {
        String type = type(message);
        if (!"chat".equals(type) && !"normal".equals(type)) {
            LOG.debug("Demo server: dropped undeliverable {} message", type);
            return;
        }
        String recipient = recipient(failed, message);
        Account account = recipient == null ? null : registry.account(recipient);
        if (account == null) {
            LOG.debug("Demo server: dropped undeliverable message for no local user");
            return;
        }
        synchronized (account) {
            DemoSession target = account.preferredResource(failed);
            if (target != null) {
                target.deliver(message);
            } else if (!offline.offer(account.username(), message)) {
                LOG.warn("Demo server: offline store of {} is full, undeliverable message dropped", account.username());
            }
        }
    }

    /** The local user a failed message was for: its 'to', else the session's own user. */
    private String recipient(DemoSession failed, Element message) {
        String to = message.attributeValue("to");
        if (to != null) {
            try {
                Jid jid = Jid.parse(to);
                if (domain.equals(jid.domain()) && jid.local() != null) {
                    return jid.local();
                }
            } catch (IllegalArgumentException e) {
                // fall through to the session's user
            }
        }
        return failed == null ? null : failed.username();
    }

    private static void bounce(DemoSession sender, Element message, StanzaErrorCondition condition) {
        bounce(sender, message, condition.elementName(), condition.type());
    }

    private static void bounce(DemoSession sender, Element message, String condition, String errorType) {
        if (!"error".equals(message.attributeValue("type"))) {
            sender.deliver(Stanzas.errorReply(message, condition, errorType));
        }
    }

    /** RFC 6121 section 5.2.2: an absent or unknown type means {@code normal}. */
    private static String type(Element message) {
        String type = message.attributeValue("type");
        if (type == null) {
            return "normal";
        }
        switch (type) {
            case "chat":
            case "error":
            case "groupchat":
            case "headline":
                return type;
            default:
                return "normal";
        }
    }
}
