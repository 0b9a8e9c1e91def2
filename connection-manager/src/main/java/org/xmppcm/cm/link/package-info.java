/**
 * Links to the server: each {@link org.xmppcm.cm.link.ServerLink} negotiated along {@link
 * org.xmppcm.cm.link.LinkGraph}, the {@link org.xmppcm.cm.link.LinkPool} that pins clients to links, and its {@link
 * org.xmppcm.cm.link.Outage} handling (grace period, hold buffers, takeovers).
 *
 * <p><b>Server links: who moves them, who writes.</b> A {@link org.xmppcm.cm.link.ServerLink} moves through {@link
 * org.xmppcm.cm.link.LinkGraph} only by compare-and-set on its {@code GraphPosition}, so two threads racing out of a
 * state (an event and a shutdown, a close and a takeover) cannot both leave it. Its events run in order, one at a time,
 * on the CM's link-event threads ({@code cm-link-events}, an ordered executor in front of the handler), never on the
 * I/O thread that holds the link's TLS lock while it delivers. Two events do run there, taking no lock of ours: TLS
 * done (a compare-and-set, then the new header) and message-sent (counters read, paused clients resumed). The link's
 * monitor is held by frame handling and by {@code shutdown} alone, so the shutdown's last acknowledgement counts every
 * element handled; no code holding it waits for another lock of ours, as its writes may wait for the TLS lock (it does
 * wait for a client's lane, see {@link org.xmppcm.cm.client}). Writes come from the link-event thread and from
 * whichever thread runs a client's lane (its routes): each is one queued write, and MINA keeps their order; on an
 * acknowledged link a counted element is numbered and queued in one step under the ledger's lock, so the numbers are
 * the wire order. Nothing is written once our stream is over. The pool's {@link org.xmppcm.cm.link.Outage} keeps its
 * own lock, taken inside the pool's monitor and never around a call out.
 */
package org.xmppcm.cm.link;
