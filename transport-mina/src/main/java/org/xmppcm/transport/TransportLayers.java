package org.xmppcm.transport;

import org.apache.mina.core.filterchain.IoFilter;
import org.apache.mina.core.filterchain.IoFilterChain;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.ssl.SslFilter;
import org.xmppcm.transport.compress.ZlibFilter;
import org.xmppcm.transport.tls.TlsRecordSlicer;

/**
 * The one place where layers go into an XMPP session's filter chain, on every side (client streams, both ends of a
 * link, the load tool), so that each chain is built the same way and every layer has its {@link FilterNames name}:
 * {@code tls, tls-slicer, [extra], zlib, xmpp} from the socket up.
 *
 * <p>Each layer goes in right after the element that announces it ({@code <proceed/>}, {@code <compressed/>}) was
 * written: MINA runs a write down the whole chain in the writing thread, so that element is already below the new
 * filter and leaves as it was, while everything written afterwards goes through it.
 */
public final class TransportLayers {
    /** Stateless, so one for every session. */
    private static final TlsRecordSlicer SLICER = new TlsRecordSlicer();

    private TransportLayers() {
    }

    /**
     * TLS from the next byte on, with the record slicer above it (a large stanza must not hold up every write behind
     * it, see {@link TlsRecordSlicer}).
     *
     * @throws IllegalArgumentException when the chain has TLS already
     */
    public static void addTls(IoSession session, SslFilter tls) {
        IoFilterChain chain = session.getFilterChain();
        chain.addFirst(FilterNames.TLS, tls);
        chain.addAfter(FilterNames.TLS, FilterNames.TLS_SLICER, SLICER);
    }

    /** {@code filter} right above TLS and its slicer (the engine's hand-off of decrypted events to a pool). */
    public static void addAboveTls(IoSession session, String name, IoFilter filter) {
        session.getFilterChain().addAfter(FilterNames.TLS_SLICER, name, filter);
    }

    /** zlib from the next byte on, right under the XMPP codec (so inside TLS when there is TLS, XEP-0138). */
    public static void addZlib(IoSession session, ZlibFilter zlib) {
        session.getFilterChain().addBefore(FilterNames.XMPP, FilterNames.ZLIB, zlib);
    }

    public static boolean hasTls(IoSession session) {
        return session.getFilterChain().contains(FilterNames.TLS);
    }

    public static boolean hasZlib(IoSession session) {
        return session.getFilterChain().contains(FilterNames.ZLIB);
    }
}
