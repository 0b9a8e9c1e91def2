package org.xmppcm.load;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.filterchain.IoFilterAdapter;
import org.apache.mina.core.session.AttributeKey;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.core.write.WriteRequest;

/** The optional layers of a client stream: TLS that trusts anything (loopback tests only) and zlib. */
final class GeneratorLayers {
    private GeneratorLayers() {
    }

    /**
     * A TLS context that accepts any server certificate. Only for a load test on loopback against
     * a CM with a throwaway certificate; it authenticates nothing.
     */
    static SSLContext trustAll() {
        X509TrustManager anything = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {anything}, new SecureRandom());
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * XEP-0138 zlib for one session, in place between TLS and the XML codec: every write is
     * deflated with a sync flush (so the peer can parse it at once), every read inflated.
     */
    static final class Zlib extends IoFilterAdapter {
        private static final AttributeKey DEFLATER = new AttributeKey(Zlib.class, "deflater");
        private static final AttributeKey INFLATER = new AttributeKey(Zlib.class, "inflater");

        @Override
        public void messageReceived(NextFilter next, IoSession session, Object message) throws Exception {
            if (!(message instanceof IoBuffer in)) {
                next.messageReceived(session, message);
                return;
            }
            Inflater inflater = (Inflater) session.getAttribute(INFLATER);
            if (inflater == null) {
                inflater = new Inflater();
                session.setAttribute(INFLATER, inflater);
            }
            byte[] input = new byte[in.remaining()];
            in.get(input);
            inflater.setInput(input);
            IoBuffer out = IoBuffer.allocate(Math.max(256, input.length * 4)).setAutoExpand(true);
            byte[] chunk = new byte[8192];
            try {
                int n;
                while ((n = inflater.inflate(chunk)) > 0) {
                    out.put(chunk, 0, n);
                }
            } catch (DataFormatException e) {
                throw new java.io.IOException("zlib: " + e.getMessage(), e);
            }
            out.flip();
            if (out.hasRemaining()) {
                next.messageReceived(session, out);
            }
        }

        @Override
        public void filterWrite(NextFilter next, IoSession session, WriteRequest request) {
            if (request.getMessage() instanceof IoBuffer in) {
                Deflater deflater = (Deflater) session.getAttribute(DEFLATER);
                if (deflater == null) {
                    deflater = new Deflater();
                    session.setAttribute(DEFLATER, deflater);
                }
                byte[] input = new byte[in.remaining()];
                in.get(input);
                deflater.setInput(input);
                IoBuffer out = IoBuffer.allocate(input.length + 64).setAutoExpand(true);
                byte[] chunk = new byte[8192];
                int n;
                do { // a full chunk may mean more output is pending
                    n = deflater.deflate(chunk, 0, chunk.length, Deflater.SYNC_FLUSH);
                    out.put(chunk, 0, n);
                } while (n == chunk.length);
                request.setMessage(out.flip());
            }
            next.filterWrite(session, request);
        }

        @Override
        public void sessionClosed(NextFilter next, IoSession session) throws Exception {
            // Native zlib memory is not the garbage collector's: give it back now.
            if (session.removeAttribute(DEFLATER) instanceof Deflater d) {
                d.end();
            }
            if (session.removeAttribute(INFLATER) instanceof Inflater i) {
                i.end();
            }
            next.sessionClosed(session);
        }
    }
}
