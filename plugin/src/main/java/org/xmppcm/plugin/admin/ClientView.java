package org.xmppcm.plugin.admin;

import java.time.Instant;

/**
 * One client a manager carries, as the managers page lists it.
 *
 * @param streamId the stream id the manager gave it (the key to close it by)
 * @param user its address in Openfire: the full JID once bound, the domain before
 * @param address its IP address as the manager reported it, or null
 * @param link the link that carries what Openfire sends it, or null while the manager has none
 * @param since when the manager announced it
 * @param packetsReceived stanzas Openfire received from it
 * @param packetsSent stanzas Openfire sent to it
 */
public record ClientView(String streamId, String user, String address, String link, Instant since,
                         long packetsReceived, long packetsSent) {
}
