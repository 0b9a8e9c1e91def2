package org.jivesoftware.openfire.net;

import org.jivesoftware.openfire.Connection;

/**
 * Compile-only mirror of Openfire's {@code AbstractConnection}: the superclass of {@link VirtualConnection}. Its
 * members (versions, namespaces, close listeners, the owning session) are inherited by the plugin but never called
 * by name, so none is mirrored.
 */
public abstract class AbstractConnection implements Connection {
}
