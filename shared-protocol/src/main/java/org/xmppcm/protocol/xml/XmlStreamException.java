package org.xmppcm.protocol.xml;

/**
 * The peer broke the stream: carries the stream error condition to send before closing.
 * Recoverable in the sense that it never escapes to the transport as a stack trace: the
 * caller answers with {@code <stream:error>} and closes the connection.
 */
public final class XmlStreamException extends Exception {
    private static final long serialVersionUID = 1L;

    private final StreamErrorCondition condition;

    public XmlStreamException(StreamErrorCondition condition, String text) {
        super(text);
        this.condition = condition;
    }

    public XmlStreamException(StreamErrorCondition condition, String text, Throwable cause) {
        super(text, cause);
        this.condition = condition;
    }

    public StreamErrorCondition condition() {
        return condition;
    }
}
