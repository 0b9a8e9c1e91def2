// Test-only stand-in for the Openfire class of the same name (see org.xmppcm.plugin.openfire.standin.StandIn):
// same public signatures as openfire-stub, in-memory behaviour, state kept in StandIn so tests can reset it.
package org.jivesoftware.openfire.net;

import java.util.concurrent.atomic.AtomicBoolean;
import org.xmpp.packet.StreamError;
import org.xmppcm.plugin.openfire.standin.StandIn;

public abstract class VirtualConnection extends AbstractConnection {
    private final AtomicBoolean closed = new AtomicBoolean();

    /** Closes once, however often called (as Openfire's does), and records it. */
    @Override
    public void close(StreamError error) {
        if (closed.compareAndSet(false, true)) {
            StandIn.closed(this, error);
            closeVirtualConnection(error);
        }
    }

    public abstract void closeVirtualConnection(StreamError error);
}
