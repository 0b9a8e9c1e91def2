package org.xmppcm.protocol.cm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.dom4j.Element;
import org.xmppcm.protocol.xml.StreamErrorCondition;

/**
 * Writers and readers for the control elements of the Connection Manager protocol. Writers return
 * serialized XML (single-quoted attributes, escaped values); readers take dom4j elements built by
 * {@link XmlDom} from a frame and validate them. Stateless.
 *
 * <p>The elements, as stock Openfire 5.1.1 exchanges them ({@code ../shared/openfire-transcripts/}):
 * <pre>
 *   CM -&gt; server   &lt;?xml version='1.0' encoding='UTF-8'?&gt;&lt;stream:stream xmlns:stream='..' xmlns='jabber:connectionmanager' to='cmtest/conn1' version='1.0'&gt;   {@link #linkStreamOpen}
 *   server -&gt; CM   &lt;?xml ...?&gt;&lt;stream:stream ... from="cmtest/conn1" id="4gh424n0i7"&gt;&lt;stream:features&gt;..&lt;/stream:features&gt;  {@link #linkStreamOpenReply}
 *   CM -&gt; server   &lt;handshake&gt;213ab6de63f30db6484dec2f5de5746bf3184ebf&lt;/handshake&gt;                                      {@link #handshake}
 *   server -&gt; CM   &lt;handshake&gt;&lt;/handshake&gt;                                                                         {@link #handshakeAck}
 *   server -&gt; CM   &lt;iq type="set" id="726-2"&gt;&lt;configuration xmlns=".."&gt;&lt;starttls/&gt;&lt;mechanisms/&gt;..&lt;/configuration&gt;&lt;/iq&gt;   {@link #configurationIq}, {@link #parseConfiguration}
 *   CM -&gt; server   &lt;iq type='result' id='726-2'/&gt;                                                                  {@link #iqResult}
 *   CM -&gt; server   &lt;iq type='set' id='create-1'&gt;&lt;session xmlns='..' id='c0ffee03'&gt;&lt;create&gt;&lt;host name='localhost' address='127.0.0.1'/&gt;&lt;/create&gt;&lt;/session&gt;&lt;/iq&gt;   {@link #sessionIq}, {@link #parseSessionIq}
 *   server -&gt; CM   &lt;iq type="error" id="e1"&gt;ECHOED CHILD&lt;error code="400" type="modify"&gt;&lt;bad-request/&gt;&lt;id-required/&gt;&lt;/error&gt;&lt;/iq&gt;   {@link #iqError}, {@link #parseError}
 *   server -&gt; CM   &lt;route streamid="nosuchsid" type="error"&gt;&lt;error code="404" type="cancel"&gt;&lt;item-not-found/&gt;&lt;/error&gt;&lt;/route&gt;   {@link #routeError}
 *   either         &lt;stream:error&gt;&lt;system-shutdown xmlns='urn:ietf:params:xml:ns:xmpp-streams'/&gt;&lt;/stream:error&gt;     {@link #streamError}, {@link #parseStreamError}
 * </pre>
 *
 * <p>Readers follow stock Openfire's leniency where it matters for interoperability (child
 * elements are found by local name, unknown children are ignored) and its error conditions
 * exactly (see {@link #parseSessionIq}). Every reader throws {@link CmProtocolException} carrying
 * the stanza error to answer with.
 */
public final class CmElements {
    private CmElements() {
    }

    /** {@code <handshake/>}: the server's acknowledgement (stock Openfire writes {@code <handshake></handshake>}, same meaning). */
    public static final String HANDSHAKE_ACK = "<handshake/>";

    /** CM to server: {@code <?xml?><stream:stream xmlns='jabber:connectionmanager' to='NAME/connN' version='1.0'>}. */
    public static String linkStreamOpen(String to) {
        return linkStreamOpen(to, null);
    }

    /** As {@link #linkStreamOpen(String)}, naming the manager's process ({@link ManagerInstance}) unless null. */
    public static String linkStreamOpen(String to, ManagerInstance instance) {
        XmlWriter w = new XmlWriter().start("stream:stream").xmlns("stream", Namespaces.STREAMS)
                .xmlns(Namespaces.CONNECTION_MANAGER);
        if (instance != null) {
            w.xmlns(ManagerInstance.PREFIX, Namespaces.LINK)
                    .attr(ManagerInstance.PREFIX + ":" + ManagerInstance.ATTRIBUTE, instance.toString());
        }
        return xmlDeclaration() + w.optAttr("to", to).attr("version", "1.0").leaveOpen();
    }

