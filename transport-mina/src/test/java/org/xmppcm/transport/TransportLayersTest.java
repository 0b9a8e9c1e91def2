package org.xmppcm.transport;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.mina.core.filterchain.IoFilterAdapter;
import org.apache.mina.core.filterchain.IoFilterChain;
import org.apache.mina.core.session.DummySession;
import org.apache.mina.filter.ssl.SslFilter;
import org.junit.jupiter.api.Test;
import org.xmppcm.transport.compress.ZlibFilter;
import org.xmppcm.transport.compress.ZlibTuning;
import org.xmppcm.transport.testing.TestTls;

/** Every side builds its chain the same way: from the socket up, tls, tls-slicer, [what the caller adds], zlib, xmpp. */
class TransportLayersTest {
    @Test
    void layersGoInUnderTheCodecInTheOrderXep0138Wants() throws Exception {
        DummySession session = new DummySession();
        session.getFilterChain().addLast(FilterNames.XMPP, new IoFilterAdapter());
        assertThat(TransportLayers.hasTls(session) || TransportLayers.hasZlib(session)).isFalse();

        TransportLayers.addTls(session, new SslFilter(TestTls.serverContext()) {
            @Override
            public void onPostAdd(IoFilterChain parent, String name, NextFilter next) {
                // no handshake on a session without a socket
            }
        });
        TransportLayers.addAboveTls(session, "handoff", new IoFilterAdapter());
        TransportLayers.addZlib(session, new ZlibFilter(ZlibTuning.LINK));

        assertThat(session.getFilterChain().getAll()).extracting(IoFilterChain.Entry::getName)
                .containsExactly(FilterNames.TLS, FilterNames.TLS_SLICER, "handoff", FilterNames.ZLIB, FilterNames.XMPP);
        assertThat(TransportLayers.hasTls(session) && TransportLayers.hasZlib(session)).isTrue();
    }
}
