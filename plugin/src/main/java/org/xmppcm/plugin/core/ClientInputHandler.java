package org.xmppcm.plugin.core;

import java.util.Objects;
import org.dom4j.Element;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmppcm.protocol.xml.StreamErrorCondition;

/**
 * Decides what becomes of one element a routed client sent (runs on the client's {@link SerialDispatcher}): SASL steps
 * and stanzas go to Openfire's router, a SASL abort is answered with {@code <failure><aborted/>} (stock Openfire's
 * multiplexer answers it with an {@code unknown-stanza} error and leaves the client waiting), and anything Openfire
 * cannot take ends the client's stream with {@code unsupported-stanza-type} (RFC 6120 section 4.9.3.24). Once the
 * server has ended the stream, the client's remaining input is dropped.
 */
public final class ClientInputHandler {
    /** Openfire's router. */
    @FunctionalInterface
    public interface Router {
        /** Routes the element; false when Openfire does not know what it is. May throw on Openfire's failures. */
        boolean route(Element element);
    }

    private static final Logger LOG = LoggerFactory.getLogger(ClientInputHandler.class);

    private final Router router;
    private final ClientOutput output;
    private final Runnable closeSession;
    private final String label;

    /**
     * @param closeSession closes the Openfire session after the stream was ended (queued behind pending input)
     * @param label names the client in log lines
     */
    public ClientInputHandler(Router router, ClientOutput output, Runnable closeSession, String label) {
        this.router = Objects.requireNonNull(router, "router");
        this.output = Objects.requireNonNull(output, "output");
        this.closeSession = Objects.requireNonNull(closeSession, "closeSession");
        this.label = label;
    }

    public void handle(Element element) {
        if (output.isEndedByServer()) {
            return;
        }
        switch (ClientInput.classify(element)) {
            case SASL_STEP, STANZA -> route(element);
            case SASL_ABORT -> output.deliverElement(ClientInput.abortedFailure());
            case UNSUPPORTED -> {
                LOG.info("{} sent <{} xmlns='{}'>, which is not a stanza; ending it", label, element.getName(),
                        element.getNamespaceURI());
                end(StreamErrorCondition.UNSUPPORTED_STANZA_TYPE);
            }
        }
    }

    /** Server-side end: the manager is told at once, the Openfire session closes after the pending work. */
    public void end(StreamErrorCondition condition) {
        output.endStream(condition);
        closeSession.run();
    }

    private void route(Element element) {
        boolean known;
        try {
            known = router.route(element);
        } catch (RuntimeException e) {
            // Openfire failed on this one element; the session itself is fine.
            LOG.error("Openfire failed to process a <{}> of {}", element.getName(), label, e);
            return;
        }
        if (!known) {
            end(StreamErrorCondition.UNSUPPORTED_STANZA_TYPE);
        }
    }
}
