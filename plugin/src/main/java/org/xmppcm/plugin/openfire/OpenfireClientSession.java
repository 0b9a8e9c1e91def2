package org.xmppcm.plugin.openfire;

import org.dom4j.Element;
import org.jivesoftware.openfire.SessionPacketRouter;
import org.jivesoftware.openfire.multiplex.UnknownStanzaException;
import org.jivesoftware.openfire.session.LocalClientSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmpp.packet.IQ;
import org.xmpp.packet.Message;
import org.xmpp.packet.PacketError;
import org.xmppcm.engine.host.HostSession;
import org.xmppcm.plugin.core.ClientInputHandler;
import org.xmppcm.plugin.core.ClientOutput;
import org.xmppcm.protocol.machine.SerialLane;
import org.xmppcm.protocol.xml.StreamErrorCondition;

/**
 * Feeds one routed client into its Openfire session. Its input goes through Openfire's {@link SessionPacketRouter}
 * (as Openfire's own multiplexer does) by way of a {@link ClientInputHandler}; a failed delivery goes to Openfire's
 * offline message strategy; the client's departure closes the Openfire session (contacts get unavailable presence).
 * All of it runs on the client's {@link SerialLane}, never on the engine's I/O thread.
 *
 * <p>It is also the session its input handler works on and its own dispatcher, slowing its client down when Openfire
 * falls behind: one object in those roles rather than three, as there is one of these for every client Openfire holds.
 * The dispatcher's lock is this object's monitor.
 */
final class OpenfireClientSession extends SerialLane implements HostSession, ClientInputHandler.Session {
    private static final Logger LOG = LoggerFactory.getLogger(OpenfireClientSession.class);

    private final RoutedConnection connection;
    private final LocalClientSession session;

    /** @param limits the pool that does Openfire's part, and when the client's input is paused */
    OpenfireClientSession(RoutedConnection connection, LocalClientSession session, SerialLane.Limits limits) {
        super(limits);
        this.connection = connection;
        this.session = session;
    }

    /**
     * A router made for each stanza, as Openfire's own handlers do, rather than kept: it is all but free to make, and
     * kept it would cost every idle client its bytes. JID validation stays on (the router's default): our connection
     * manager does not stringprep addresses.
     */
    @Override
    public boolean route(Element element) {
        try {
            OpenfireCalls.route(new SessionPacketRouter(session), element);
            return true;
        } catch (UnknownStanzaException e) {
            return false;
        }
    }

    @Override
    protected void pauseSource() {
        connection.channel().pauseInput();
    }

    @Override
    protected void resumeSource() {
        connection.channel().resumeInput();
    }

    /** The engine parsed {@code stanza} for this call and keeps nothing of it: Openfire's packet may own it. */
    @Override
    public void received(Element stanza) {
        if (!submit(() -> ClientInputHandler.handle(stanza, this))) {
            LOG.warn("{} has {} stanzas waiting for Openfire although its input is paused; ending it", connection,
                    pending());
            ClientInputHandler.end(StreamErrorCondition.RESOURCE_CONSTRAINT, this);
        }
    }

    @Override
    public void closed() {
        connection.output().clientGone();
        closeSession();
    }

    @Override
    public void deliveryFailed(Element stanza) {
        if ("iq".equals(stanza.getName())) {
            answerUndeliverable(stanza);
            return;
        }
        if (!"message".equals(stanza.getName())) {
            LOG.debug("{}: undeliverable <{}> is not a message; nothing to store", connection, stanza.getName());
            return;
        }
        Element copy = stanza.createCopy();
        Runnable store = () -> OpenfireCalls.storeOffline(new Message(copy));
        if (!submit(store)) {
            store.run(); // losing a message is worse than holding an I/O thread once
        }
    }

    /** A request that never reached the client: its sender gets service-unavailable instead of waiting forever. */
    private void answerUndeliverable(Element stanza) {
        IQ request = new IQ(stanza.createCopy());
        if (request.getType() != IQ.Type.get && request.getType() != IQ.Type.set || request.getFrom() == null) {
            return;
        }
        IQ error = IQ.createResultIQ(request);
        error.setChildElement(request.getChildElement() == null ? null : request.getChildElement().createCopy());
        error.setError(PacketError.Condition.service_unavailable);
        Runnable answer = () -> OpenfireCalls.routeIq(error);
        if (!submit(answer)) {
            answer.run();
        }
    }

    @Override
    public ClientOutput output() {
        return connection.output();
    }

    @Override
    public String toString() {
        return connection.toString();
    }

    /** Closes the Openfire session once what the client sent before has been handled. */
    @Override
    public void closeSession() {
        submitLast(() -> OpenfireCalls.close(connection, null));
    }
}
