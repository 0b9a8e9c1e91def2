package org.xmppcm.transport.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.filterchain.IoFilter.NextFilter;
import org.apache.mina.core.session.DummySession;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.core.write.DefaultWriteRequest;
import org.apache.mina.core.write.WriteRequest;
import org.junit.jupiter.api.Test;

class TlsRecordSlicerTest {
    private final TlsRecordSlicer slicer = new TlsRecordSlicer();
    private final IoSession session = new DummySession();
    private final List<WriteRequest> below = new ArrayList<>();
    private final List<WriteRequest> sentAbove = new ArrayList<>();

    private final NextFilter next = (NextFilter) java.lang.reflect.Proxy.newProxyInstance(
            NextFilter.class.getClassLoader(), new Class<?>[] {NextFilter.class}, (proxy, method, args) -> {
                switch (method.getName()) {
                    case "filterWrite" -> below.add((WriteRequest) args[1]);
                    case "messageSent" -> sentAbove.add((WriteRequest) args[1]);
                    default -> { }
                }
                return null;
            });

    @Test
    void aWriteThatFitsOneRecordPassesUntouched() {
        WriteRequest small = new DefaultWriteRequest(IoBuffer.wrap(new byte[TlsRecordSlicer.MAX_SLICE]));
        slicer.filterWrite(next, session, small);
        assertThat(below).containsExactly(small);
    }

    @Test
    void aLargeWriteLeavesInRecordSizedPiecesInOrderAndOnlyTheLastIsReportedSent() {
        byte[] payload = new byte[50_000];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) i;
        }
        WriteRequest large = new DefaultWriteRequest(IoBuffer.wrap(payload));

        slicer.filterWrite(next, session, large);

        assertThat(below).hasSize(4);
        assertThat(below.get(3)).isSameAs(large);
        IoBuffer joined = IoBuffer.allocate(payload.length);
        for (WriteRequest piece : below) {
            IoBuffer buffer = (IoBuffer) piece.getMessage();
            assertThat(buffer.remaining()).isLessThanOrEqualTo(TlsRecordSlicer.MAX_SLICE);
            joined.put(buffer.duplicate());
        }
        assertThat(joined.flip().array()).isEqualTo(payload);

        below.forEach(piece -> slicer.messageSent(next, session, piece));
        assertThat(sentAbove).containsExactly(large);
    }
}
