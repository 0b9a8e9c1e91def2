package org.jivesoftware.openfire;

/** Compile-only mirror: only the type (the plugin passes stream ids through, it never reads them back). */
public interface StreamID {
}
