package org.xmppcm.transport;

/**
 * The names of the layers in every XMPP session's filter chain, on both ends (client streams, CM links on either
 * side, the load tool), from the socket up: {@value #TLS} and its {@value #TLS_SLICER}, then {@value #ZLIB} (inside TLS, XEP-0138), then the
 * {@value #XMPP} codec. One set of names, so that a layer can be found (and counted, for metrics and admin pages)
 * whichever side put it in.
 */
public final class FilterNames {
    public static final String TLS = "tls";
    /** Right above TLS: cuts large writes into records (see {@code TlsRecordSlicer}). */
    public static final String TLS_SLICER = "tls-slicer";
    public static final String ZLIB = "zlib";
    public static final String XMPP = "xmpp";

    private FilterNames() {
    }
}
