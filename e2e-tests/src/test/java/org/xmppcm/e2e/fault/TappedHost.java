package org.xmppcm.e2e.fault;

import java.time.Duration;
import java.util.Optional;
import org.dom4j.Element;
import org.xmppcm.engine.host.ClientChannel;
import org.xmppcm.engine.host.ClientDescriptor;
import org.xmppcm.engine.host.HostServer;
import org.xmppcm.engine.host.HostSession;
import org.xmppcm.protocol.cm.ClientConfiguration;

/**
 * The demo host with a tap on both sides of each session: which harness messages the host received from their
 * sender, and which it handed to their recipient's channel. That tells a message lost before the server had it
 * (on the way in: client, CM, link) from one lost after (on the way out: link, CM, client). Also gives the host the
 * rig's session grace period ({@link LinkTuning#grace()}), which the demo host alone leaves at zero.
 */
final class TappedHost implements HostServer {
    /** Told of harness messages (ids {@code fq<sender>_<seq>}) crossing the host; errors excluded. */
    interface Tap {
        void received(int sender, long seq);

        void delivered(int sender, long seq);
    }

    private final HostServer host;
    private final LinkTuning tuning;
    private final Tap tap;

    TappedHost(HostServer host, LinkTuning tuning, Tap tap) {
        this.host = host;
        this.tuning = tuning;
        this.tap = tap;
    }

    @Override
    public String domain() {
        return host.domain();
    }

    @Override
    public ClientConfiguration clientConfiguration() {
        return host.clientConfiguration();
    }

    @Override
    public Optional<String> managerSecret(String managerName) {
        return host.managerSecret(managerName);
    }

    @Override
    public Duration sessionGracePeriod() {
        return tuning.grace();
    }

    /** A report that crossed its session's close still reaches the demo host, which stores it offline. */
    @Override
    public void deliveryFailedAfterSessionEnd(Element stanza) {
        host.deliveryFailedAfterSessionEnd(stanza);
    }

    /** The engine's end of liveness: a link silent this long is lost. */
    @Override
    public Duration linkIdleTimeout() {
        return tuning.livenessTimeout();
    }

    @Override
    public HostSession openSession(ClientDescriptor client, ClientChannel channel) {
        HostSession session = host.openSession(client, tap == null ? channel : new TappedChannel(channel, tap));
        if (tap == null) {
            return session;
        }
        return new HostSession() {
            @Override
            public void received(Element stanza) {
                report(stanza, tap::received);
                session.received(stanza);
            }

            @Override
            public void closed() {
                session.closed();
            }

            @Override
            public void deliveryFailed(Element stanza) {
                session.deliveryFailed(stanza);
            }
        };
    }

    private interface IdSink {
        void id(int sender, long seq);
    }

    private static void report(Element stanza, IdSink sink) {
        if (!"message".equals(stanza.getName()) || "error".equals(stanza.attributeValue("type"))) {
            return;
        }
        String id = stanza.attributeValue("id");
        int sender = RawClient.senderOf(id);
        long seq = RawClient.seqOf(id);
        if (sender >= 0 && seq >= 0) {
            sink.id(sender, seq);
        }
    }

    private record TappedChannel(ClientChannel channel, Tap tap) implements ClientChannel {
        @Override
        public void deliver(Element stanza) {
            report(stanza, tap::delivered);
            channel.deliver(stanza);
        }

        @Override
        public void close(org.xmppcm.protocol.xml.StreamErrorCondition condition) {
            channel.close(condition);
        }

        @Override
        public String streamId() {
            return channel.streamId();
        }

        @Override
        public void pauseInput() {
            channel.pauseInput();
        }

        @Override
        public void resumeInput() {
            channel.resumeInput();
        }
    }
}