    /** Server to CM: the answering header (from echoes the CM's {@code to}) followed by {@code featuresXml} wrapped in {@code <stream:features>}. */
    public static String linkStreamOpenReply(String from, String streamId, String featuresXml) {
        XmlWriter w = new XmlWriter().start("stream:stream").xmlns("stream", Namespaces.STREAMS)
                .xmlns(Namespaces.CONNECTION_MANAGER).optAttr("from", from).attr("id", streamId)
                .attr("version", "1.0").leaveOpen()
                .start("stream:features");
        if (featuresXml != null && !featuresXml.isEmpty()) {
            w.raw(featuresXml);
        }
        return xmlDeclaration() + w.end();
    }

    /** {@code <handshake>digest</handshake>}. */
    public static String handshake(String digest) {
        if (digest == null || digest.isEmpty()) {
            return HANDSHAKE_ACK;
        }
        return new XmlWriter().textElement("handshake", digest).toString();
    }

    /** The server's empty {@code <handshake/>} that acknowledges a correct digest. */
    public static String handshakeAck() {
        return HANDSHAKE_ACK;
    }

    /**
     * Reads a {@code <handshake>}: the digest with surrounding white space removed, "" for the
     * server's acknowledgement ({@code <handshake></handshake>} or {@code <handshake/>}).
     */
    public static String parseHandshake(Element handshake) throws CmProtocolException {
        requireName(handshake, "handshake");
        return handshake.getText().strip();
    }

    /** {@code <iq type='set' id='ID'><configuration xmlns='...'>...</configuration></iq>}. */
    public static String configurationIq(String iqId, ClientConfiguration configuration) {
        XmlWriter w = new XmlWriter().start("iq").attr("type", "set").attr("id", iqId)
                .start("configuration").xmlns(Namespaces.CM_PROTOCOL);
        if (configuration.tls() != TlsPolicy.DISABLED) {
            w.start("starttls").xmlns(Namespaces.TLS);
            if (configuration.tls() == TlsPolicy.REQUIRED) {
                w.empty("required");
            }
            w.end();
        }
        if (!configuration.mechanisms().isEmpty()) {
            w.start("mechanisms").xmlns(Namespaces.SASL);
            for (String mechanism : configuration.mechanisms()) {
                w.textElement("mechanism", mechanism);
            }
            w.end();
        }
        if (!configuration.compressionMethods().isEmpty()) {
            w.start("compression").xmlns(Namespaces.COMPRESS_FEATURE);
            for (String method : configuration.compressionMethods()) {
                w.textElement("method", method);
            }
            w.end();
        }
        if (configuration.iqAuth()) {
            w.empty("auth", Namespaces.IQ_AUTH_FEATURE);
        }
        if (configuration.register()) {
            w.empty("register", Namespaces.IQ_REGISTER_FEATURE);
        }
        if (!configuration.tuning().isEmpty()) {
            w.start("tuning").xmlns(Namespaces.TUNING);
            for (Map.Entry<String, String> param : new TreeMap<>(configuration.tuning()).entrySet()) {
                w.start("param").attr("name", param.getKey()).attr("value", param.getValue()).end();
            }
            w.end();
        }
        return w.end().end().toString();
    }

