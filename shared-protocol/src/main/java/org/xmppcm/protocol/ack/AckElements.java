package org.xmppcm.protocol.ack;

import java.util.OptionalLong;
import org.xmppcm.protocol.cm.Namespaces;
import org.xmppcm.protocol.cm.XmlWriter;
import org.xmppcm.protocol.xml.StanzaFrame;

/**
 * The elements of acknowledged links ({@value #NAMESPACE}, see {@code docs/link-extensions.md}): the server offers
 * {@code <ack/>} in its link features, the CM takes it with an {@code ack:enable='true'} attribute on its
 * {@code <handshake>}, and from the element after the handshake on both sides count the {@code <route>}s and
 * {@code <iq>}s they receive. {@code <r/>} asks for that count, {@code <a h='N'/>} answers it (as XEP-0198 does),
 * and {@code <resume previd='LINK' h='N'/>} on another link of the same manager takes over what a lost link had
 * not acknowledged, answered by {@code <resumed previd='LINK' h='M'/>} or {@code <failed previd='LINK'/>}.
 */
public final class AckElements {
    public static final String NAMESPACE = "urn:xmppcm:ack:0";
    /** The prefix our handshake binds {@link #NAMESPACE} to for its attribute. */
    public static final String PREFIX = "ack";
    /** The local name of the handshake attribute that takes the offer. */
    public static final String ENABLE_ATTRIBUTE = "enable";
    /** The feature, inside {@code <stream:features>}. */
    public static final String FEATURE = "<ack xmlns='" + NAMESPACE + "'/>";
    /** Asks for the peer's count of what it received on this link. */
    public static final String REQUEST = "<r xmlns='" + NAMESPACE + "'/>";

    private AckElements() {
    }

    /** {@code <a h='N'/>}: we received {@code h} counted elements on this link. */
    public static String answer(long h) {
        return new XmlWriter().start("a").xmlns(NAMESPACE).attr("h", Long.toString(h)).end().toString();
    }

    /** Asks the server to take over link {@code previd}, of which we received {@code h} counted elements. */
    public static String resume(String previd, long h) {
        return new XmlWriter().start("resume").xmlns(NAMESPACE).attr("previd", previd)
                .attr("h", Long.toString(h)).end().toString();
    }

    /** The server took over link {@code previd}, of which it received {@code h} counted elements. */
    public static String resumed(String previd, long h) {
        return new XmlWriter().start("resumed").xmlns(NAMESPACE).attr("previd", previd)
                .attr("h", Long.toString(h)).end().toString();
    }

    /** Link {@code previd} cannot be taken over: the server does not know it (any more). */
    public static String failed(String previd) {
        return new XmlWriter().start("failed").xmlns(NAMESPACE).attr("previd", previd).end().toString();
    }

    /** Our handshake, taking the server's offer. */
    public static String handshakeTakingOffer(String digest) {
        return new XmlWriter().start("handshake").xmlns(PREFIX, NAMESPACE).attr(PREFIX + ":" + ENABLE_ATTRIBUTE, "true")
                .text(digest).end().toString();
    }

    /** Whether {@code features} (the children of {@code <stream:features>}) offer acknowledgements. */
    public static boolean offered(org.dom4j.Element features) {
        return features != null && features.element(org.dom4j.QName.get("ack", NAMESPACE)) != null;
    }

    /** Whether {@code frame} is one of ours named {@code localName}. */
    public static boolean is(StanzaFrame frame, String localName) {
        return frame.is(localName, NAMESPACE);
    }

    /** The {@code h} of an answer, resume or resumed; empty when missing or not a count. */
    public static OptionalLong count(StanzaFrame frame) {
        String h = frame.attribute("h");
        if (h == null) {
            return OptionalLong.empty();
        }
        try {
            long value = Long.parseLong(h.trim());
            return value < 0 ? OptionalLong.empty() : OptionalLong.of(value);
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * Whether {@code frame} is an element both ends count on an acknowledged link: every {@code <route>} and
     * {@code <iq>} of the link stream, whatever it carries. Nothing else is counted (stream errors, whitespace,
     * these elements themselves).
     */
    public static boolean isCounted(StanzaFrame frame) {
        String ns = frame.namespace();
        return (frame.localName().equals("route") || frame.localName().equals("iq"))
                && (Namespaces.CONNECTION_MANAGER.equals(ns) || Namespaces.CLIENT.equals(ns));
    }

    /** The same rule for what we write: our codecs write routes and IQs starting with their tag. */
    public static boolean isCounted(CharSequence xml) {
        return startsWith(xml, "<route") || startsWith(xml, "<iq");
    }

    /** The same rule for routes we write as bytes. */
    public static boolean isCounted(byte[] xml) {
        return startsWith(xml, "<route") || startsWith(xml, "<iq");
    }

    private static boolean startsWith(byte[] xml, String tag) {
        if (xml.length <= tag.length()) {
            return false;
        }
        for (int i = 0; i < tag.length(); i++) {
            if (xml[i] != tag.charAt(i)) {
                return false;
            }
        }
        byte next = xml[tag.length()];
        return next == ' ' || next == '>' || next == '/';
    }

    private static boolean startsWith(CharSequence xml, String tag) {
        if (xml.length() <= tag.length()) {
            return false;
        }
        for (int i = 0; i < tag.length(); i++) {
            if (xml.charAt(i) != tag.charAt(i)) {
                return false;
            }
        }
        char next = xml.charAt(tag.length());
        return next == ' ' || next == '>' || next == '/';
    }
}
