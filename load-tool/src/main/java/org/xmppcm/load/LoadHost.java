package org.xmppcm.load;

import java.util.List;
import java.util.Optional;
import org.dom4j.Element;
import org.xmppcm.demo.DemoHost;
import org.xmppcm.engine.host.ClientChannel;
import org.xmppcm.engine.host.ClientDescriptor;
import org.xmppcm.engine.host.HostServer;
import org.xmppcm.engine.host.HostSession;
import org.xmppcm.protocol.cm.ClientConfiguration;
import org.xmppcm.protocol.cm.Namespaces;
import org.xmppcm.protocol.cm.TlsPolicy;
import org.xmppcm.protocol.xml.StreamErrorCondition;

/**
 * The demo host as a load test needs it. Two changes, both about the server, not the CM:
 * <ul>
 * <li>Roster "none": the demo roster makes every user everyone's contact, so each initial
 * presence is broadcast to every online client — N² stanzas for N clients, which would measure
 * nothing but that broadcast. Here an undirected presence is answered like a server with an
 * empty roster answers it: echoed to its sender only (RFC 6121 4.2.2). Everything else
 * (SASL, bind, messages) is the demo host's own code.</li>
 * <li>With {@code tls}/{@code zlib}, the pushed client configuration offers STARTTLS and zlib, so
 * a CM that supports them offers them to the load clients.</li>
 * </ul>
 */
final class LoadHost implements HostServer {
    private final DemoHost demo;
    private final boolean echoPresence;
    private final ClientConfiguration configuration;

    LoadHost(DemoHost demo, boolean echoPresence, boolean tls, boolean zlib) {
        this.demo = demo;
        this.echoPresence = echoPresence;
        ClientConfiguration base = DemoHost.demoClientConfiguration();
        this.configuration = new ClientConfiguration(tls ? TlsPolicy.OPTIONAL : base.tls(), base.mechanisms(),
                zlib ? List.of("zlib") : base.compressionMethods(), base.iqAuth(), base.register(), base.tuning());
    }

    @Override
    public String domain() {
        return demo.domain();
    }

    @Override
    public ClientConfiguration clientConfiguration() {
        return configuration;
    }

    @Override
    public Optional<String> managerSecret(String managerName) {
        return demo.managerSecret(managerName);
    }

    @Override
    public HostSession openSession(ClientDescriptor client, ClientChannel channel) {
        if (!echoPresence) {
            return demo.openSession(client, channel);
        }
        BindWatcher watcher = new BindWatcher(channel);
        return new EchoPresence(demo.openSession(client, watcher), watcher);
    }

    int sessionCount() {
        return demo.sessionCount();
    }

    /** Learns the client's full JID from the bind result passing by. */
    private static final class BindWatcher implements ClientChannel {
        private final ClientChannel channel;
        private volatile String jid;

        BindWatcher(ClientChannel channel) {
            this.channel = channel;
        }

        @Override
        public void deliver(Element stanza) {
            if (jid == null && "iq".equals(stanza.getName()) && "result".equals(stanza.attributeValue("type"))) {
                Element bind = stanza.element("bind");
                if (bind != null && bind.element("jid") != null) {
                    jid = bind.element("jid").getTextTrim();
                }
            }
            channel.deliver(stanza);
        }

        @Override
        public void close(StreamErrorCondition condition) {
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

    private record EchoPresence(HostSession inner, BindWatcher watcher) implements HostSession {
        @Override
        public void received(Element stanza) {
            String type = stanza.attributeValue("type");
            String jid = watcher.jid;
            if (jid != null && "presence".equals(stanza.getName()) && Namespaces.CLIENT.equals(stanza.getNamespaceURI())
                    && stanza.attributeValue("to") == null && (type == null || "unavailable".equals(type))) {
                Element echo = stanza.createCopy();
                echo.addAttribute("from", jid);
                echo.addAttribute("to", jid);
                watcher.channel.deliver(echo);
                return;
            }
            inner.received(stanza);
        }

        @Override
        public void closed() {
            inner.closed();
        }

        @Override
        public void deliveryFailed(Element stanza) {
            inner.deliveryFailed(stanza);
        }
    }
}
