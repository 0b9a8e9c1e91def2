package org.xmppcm.protocol.cm;

/** Namespace URIs used by the Connection Manager protocol and the client streams it carries. */
public final class Namespaces {
    public static final String STREAMS = "http://etherx.jabber.org/streams";
    public static final String CLIENT = "jabber:client";
    /** The default namespace of a CM link stream. */
    public static final String CONNECTION_MANAGER = "jabber:connectionmanager";
    /** Session IQs and the configuration IQ. */
    public static final String CM_PROTOCOL = "http://jabber.org/protocol/connectionmanager";
    /** Application-specific error conditions of the protocol. */
    public static final String CM_ERRORS = "http://jabber.org/protocol/connectionmanager#errors";
    public static final String STANZAS = "urn:ietf:params:xml:ns:xmpp-stanzas";
    public static final String STREAM_ERRORS = "urn:ietf:params:xml:ns:xmpp-streams";
    public static final String TLS = "urn:ietf:params:xml:ns:xmpp-tls";
    public static final String SASL = "urn:ietf:params:xml:ns:xmpp-sasl";
    public static final String BIND = "urn:ietf:params:xml:ns:xmpp-bind";
    public static final String SESSION = "urn:ietf:params:xml:ns:xmpp-session";
    public static final String COMPRESS_FEATURE = "http://jabber.org/features/compress";
    public static final String COMPRESS_PROTOCOL = "http://jabber.org/protocol/compress";
    public static final String IQ_AUTH_FEATURE = "http://jabber.org/features/iq-auth";
    public static final String IQ_REGISTER_FEATURE = "http://jabber.org/features/iq-register";
    /** XEP-0451 Stanza Multiplexing. */
    public static final String MUX = "urn:xmpp:mux:0";
    /** Our own extensions of the link stream, such as the manager's {@link ManagerInstance} on its header. */
    public static final String LINK = "urn:xmppcm:link:0";
    /** Our own tuning element inside the configuration IQ. */
    public static final String TUNING = "urn:xmppcm:tuning:0";

    private Namespaces() {
    }
}
