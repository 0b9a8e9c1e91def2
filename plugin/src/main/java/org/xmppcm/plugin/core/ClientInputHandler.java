package org.xmppcm.plugin.core;

import org.dom4j.Element;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmppcm.protocol.xml.StreamErrorCondition;

/**
 * Decides what becomes of one element a routed client sent (runs on the client's {@link SerialLane}): SASL steps
 * and stanzas go to Openfire's router, a SASL abort is answered with {@code <failure><aborted/>} (stock Openfire's
 * multiplexer answers it with an {@code unknown-stanza} error and leaves the client waiting), and anything Openfire
 * cannot take ends the client's stream with {@code unsupported-stanza-type} (RFC 6120 section 4.9.3.24). Once the
 * server has ended the stream, the client's remaining input is dropped.
 *
 * <p>Stateless: what it works on comes with each call ({@link Session}), so that no object of its own is kept for
 * each of the many clients Openfire holds.
 */
public final class ClientInputHandler {
    /** What the handler needs of one client's session; its {@code toString} names the client in log lines. */
    public interface Session {
        /** Openfire's router: routes the element; false when Openfire does not know what it is. May throw. */
        boolean route(Element element);

        /** The way to the client. */
        ClientOutput output();

        /** Closes the Openfire session after the stream was ended (queued behind pending input). */
        void closeSession();
    }

    private static final Logger LOG = LoggerFactory.getLogger(ClientInputHandler.class);

    private ClientInputHandler() {
    }

    public static void handle(Element element, Session session) {
        if (session.output().isEndedByServer()) {
            return;
        }
        switch (ClientInput.classify(element)) {
            case SASL_STEP, STANZA -> route(element, session);
            case SASL_ABORT -> session.output().deliverElement(ClientInput.abortedFailure());
            case UNSUPPORTED -> {
                LOG.info("{} sent <{} xmlns='{}'>, which is not a stanza; ending it", session, element.getName(),
                        element.getNamespaceURI());
                end(StreamErrorCondition.UNSUPPORTED_STANZA_TYPE, session);
            }
        }
    }

    /** Server-side end: the manager is told at once, the Openfire session closes after the pending work. */
    public static void end(StreamErrorCondition condition, Session session) {
        session.output().endStream(condition);
        session.closeSession();
    }

    private static void route(Element element, Session session) {
        boolean known;
        try {
            known = session.route(element);
        } catch (RuntimeException e) {
            // Openfire failed on this one element; the session itself is fine.
            LOG.error("Openfire failed to process a <{}> of {}", element.getName(), session, e);
            return;
        }
        if (!known) {
            end(StreamErrorCondition.UNSUPPORTED_STANZA_TYPE, session);
        }
    }
}