    /**
     * Reads the {@code <configuration>} child of a configuration IQ. Stock Openfire's form
     * (01-link-setup.txt) and ours:
     * <pre>
     *   &lt;configuration xmlns="http://jabber.org/protocol/connectionmanager"&gt;
     *     &lt;starttls xmlns="urn:ietf:params:xml:ns:xmpp-tls"/&gt;            absent: DISABLED, empty: OPTIONAL, &lt;required/&gt; inside: REQUIRED
     *     &lt;mechanisms xmlns="urn:ietf:params:xml:ns:xmpp-sasl"&gt;&lt;mechanism&gt;PLAIN&lt;/mechanism&gt;..&lt;/mechanisms&gt;
     *     &lt;compression xmlns="http://jabber.org/features/compress"&gt;&lt;method&gt;zlib&lt;/method&gt;&lt;/compression&gt;
     *     &lt;auth xmlns="http://jabber.org/features/iq-auth"/&gt;             iqAuth
     *     &lt;register xmlns="http://jabber.org/features/iq-register"/&gt;     register
     *     &lt;tuning xmlns="urn:xmppcm:tuning:0"&gt;&lt;param name=".." value=".."/&gt;&lt;/tuning&gt;   ours only
     *   &lt;/configuration&gt;
     * </pre>
     * Children are recognized by local name, unknown ones ignored (a newer server may add some);
     * a {@code <tuning>} in another namespace is not ours and is ignored.
     *
     * @throws CmProtocolException {@code bad-request} when the element is not a configuration, or a
     *         tuning parameter lacks a name or value or repeats one
     */
    public static ClientConfiguration parseConfiguration(Element configuration) throws CmProtocolException {
        requireName(configuration, "configuration", Namespaces.CM_PROTOCOL);
        TlsPolicy tls = TlsPolicy.DISABLED;
        List<String> mechanisms = new ArrayList<>();
        List<String> compression = new ArrayList<>();
        boolean iqAuth = false;
        boolean register = false;
        Map<String, String> tuning = new LinkedHashMap<>();
        for (Element child : configuration.elements()) {
            switch (child.getName()) {
                case "starttls" -> tls = firstChild(child, "required") != null ? TlsPolicy.REQUIRED : TlsPolicy.OPTIONAL;
                case "mechanisms" -> collectTexts(child, "mechanism", mechanisms);
                case "compression" -> collectTexts(child, "method", compression);
                case "auth" -> iqAuth = true;
                case "register" -> register = true;
                case "tuning" -> {
                    if (Namespaces.TUNING.equals(child.getNamespaceURI())) {
                        readTuning(child, tuning);
                    }
                }
                default -> {
                    // unknown feature: ignored
                }
            }
        }
        return new ClientConfiguration(tls, mechanisms, compression, iqAuth, register, tuning);
    }

    /**
     * Reads a whole configuration IQ ({@code <iq type='set'>} with a {@code <configuration>} child).
     *
     * @throws CmProtocolException {@code bad-request} when it is not one, or as {@link #parseConfiguration}
     */
    public static ClientConfiguration parseConfigurationIq(Element iq) throws CmProtocolException {
        requireName(iq, "iq");
        if (!"set".equals(iq.attributeValue("type"))) {
            throw badRequest(null, "configuration IQ of type " + iq.attributeValue("type"));
        }
        Element configuration = firstChild(iq, "configuration");
        if (configuration == null) {
            throw badRequest(null, "IQ without configuration");
        }
        return parseConfiguration(configuration);
    }

    /** True when {@code iq} is a configuration push: {@code <iq type='set'>} with a {@code <configuration>} in the protocol namespace. */
    public static boolean isConfigurationIq(Element iq) {
        Element child = firstElement(iq);
        return "iq".equals(iq.getName()) && "set".equals(iq.attributeValue("type")) && child != null
                && "configuration".equals(child.getName()) && Namespaces.CM_PROTOCOL.equals(child.getNamespaceURI());
    }

    /** Serializes a session IQ ({@code type='set'}). */
    public static String sessionIq(SessionIq iq) {
        XmlWriter w = new XmlWriter().start("iq").attr("type", "set").attr("id", iq.iqId())
                .start("session").xmlns(Namespaces.CM_PROTOCOL).attr("id", iq.streamId());
        if (iq instanceof SessionIq.Create create) {
            w.start("create");
            if (create.hostName() != null || create.hostAddress() != null) {
                w.start("host").optAttr("name", create.hostName()).optAttr("address", create.hostAddress()).end();
            }
            w.end();
        } else if (iq instanceof SessionIq.Close close) {
            w.start("close");
            if (close.streamErrorXml() != null) {
                w.raw(close.streamErrorXml());
            }
            w.end();
        } else if (iq instanceof SessionIq.Failed failed) {
            w.start("failed").raw(failed.stanzaXml()).end();
        } else {
            throw new IllegalArgumentException("unknown session IQ " + iq);
        }
        return w.end().end().toString();
    }

