package org.xmppcm.demo;

import org.dom4j.Element;
import org.xmppcm.protocol.cm.StanzaErrorCondition;

/**
 * IQ routing for the demo server (RFC 6120 sections 8.2.3 and 10, RFC 6121 section 8.5):
 * requests with no 'to', to the domain or to the sender's own bare JID are answered by the
 * {@link ServerIqHandler}; anything to a bound full JID is passed on; a request to another
 * user's bare JID is answered on the user's behalf with {@code service-unavailable} (the demo
 * keeps no per-account data to serve); requests nobody can take get an error, while results
 * and errors nobody can take are dropped.
 */
final class IqRouter {
    private final String domain;
    private final SessionRegistry registry;
    private final ServerIqHandler server;

    IqRouter(String domain, SessionRegistry registry, ServerIqHandler server) {
        this.domain = domain;
        this.registry = registry;
        this.server = server;
    }

    /** An IQ from a bound session, {@code from} already stamped with its full JID. */
    void route(DemoSession sender, Element iq) {
        String type = iq.attributeValue("type");
        boolean request = "get".equals(type) || "set".equals(type);
        if (!request && !"result".equals(type) && !"error".equals(type)) {
            reply(sender, iq, StanzaErrorCondition.BAD_REQUEST);
            return;
        }
        if (request && (iq.attributeValue("id") == null || Stanzas.iqPayload(iq) == null)) {
            reply(sender, iq, StanzaErrorCondition.BAD_REQUEST); // RFC 6120 section 8.2.3: id and one payload
            return;
        }
        String toAttribute = iq.attributeValue("to");
        Jid to;
        try {
            to = toAttribute == null ? null : Jid.parse(toAttribute);
        } catch (IllegalArgumentException e) {
            if (request) {
                sender.deliver(Stanzas.errorReply(iq, "jid-malformed", "modify"));
            }
            return;
        }
        if (to == null || (to.local() == null && to.isBare() && domain.equals(to.domain()))
                || to.equals(sender.jid().bare())) {
            if (request) {
                sender.deliver(server.answer(sender.username(), iq));
            }
            return; // results and errors for the server: it never asks, so nothing waits for them
        }
        if (!domain.equals(to.domain())) {
            if (request) {
                sender.deliver(Stanzas.errorReply(iq, "remote-server-not-found", "cancel"));
            }
            return;
        }
        Account account = registry.account(to.local());
        DemoSession target = account == null || to.isBare() ? null : account.session(to.resource());
        if (target != null) {
            target.deliver(iq);
        } else if (request) {
            reply(sender, iq, StanzaErrorCondition.SERVICE_UNAVAILABLE);
        }
    }

    /**
     * A request that could not reach the client it was for (its connection manager lost it): its sender, when a
     * local session, gets {@code service-unavailable} rather than waiting forever. Answers are dropped: nothing waits.
     */
    void undeliverable(Element iq) {
        String type = iq.attributeValue("type");
        if (!"get".equals(type) && !"set".equals(type)) {
            return;
        }
        Jid from;
        try {
            from = Jid.parse(iq.attributeValue("from", ""));
        } catch (IllegalArgumentException e) {
            return;
        }
        Account account = domain.equals(from.domain()) && from.local() != null ? registry.account(from.local()) : null;
        DemoSession sender = account == null || from.isBare() ? null : account.session(from.resource());
        if (sender != null) {
            sender.deliver(Stanzas.errorReply(iq, StanzaErrorCondition.SERVICE_UNAVAILABLE));
        }
    }

    private static void reply(DemoSession sender, Element iq, StanzaErrorCondition condition) {
        if (!Stanzas.isErrorOrResult(iq)) {
            sender.deliver(Stanzas.errorReply(iq, condition));
        }
    }
}
