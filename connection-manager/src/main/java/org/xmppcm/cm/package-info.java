/**
 * The connection manager: client streams accepted on one side ({@link org.xmppcm.cm.ClientStream}, negotiated along
 * {@link org.xmppcm.cm.ClientStreamGraph}), links to the server on the other, and the pool that carries the first over
 * the second.
 *
 * <p><b>Server links: who moves them, who writes.</b> A {@link org.xmppcm.cm.ServerLink} moves through
 * {@link org.xmppcm.cm.LinkGraph} only by compare-and-set on its {@code GraphPosition}, so two threads racing out of a
 * state (an event and a shutdown, a close and a takeover) cannot both leave it. Its events run in order, one at a time,
 * on the CM's link-event threads ({@code cm-link-events}, an ordered executor in front of the handler), never on the
 * I/O thread that holds the link's TLS lock while it delivers. Two events do run there, taking no lock of ours: TLS
 * done (a compare-and-set, then the new header) and message-sent (counters read, paused clients resumed). The link's
 * monitor is held by frame handling and by {@code shutdown} alone, so the shutdown's last acknowledgement counts every
 * element handled; no code holding it waits for another lock of ours, as its writes may wait for the TLS lock (it does
 * wait for a client's lane, see below). Writes come from the link-event thread and from whichever thread runs a
 * client's lane (its routes): each is one queued write, and MINA keeps their order; on an acknowledged link a counted
 * element is numbered and queued in one step under the ledger's lock, so the numbers are the wire order. Nothing is
 * written once our stream is over. The pool's {@link org.xmppcm.cm.Outage} keeps its own lock, taken inside the pool's
 * monitor and never around a call out.
 *
 * <p><b>Client streams: one lane.</b> A client stream's state changes and writes happen in its one serial lane
 * ({@link org.xmppcm.protocol.machine.SerialLane} on the caller's thread), in the order the events were handed to it:
 * whichever thread finds the lane idle runs the event at once, and then what others queued meanwhile; a thread that
 * finds it busy only queues. The client's I/O thread never waits for the lane, because it may hold the TLS engine's
 * lock that every write to the client takes; while anything waits in the lane the client's reads are paused, and
 * resumed only once the lane is empty and its last task has finished, so nothing more is read while an event read
 * before still waits (the TLS or zlib layer after {@code <proceed/>} or {@code <compressed/>} is in place first). Other
 * threads (a link delivering a stanza, the CM's shutdown, timers) queue too; those that must know the outcome (was the
 * stanza delivered? is {@code system-shutdown} written?) wait for their task. That is safe because no task takes a
 * link's monitor or waits for any thread: a link-event thread waits holding its link's monitor, so that a stanza for a
 * client is handled to its end (delivered, or reported back) before the shutdown's last acknowledgement counts it. A
 * task never waits for its own lane. The stream touches its connection only through its
 * {@link org.xmppcm.cm.ClientPort} (the limits filters' keepalives and idle timeouts still write from the I/O thread,
 * outside the lane).
 */
package org.xmppcm.cm;
