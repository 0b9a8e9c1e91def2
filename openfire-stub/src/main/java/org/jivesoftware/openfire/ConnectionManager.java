package org.jivesoftware.openfire;

import org.jivesoftware.openfire.spi.ConnectionListener;
import org.jivesoftware.openfire.spi.ConnectionType;

/** Compile-only mirror of Openfire's {@code ConnectionManager} interface: looking up one of its listeners. */
public interface ConnectionManager {

    ConnectionListener getListener(ConnectionType type, boolean startInDirectTlsMode);
}
