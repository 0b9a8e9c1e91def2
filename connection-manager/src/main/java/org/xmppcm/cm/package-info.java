/**
 * The connection manager: client streams accepted on one side ({@link org.xmppcm.cm.client}), links to the server on
 * the other ({@link org.xmppcm.cm.link}), and the {@link org.xmppcm.cm.ConnectionManager} that carries the first over
 * the second: it hands each client's routes to the link pool through {@link org.xmppcm.cm.client.Uplink} and each
 * routed stanza from a link to its client stream. The two packages meet only there: a client stream never sees a link,
 * and a link knows its clients by stream id alone.
 */
package org.xmppcm.cm;
