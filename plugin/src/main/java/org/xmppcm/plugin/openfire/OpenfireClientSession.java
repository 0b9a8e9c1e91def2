package org.xmppcm.plugin.openfire;

import org.dom4j.Element;
import org.jivesoftware.openfire.SessionPacketRouter;
import org.jivesoftware.openfire.multiplex.UnknownStanzaException;
import org.jivesoftware.openfire.session.LocalClientSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmpp.packet.Message;
import org.xmppcm.engine.host.HostSession;
import org.xmppcm.plugin.core.ClientInputHandler;
import org.xmppcm.plugin.core.SerialDispatcher;
import org.xmppcm.protocol.xml.StreamErrorCondition;

/**
 * Feeds one routed client into its Openfire session. Its input goes through Openfire's {@link SessionPacketRouter}
 * (as Openfire's own multiplexer does) by way of a {@link ClientInputHandler}; a failed delivery goes to Openfire's
 * offline message strategy; the client's departure closes the Openfire session (contacts get unavailable presence).
 * All of it runs on the client's {@link SerialDispatcher}, never on the engine's I/O thread.
 */
final class OpenfireClientSession implements HostSession {
    private static final Logger LOG = LoggerFactory.getLogger(OpenfireClientSession.class);

    private final RoutedConnection connection;
    private final SerialDispatcher dispatcher;
    private final ClientInputHandler input;

    OpenfireClientSession(RoutedConnection connection, LocalClientSession session, SerialDispatcher dispatcher) {
        this.connection = connection;
        this.dispatcher = dispatcher;
        // JID validation stays on (the router's default): our connection manager does not stringprep addresses.
        SessionPacketRouter router = new SessionPacketRouter(session);
        this.input = new ClientInputHandler(element -> {
            try {
                OpenfireCalls.route(router, element);
                return true;
            } catch (UnknownStanzaException e) {
                return false;
            }
        }, connection.output(), this::closeAfterPendingWork, connection.toString());
    }

    @Override
    public void received(Element stanza) {
        // Openfire's packets take ownership of (and modify) the element; the engine's stays untouched.
        Element copy = stanza.createCopy();
        if (!dispatcher.submit(() -> input.handle(copy))) {
            LOG.warn("{} has {} stanzas waiting for Openfire although its input is paused; ending it", connection,
                    dispatcher.pending());
            input.end(StreamErrorCondition.RESOURCE_CONSTRAINT);
        }
    }

    @Override
    public void closed() {
        connection.output().clientGone();
        closeAfterPendingWork();
    }

    @Override
    public void deliveryFailed(Element stanza) {
        if (!"message".equals(stanza.getName())) {
            LOG.debug("{}: undeliverable <{}> is not a message; nothing to store", connection, stanza.getName());
            return;
        }
        Element copy = stanza.createCopy();
        Runnable store = () -> OpenfireCalls.storeOffline(new Message(copy));
        if (!dispatcher.submit(store)) {
            store.run(); // losing a message is worse than holding an I/O thread once
        }
    }

    private void closeAfterPendingWork() {
        dispatcher.submitLast(() -> OpenfireCalls.close(connection, null));
    }
}
