package org.xmppcm.cm.compress;

import java.io.IOException;

/** The client's compressed data could not be inflated (XEP-0138 {@code processing-failed}). */
public final class CompressedStreamException extends IOException {
    private static final long serialVersionUID = 1L;

    public CompressedStreamException(String message) {
        super(message);
    }
}
