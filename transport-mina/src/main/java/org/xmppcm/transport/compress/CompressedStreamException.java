package org.xmppcm.transport.compress;

import java.io.IOException;

/** The peer's compressed data (a client's, or a CM link's) could not be inflated (XEP-0138 {@code processing-failed}). */
public final class CompressedStreamException extends IOException {
    private static final long serialVersionUID = 1L;

    public CompressedStreamException(String message) {
        super(message);
    }
}
