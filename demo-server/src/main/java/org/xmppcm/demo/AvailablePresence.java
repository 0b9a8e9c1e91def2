package org.xmppcm.demo;

import org.dom4j.Element;

/**
 * The last available presence a session broadcast.
 *
 * @param stanza the presence as broadcast (from = full JID, no to); never modified after
 *               publication, and only read through {@link #copy()}
 * @param priority its priority, -128..127
 * @param sequence a host-wide counter value: higher means more recent
 */
record AvailablePresence(Element stanza, int priority, long sequence) {
    /** A private copy to address and deliver. Copying is synchronized because dom4j's lazy content lists are not safe to read concurrently. */
    Element copy() {
        synchronized (stanza) {
            return stanza.createCopy();
        }
    }
}
