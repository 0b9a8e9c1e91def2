package org.jivesoftware.openfire.spi;

/** Compile-only mirror: only the type, as the return type of {@code Connection.getConfiguration()}. */
public class ConnectionConfiguration {

    private ConnectionConfiguration() {
        throw new UnsupportedOperationException("compile-only stub");
    }
}
