package org.jivesoftware.openfire.spi;

import org.jivesoftware.openfire.StreamID;

/** Compile-only mirror: wraps a stream id chosen elsewhere (here: by the connection manager). */
public class BasicStreamIDFactory {

    private BasicStreamIDFactory() {
        throw new UnsupportedOperationException("compile-only stub");
    }

    public static StreamID createStreamID(String name) {
        throw new UnsupportedOperationException("compile-only stub");
    }
}
