package org.xmppcm.plugin.core;

import java.util.Objects;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.dom4j.Element;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmppcm.engine.host.ClientChannel;
import org.xmppcm.protocol.xml.StreamErrorCondition;

/**
 * Everything Openfire sends one routed client, on its way to the engine's {@link ClientChannel}: stanzas put into
 * {@code jabber:client} ({@link ClientNamespace}), raw text parsed back into elements ({@link RawText}), and the end
 * of the client's stream, sent at most once, and never for a client the engine already reported gone (the manager
 * knows; a {@code <close/>} for it would only be refused).
 *
 * <p>Thread-safe: Openfire delivers from any thread.
 */
public final class ClientOutput {
    private static final Logger LOG = LoggerFactory.getLogger(ClientOutput.class);

    /** The engine ended the client (it left, or its manager went): nothing may be sent back for it. */
    private static final int CLIENT_GONE = 1;
    /** The client's stream has ended (either way): nothing more goes out. */
    private static final int STREAM_ENDED = 2;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(ClientOutput.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final ClientChannel channel;
    private final Object label;
    /** {@link #CLIENT_GONE} and {@link #STREAM_ENDED} bits: a field rather than two atomics, for many idle clients. */
    private volatile int state;

    /** @param label names the client in log lines (its {@code toString}, called only when something is logged) */
    public ClientOutput(ClientChannel channel, Object label) {
        this.channel = Objects.requireNonNull(channel, "channel");
        this.label = label;
    }

    /** The engine's side of the client this output goes to. */
    public ClientChannel channel() {
        return channel;
    }

    /** A stanza Openfire built (in no namespace, as its packet classes do). */
    public void deliverStanza(Element stanza) {
        if ((state & STREAM_ENDED) == 0) {
            channel.deliver(ClientNamespace.toClient(stanza));
        }
    }

    /** An element already in its namespace (a SASL reply the plugin makes itself). */
    public void deliverElement(Element element) {
        if ((state & STREAM_ENDED) == 0) {
            channel.deliver(element);
        }
    }

    /** Text Openfire wrote as raw XML: delivered as elements, a stream error ends the stream; never sent as text. */
    public void deliverRawText(String text) {
        RawText.Translation translation;
        try {
            translation = RawText.translate(text);
        } catch (IllegalArgumentException e) {
            LOG.warn("Dropping raw text Openfire wrote to {}: {}", label, e.getMessage());
            return;
        }
        if (!translation.ignored().isEmpty()) {
            LOG.debug("Not forwarding {} to {}", translation.ignored(), label);
        }
        for (Element element : translation.deliver()) {
            deliverElement(element);
        }
        if (translation.endStream() != null) {
            endStream(translation.endStream());
        }
    }

    /** Ends the client's stream at the manager with {@code condition}: once, and only while the client is there. */
    public void endStream(StreamErrorCondition condition) {
        int before = (int) STATE.getAndBitwiseOr(this, STREAM_ENDED);
        if ((before & (STREAM_ENDED | CLIENT_GONE)) == 0) {
            channel.close(condition);
        }
    }

    /** Openfire closed the session, with this {@code <stream:error>} or none. */
    public void serverClosed(Element streamErrorOrNull) {
        endStream(StreamErrors.forServerClose(streamErrorOrNull));
    }

    /** The engine reported the client gone: the close that follows must not be echoed to the manager. */
    public void clientGone() {
        STATE.getAndBitwiseOr(this, CLIENT_GONE | STREAM_ENDED);
    }

    /** True once the server ended the stream (not the client): the client's pending input is not worth routing. */
    public boolean isEndedByServer() {
        int now = state;
        return (now & STREAM_ENDED) != 0 && (now & CLIENT_GONE) == 0;
    }
}
