package org.xmppcm.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.BufferOverflowException;
import javax.net.ssl.SSLHandshakeException;
import org.apache.mina.core.write.DefaultWriteRequest;
import org.apache.mina.core.write.WriteTimeoutException;
import org.apache.mina.core.write.WriteToClosedSessionException;
import org.apache.mina.filter.codec.ProtocolDecoderException;
import org.junit.jupiter.api.Test;
import org.xmppcm.protocol.xml.StreamErrorCondition;
import org.xmppcm.protocol.xml.XmlStreamException;
import org.xmppcm.transport.compress.CompressedStreamException;

class IoFailureTest {
    @Test
    void aStreamErrorIsFoundUnderTheCodecsWrapperAndKeepsItsCondition() {
        XmlStreamException parser = new XmlStreamException(StreamErrorCondition.NOT_WELL_FORMED, "line 1: junk");
        IoFailure failure = IoFailure.classify(new ProtocolDecoderException(parser));

        assertThat(failure.kind()).isEqualTo(IoFailure.Kind.STREAM_ERROR);
        assertThat(failure.streamError()).get().extracting(XmlStreamException::condition)
                .isEqualTo(StreamErrorCondition.NOT_WELL_FORMED);
        assertThat(failure.describe()).as("for the log").contains("not-well-formed", "line 1: junk");
    }

    @Test
    void theSpecificIoErrorsAreToldApartFromALostConnection() {
        assertThat(IoFailure.classify(new CompressedStreamException("bad block")).kind())
                .isEqualTo(IoFailure.Kind.COMPRESSION);
        assertThat(IoFailure.classify(new SSLHandshakeException("no cipher")).kind()).isEqualTo(IoFailure.Kind.TLS);
        assertThat(IoFailure.classify(new WriteToClosedSessionException(new DefaultWriteRequest("x"))).kind())
                .isEqualTo(IoFailure.Kind.WRITE_TO_CLOSED);
        assertThat(IoFailure.classify(new WriteTimeoutException(new DefaultWriteRequest("x"))).kind())
                .isEqualTo(IoFailure.Kind.WRITE_TIMEOUT);
        assertThat(IoFailure.classify(new BufferOverflowException()).kind()).isEqualTo(IoFailure.Kind.WRITE_OVERFLOW);
        assertThat(IoFailure.classify(new IOException("Connection reset by peer")).kind())
                .isEqualTo(IoFailure.Kind.CONNECTION_LOST);
    }

    @Test
    void anythingElseIsOurBug() {
        IoFailure failure = IoFailure.classify(new NullPointerException());

        assertThat(failure.kind()).isEqualTo(IoFailure.Kind.UNEXPECTED);
        assertThat(failure.streamError()).isEmpty();
    }
}
