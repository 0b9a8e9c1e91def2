/**
 * Client streams: each {@link org.xmppcm.cm.client.ClientStream} negotiated along {@link
 * org.xmppcm.cm.client.ClientStreamGraph} (STARTTLS, SASL, binding, compression) and then routed, its acceptors,
 * authentication deadlines and the stream features it offers.
 *
 * <p><b>Client streams: one lane.</b> A client stream's state changes and writes happen in its one serial lane ({@link
 * org.xmppcm.protocol.machine.SerialLane} on the caller's thread), in the order the events were handed to it: whichever
 * thread finds the lane idle runs the event at once, and then what others queued meanwhile; a thread that finds it busy
 * only queues. The client's I/O thread never waits for the lane, because it may hold the TLS engine's lock that every
 * write to the client takes; while anything waits in the lane the client's reads are paused, and resumed only once the
 * lane is empty and its last task has finished, so nothing more is read while an event read before still waits (the TLS
 * or zlib layer after {@code <proceed/>} or {@code <compressed/>} is in place first). Other threads (a link delivering
 * a stanza, the CM's shutdown, timers) queue too; those that must know the outcome (was the stanza delivered? is {@code
 * system-shutdown} written?) wait for their task. That is safe because no task takes a link's monitor or waits for any
 * thread: a link-event thread waits holding its link's monitor, so that a stanza for a client is handled to its end
 * (delivered, or reported back) before the shutdown's last acknowledgement counts it. A task never waits for its own
 * lane. The stream touches its connection only through its {@link org.xmppcm.cm.client.ClientPort} (the limits filters'
 * keepalives and idle timeouts still write from the I/O thread, outside the lane).
 */
package org.xmppcm.cm.client;