    /**
     * Reads an {@code <iq>} whose child is {@code <session>}. Errors as stock Openfire gives them
     * (06a-error-iqs.txt): no session id: {@code bad-request} + {@code id-required}; type get or no
     * create/close/failed: {@code bad-request}; failed with other than one {@code <message>}:
     * {@code bad-request} + {@code invalid-payload} (0 or 2+ children) or {@code unknown-stanza}.
     *
     * <p>The checks run in Openfire's order ({@code MultiplexerPacketHandler.handle}):
     * <ol>
     *   <li>{@code type} other than {@code set}: {@code bad-request} (06a case 7). Callers handle
     *       {@code result} and {@code error} before calling this.</li>
     *   <li>no child element, or a child without {@code id} (any child, even
     *       {@code <query xmlns='jabber:iq:version'/>}, 06a cases 1 and 14), or an empty
     *       {@code id}: {@code bad-request} + {@code id-required}. (Openfire accepts {@code id=''};
     *       an empty stream id is useless, so it is refused here.)</li>
     *   <li>a child other than {@code <session>} in the protocol namespace: {@code bad-request}.</li>
     *   <li>an IQ without {@code id}: {@code bad-request} (RFC 6120 8.1.3; Openfire does not check).</li>
     *   <li>{@code <create>}, else {@code <close>}, else {@code <failed>}, found by local name;
     *       none of them: {@code bad-request} (06a cases 8 and 17).</li>
     *   <li>{@code <failed>} with 0 or 2+ child elements: {@code invalid-payload} (cases 5, 6);
     *       one child that is not a {@code message} in {@code jabber:client} (or that inherited the
     *       session's namespace): {@code unknown-stanza} (case 4).</li>
     * </ol>
     * An unknown session id is not a parse error: the engine answers {@code item-not-found}.
     * A {@code <close>} may carry a {@code <stream:error>}, returned with its own {@code xmlns:stream};
     * a {@code <failed>} message is returned with {@code xmlns='jabber:client'}.
     */
    public static SessionIq parseSessionIq(Element iq) throws CmProtocolException {
        requireName(iq, "iq");
        String type = iq.attributeValue("type");
        if (!"set".equals(type)) {
            throw badRequest(null, "session IQ of type " + type);
        }
        Element child = firstElement(iq);
        if (child == null) {
            throw badRequest(CmErrorCondition.ID_REQUIRED, "IQ without child element");
        }
        String streamId = child.attributeValue("id");
        if (streamId == null || streamId.isEmpty()) {
            throw badRequest(CmErrorCondition.ID_REQUIRED, "<" + child.getName() + "> without id");
        }
        if (!"session".equals(child.getName()) || !Namespaces.CM_PROTOCOL.equals(child.getNamespaceURI())) {
            throw badRequest(null, "not a session IQ: {" + child.getNamespaceURI() + "}" + child.getName());
        }
        String iqId = iq.attributeValue("id");
        if (iqId == null || iqId.isEmpty()) {
            throw badRequest(null, "IQ without id");
        }
        Element create = firstChild(child, "create");
        if (create != null) {
            Element host = firstChild(create, "host");
            return new SessionIq.Create(iqId, streamId,
                    host == null ? null : host.attributeValue("name"),
                    host == null ? null : host.attributeValue("address"));
        }
        Element close = firstChild(child, "close");
        if (close != null) {
            String streamError = null;
            for (Element e : close.elements()) {
                if ("error".equals(e.getName()) && Namespaces.STREAMS.equals(e.getNamespaceURI())) {
                    streamError = XmlDom.toXml(e);
                    break;
                }
            }
            return new SessionIq.Close(iqId, streamId, streamError);
        }
        Element failed = firstChild(child, "failed");
        if (failed != null) {
            List<Element> wrapped = failed.elements();
            if (wrapped.size() != 1) {
                throw badRequest(CmErrorCondition.INVALID_PAYLOAD, "<failed> wraps " + wrapped.size() + " elements");
            }
            Element stanza = wrapped.get(0);
            if (!"message".equals(stanza.getName())) {
                throw badRequest(CmErrorCondition.UNKNOWN_STANZA, "<failed> wraps <" + stanza.getName() + ">");
            }
            String ns = stanza.getNamespaceURI();
            if (Namespaces.CLIENT.equals(ns)) {
                return new SessionIq.Failed(iqId, streamId, XmlDom.toXml(stanza));
            }
            if (ns.equals(failed.getNamespaceURI()) || ns.isEmpty() || Namespaces.CONNECTION_MANAGER.equals(ns)) {
                // the message inherited the enclosing namespace: it is a client stanza all the same
                return new SessionIq.Failed(iqId, streamId, XmlDom.toXml(XmlDom.withNamespace(stanza, ns, Namespaces.CLIENT)));
            }
            throw badRequest(CmErrorCondition.UNKNOWN_STANZA, "<failed> wraps a message in " + ns);
        }
        throw badRequest(null, "<session> without create, close or failed");
    }

