package org.xmppcm.demo;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicBoolean;
import org.dom4j.Element;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmppcm.engine.host.ClientChannel;
import org.xmppcm.engine.host.ClientDescriptor;
import org.xmppcm.engine.host.HostSession;
import org.xmppcm.protocol.cm.Namespaces;
import org.xmppcm.protocol.cm.StanzaErrorCondition;
import org.xmppcm.protocol.xml.StreamErrorCondition;

/**
 * One client of the demo server, through its life: SASL, resource binding, then handing its
 * stanzas to the routers with {@code from} stamped; and its end, which unbinds it and tells
 * contacts it is gone.
 *
 * <p>Threading: {@link #received} and {@link #closed} are synchronized on the session so its
 * own state changes in client order even if the engine calls from several threads. Other
 * sessions' threads only touch it through {@link #deliver}, the volatile fields and, under its
 * account's lock, its presence; they never take its monitor, so no deadlock can form.
 */
final class DemoSession implements HostSession {
    private static final Logger LOG = LoggerFactory.getLogger(DemoSession.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final DemoHost host;
    private final ClientDescriptor client;
    private final ClientChannel channel;
    private final SaslNegotiator sasl;
    private final AtomicBoolean ended = new AtomicBoolean();
    /** False once the session left its account: routers under that lock then skip it. */
    private volatile boolean deliverable = true;
    private volatile String username;
    private volatile Jid jid;
    /** Written under the account's lock; null while unavailable. */
    private volatile AvailablePresence presence;

    DemoSession(DemoHost host, ClientDescriptor client, ClientChannel channel) {
        this.host = host;
        this.client = client;
        this.channel = channel;
        this.sasl = new SaslNegotiator(host.users(), host.domain(), host.clientConfiguration().mechanisms());
    }

    @Override
    public synchronized void received(Element element) {
        if (ended.get()) {
            return;
        }
        if (Namespaces.SASL.equals(element.getNamespaceURI())) {
            authenticate(element);
        } else if (Stanzas.isStanza(element)) {
            // A private copy: 'from' is rewritten, and the engine's element stays untouched.
            Element stanza = element.createCopy();
            if (jid == null) {
                beforeBinding(stanza);
            } else {
                stanza.addAttribute("from", jid.toString()); // never trust the client's 'from'
                route(stanza);
            }
        } else {
            // RFC 6120 section 4.9.3.24: a first-level element the server does not understand.
            LOG.info("Demo server: {} sent unsupported <{} xmlns='{}'>, closing", this, element.getName(),
                    element.getNamespaceURI());
            end(StreamErrorCondition.UNSUPPORTED_STANZA_TYPE);
        }
    }

    @Override
    public synchronized void closed() {
        end(null);
    }

    @Override
    public void deliveryFailed(Element stanza) {
        if ("message".equals(stanza.getName()) && username != null) {
            host.messages().redeliver(this, stanza.createCopy());
        } else if ("iq".equals(stanza.getName())) {
            host.iqs().undeliverable(stanza);
        }
    }

    /** Sends to the client unless the session has left its account (see the class comment). */
    void deliver(Element stanza) {
        if (deliverable) {
            channel.deliver(stanza);
        }
    }

    String username() {
        return username;
    }

    /** The bound full JID, or null before binding. */
    Jid jid() {
        return jid;
    }

    AvailablePresence presence() {
        return presence;
    }

    /** Only under the account's lock. */
    void setPresence(AvailablePresence presence) {
        this.presence = presence;
    }

    boolean isDeliverable() {
        return deliverable;
    }

    /** Ends the session from the server side, closing the client's stream with {@code condition}. */
    void kick(StreamErrorCondition condition) {
        end(condition);
    }

    private void authenticate(Element element) {
        if (username != null) {
            // Authenticated already; RFC 6120 allows one SASL negotiation per stream.
            Element failure = Stanzas.create("failure", Namespaces.SASL);
            Stanzas.add(failure, SaslFailure.MALFORMED_REQUEST.elementName(), Namespaces.SASL);
            channel.deliver(failure);
            return;
        }
        SaslNegotiator.Outcome outcome = sasl.handle(element);
        channel.deliver(outcome.reply());
        if (outcome.username() != null) {
            username = outcome.username();
            LOG.info("Demo server: {} authenticated as {}", this, username);
        } else if (outcome.retriesExhausted()) {
            LOG.info("Demo server: {} failed SASL {} times, closing", this, SaslNegotiator.MAX_FAILURES);
            end(StreamErrorCondition.POLICY_VIOLATION);
        }
    }

    /**
     * Stanzas before a resource is bound: only bind and session IQs are served once
     * authenticated. Other IQ requests get {@code not-authorized}; other stanzas are dropped,
     * as nobody could be told (RFC 6120 sections 6.1 and 7.1).
     */
    private void beforeBinding(Element stanza) {
        stanza.addAttribute("from", null); // the client has no address yet (null removes it)
        String type = stanza.attributeValue("type");
        boolean request = "iq".equals(stanza.getName()) && ("get".equals(type) || "set".equals(type));
        if (!request) {
            LOG.debug("Demo server: {} sent a <{}> before binding a resource, dropped", this, stanza.getName());
            return;
        }
        Element payload = Stanzas.iqPayload(stanza);
        if (username != null && payload != null && "set".equals(type)
                && Namespaces.BIND.equals(payload.getNamespaceURI()) && "bind".equals(payload.getName())) {
            bind(stanza, payload);
        } else if (username != null && payload != null && "set".equals(type)
                && Namespaces.SESSION.equals(payload.getNamespaceURI())) {
            channel.deliver(Stanzas.iqResult(stanza)); // legacy session establishment is a no-op
        } else {
            channel.deliver(Stanzas.errorReply(stanza, StanzaErrorCondition.NOT_AUTHORIZED));
        }
    }

    /** Resource binding (RFC 6120 section 7); a resource in use is taken over and its holder ended with conflict. */
    private void bind(Element iq, Element bind) {
        Element requested = bind.element("resource");
        String resource = requested == null ? "" : requested.getText().trim(); // getTextTrim() would fold inner spaces
        if (!resource.isEmpty() && !Jid.validResource(resource)) {
            channel.deliver(Stanzas.errorReply(iq, StanzaErrorCondition.BAD_REQUEST));
            return;
        }
        Account account = host.registry().account(username);
        DemoSession displaced;
        synchronized (account) {
            if (resource.isEmpty()) {
                do {
                    resource = "demo-" + HexFormat.of().toHexDigits(RANDOM.nextInt());
                } while (account.isBound(resource));
            }
            displaced = account.bind(resource, this);
            jid = Jid.of(username, host.domain(), resource);
        }
        if (displaced != null) {
            LOG.info("Demo server: {} takes over resource {} from {}", this, jid, displaced);
            displaced.kick(StreamErrorCondition.CONFLICT);
        }
        Element result = Stanzas.iqResult(iq);
        Element boundJid = Stanzas.add(Stanzas.add(result, "bind", Namespaces.BIND), "jid", Namespaces.BIND);
        boundJid.setText(jid.toString());
        channel.deliver(result);
    }

    private void route(Element stanza) {
        switch (stanza.getName()) {
            case "message":
                host.messages().route(this, stanza);
                break;
            case "presence":
                host.presences().handle(this, stanza);
                break;
            default:
                host.iqs().route(this, stanza);
        }
    }

    /**
     * Ends the session once: closes the client's stream when {@code condition} is given (the
     * engine then sends no {@link #closed()}), leaves the account, and broadcasts unavailable
     * presence if the session was available.
     */
    private void end(StreamErrorCondition condition) {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        if (condition != null) {
            channel.close(condition);
        }
        Jid bound = jid;
        AvailablePresence last = null;
        if (bound != null) {
            Account account = host.registry().account(username);
            synchronized (account) {
                deliverable = false;
                account.unbind(bound.resource(), this);
                last = presence;
                presence = null;
                host.registry().setAvailable(this, false);
            }
        } else {
            deliverable = false;
        }
        if (last != null) {
            host.presences().sessionEnded(this);
        }
        host.sessionEnded(this);
        LOG.debug("Demo server: {} ended{}", this, condition == null ? "" : " (" + condition.elementName() + ")");
    }

    @Override
    public String toString() {
        Jid bound = jid;
        return "session " + client.streamId() + (bound != null ? " (" + bound + ")" : "");
    }
}
