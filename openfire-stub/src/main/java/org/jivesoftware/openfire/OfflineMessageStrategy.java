package org.jivesoftware.openfire;

import org.xmpp.packet.Message;

/** Compile-only mirror: stores a message for later delivery (or bounces it, per Openfire's settings). */
public class OfflineMessageStrategy {

    private OfflineMessageStrategy() {
        throw new UnsupportedOperationException("compile-only stub");
    }

    public void storeOffline(Message message) {
        throw new UnsupportedOperationException("compile-only stub");
    }
}