    /**
     * The {@code id} of the {@code <session>} a session IQ response echoes (stock Openfire echoes
     * the request's child in results and errors, 03-session-create.txt), or null when it echoes none
     * (our plugin may answer with an empty result; match responses by IQ id first).
     */
    public static String echoedSessionId(Element iq) {
        for (Element child : iq.elements()) {
            if ("session".equals(child.getName()) && Namespaces.CM_PROTOCOL.equals(child.getNamespaceURI())) {
                return child.attributeValue("id");
            }
        }
        return null;
    }

    /** {@code <iq type='result' id='ID'/>} with to/from swapped from the request when it had them. */
    public static String iqResult(Element request) {
        return new XmlWriter().start("iq").attr("type", "result").optAttr("id", request.attributeValue("id"))
                .optAttr("from", request.attributeValue("to")).optAttr("to", request.attributeValue("from"))
                .end().toString();
    }

    /**
     * An IQ error echoing the request's child, with the condition and optional application condition:
     * <pre>
     *   &lt;iq type='error' id='e1'&gt;&lt;session xmlns="http://jabber.org/protocol/connectionmanager"&gt;...&lt;/session&gt;
     *     &lt;error code='400' type='modify'&gt;&lt;bad-request xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/&gt;
     *     &lt;id-required xmlns='http://jabber.org/protocol/connectionmanager#errors'/&gt;&lt;/error&gt;&lt;/iq&gt;
     * </pre>
     * The echoed child declares its own namespace, so it means the same wherever the reply goes.
     */
    public static String iqError(Element request, StanzaErrorCondition condition, CmErrorCondition cmCondition) {
        XmlWriter w = new XmlWriter().start("iq").attr("type", "error").optAttr("id", request.attributeValue("id"))
                .optAttr("from", request.attributeValue("to")).optAttr("to", request.attributeValue("from"));
        for (Element child : request.elements()) {
            if (!"error".equals(child.getName())) {
                w.raw(XmlDom.toXml(child));
            }
        }
        writeError(w, condition, cmCondition);
        return w.end().toString();
    }

    /** {@code <route streamid='SID' type='error'>} with the stanza error (unknown stream id, bad route). */
    public static String routeError(String streamId, StanzaErrorCondition condition, CmErrorCondition cmCondition) {
        XmlWriter w = new XmlWriter().start("route").attr("streamid", streamId).attr("type", "error");
        writeError(w, condition, cmCondition);
        return w.end().toString();
    }

    /**
     * Reads the {@code <error>} child of an IQ or route of type error; null when there is none.
     * The defined condition is the child in {@code urn:ietf:params:xml:ns:xmpp-stanzas} other than
     * {@code <text>}; an application condition is recognized in {@link Namespaces#CM_ERRORS}.
     */
    public static StanzaError parseError(Element stanza) {
        Element error = firstChild(stanza, "error");
        if (error == null) {
            return null;
        }
        StanzaErrorCondition condition = StanzaErrorCondition.UNDEFINED_CONDITION;
        CmErrorCondition cmCondition = null;
        String text = null;
        for (Element e : error.elements()) {
            if (Namespaces.STANZAS.equals(e.getNamespaceURI())) {
                if ("text".equals(e.getName())) {
                    text = e.getText();
                } else {
                    condition = StanzaErrorCondition.fromElementName(e.getName());
                }
            } else if (Namespaces.CM_ERRORS.equals(e.getNamespaceURI())) {
                cmCondition = CmErrorCondition.fromElementName(e.getName());
            }
        }
        int code = -1;
        String codeValue = error.attributeValue("code");
        if (codeValue != null) {
            try {
                code = Integer.parseInt(codeValue.strip());
            } catch (NumberFormatException e) {
                code = -1;
            }
        }
        return new StanzaError(error.attributeValue("type"), code, condition, cmCondition, text);
    }

