/**
 * The server side of the Connection Manager protocol: {@link org.xmppcm.engine.ConnectionManagerListener} accepts CM
 * links, each a {@link org.xmppcm.engine.CmLink} moving through {@link org.xmppcm.engine.LinkState#GRAPH} and acting on
 * its connection only through a {@link org.xmppcm.engine.LinkPort} ({@link org.xmppcm.engine.MinaLinkPort} on MINA).
 *
 * <p>Concurrency, as it is. A link's input (header, frames, stream end, close) is handled one event at a time, in
 * order, on a MINA I/O thread, or on the hand-off pool once the link runs TLS ({@link org.xmppcm.engine.LinkLayers});
 * that thread alone drives the negotiation (header, STARTTLS, zlib, restarts, handshake). Other threads may close a
 * link (the negotiation deadline's timer, a host thread whose send overflowed it, another link's event thread taking
 * it over, {@code stop()}): every move of its state is made under the link's monitor, with what the move itself
 * writes (our header, {@code <proceed/>}, {@code <compressed/>}, last words), the first close wins, and the registry
 * is told after the monitor is released; settling a lost link is a compare-and-set out of {@code LOST}. Any thread may send (the link's own event thread answering, host threads
 * delivering to sessions, another link's event thread sending again what a lost link had not delivered, the
 * registry's timer moving sessions on, the ack timer asking for acknowledgements): a send never blocks, writes on the
 * calling thread into MINA's queue, and on an acknowledged link numbers the element in its ledger under the ledger's
 * lock in the same step, so the numbers are the order on the wire. A session's stanzas stay in order because each goes
 * out under the session's outbox lock on the one link it is pinned to, and are held, not sent elsewhere, while that
 * link awaits a takeover. Locks are only ever taken in this order: the inbound count of the link whose element is
 * being handled, a {@code RoutedSession}'s monitor (held while the host is called), a {@code ManagerEntry}'s monitor,
 * a {@code RoutedSession}'s outbox, then a {@code CmLink}'s monitor or its ledger's (never one inside the other), then
 * MINA's TLS engine lock, which every write to a TLS link takes; read pauses take only a per-session lock of their
 * own. Host calls into a session's channel never take its monitor, and the I/O thread holding the TLS lock hands what
 * it decrypted to the pool without taking any lock of ours, so no thread waits for a lock while holding one later in
 * the order.
 */
package org.xmppcm.engine;