    /** {@code <stream:error><condition xmlns='urn:ietf:params:xml:ns:xmpp-streams'/><text>..</text></stream:error>}; text may be null. */
    public static String streamError(StreamErrorCondition condition, String text) {
        return writeStreamError(new XmlWriter().start("stream:error"), condition, text);
    }

    /** Like {@link #streamError} but declaring {@code xmlns:stream} itself, for embedding outside a stream header's scope. */
    public static String standaloneStreamError(StreamErrorCondition condition, String text) {
        return writeStreamError(new XmlWriter().start("stream:error").xmlns("stream", Namespaces.STREAMS), condition, text);
    }

    /**
     * Reads a {@code <stream:error>}: the condition is its child in
     * {@code urn:ietf:params:xml:ns:xmpp-streams} other than {@code <text>}.
     *
     * @throws CmProtocolException {@code bad-request} when the element is not a stream error
     */
    public static StreamError parseStreamError(Element streamError) throws CmProtocolException {
        requireName(streamError, "error", Namespaces.STREAMS);
        StreamErrorCondition condition = StreamErrorCondition.UNDEFINED_CONDITION;
        String text = null;
        for (Element e : streamError.elements()) {
            if (Namespaces.STREAM_ERRORS.equals(e.getNamespaceURI())) {
                if ("text".equals(e.getName())) {
                    text = e.getText();
                } else {
                    condition = StreamErrorCondition.fromElementName(e.getName());
                }
            }
        }
        return new StreamError(condition, text);
    }

    public static final String STREAM_CLOSE = "</stream:stream>";

    private static String writeStreamError(XmlWriter w, StreamErrorCondition condition, String text) {
        w.empty(condition.elementName(), Namespaces.STREAM_ERRORS);
        if (text != null) {
            w.start("text").xmlns(Namespaces.STREAM_ERRORS).text(text).end();
        }
        return w.end().toString();
    }

    private static void writeError(XmlWriter w, StanzaErrorCondition condition, CmErrorCondition cmCondition) {
        w.start("error").attr("code", Integer.toString(condition.code())).attr("type", condition.type())
                .empty(condition.elementName(), Namespaces.STANZAS);
        if (cmCondition != null) {
            w.empty(cmCondition.elementName(), Namespaces.CM_ERRORS);
        }
        w.end();
    }

    private static String xmlDeclaration() {
        return "<?xml version='1.0' encoding='UTF-8'?>";
    }

    private static void readTuning(Element tuning, Map<String, String> into) throws CmProtocolException {
        for (Element param : tuning.elements()) {
            if (!"param".equals(param.getName())) {
                continue;
            }
            String name = param.attributeValue("name");
            String value = param.attributeValue("value");
            if (name == null || name.isEmpty() || value == null) {
                throw badRequest(null, "tuning param without name or value");
            }
            if (into.put(name, value) != null) {
                throw badRequest(null, "tuning param " + name + " given twice");
            }
        }
    }

    private static void collectTexts(Element parent, String childName, List<String> into) {
        for (Element e : parent.elements()) {
            if (childName.equals(e.getName())) {
                String text = e.getTextTrim();
                if (!text.isEmpty()) {
                    into.add(text);
                }
            }
        }
    }

    private static Element firstElement(Element parent) {
        List<Element> elements = parent.elements();
        return elements.isEmpty() ? null : elements.get(0);
    }

    private static Element firstChild(Element parent, String localName) {
        for (Element e : parent.elements()) {
            if (localName.equals(e.getName())) {
                return e;
            }
        }
        return null;
    }

    private static void requireName(Element element, String localName) throws CmProtocolException {
        if (!localName.equals(element.getName())) {
            throw badRequest(null, "expected <" + localName + ">, got <" + element.getQualifiedName() + ">");
        }
    }

    private static void requireName(Element element, String localName, String namespace) throws CmProtocolException {
        if (!localName.equals(element.getName()) || !namespace.equals(element.getNamespaceURI())) {
            throw badRequest(null, "expected {" + namespace + "}" + localName + ", got {"
                    + element.getNamespaceURI() + "}" + element.getName());
        }
    }

    private static CmProtocolException badRequest(CmErrorCondition cmCondition, String message) {
        return new CmProtocolException(StanzaErrorCondition.BAD_REQUEST, cmCondition, message);
    }
}
