package org.xmppcm.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.xmppcm.protocol.xml.FramerListener;
import org.xmppcm.protocol.xml.StanzaFrame;
import org.xmppcm.protocol.xml.StreamOpen;
import org.xmppcm.protocol.xml.XmlStreamException;
import org.xmppcm.protocol.xml.XmlStreamFramer;

/**
 * The traffic the benchmarks feed: a client stream header and batches of typical client stanzas,
 * plus stock Openfire {@code <route>}s for the link side. Generated, deterministic, and varied in
 * ids and addresses so no two stanzas of a batch are byte-identical (as on a real connection).
 *
 * <p>{@link #main} prints the bytes per op of every input as JSON; {@code run.sh} turns the
 * measured stanzas/s into MB/s with it.
 */
public final class Corpus {
    /** Stanzas per benchmark invocation (the {@code @OperationsPerInvocation} of the batch benchmarks). */
    public static final int BATCH = 100;
    /** A typical TCP payload on Ethernet (1500 MTU - 40 B of IPv4 + TCP headers). */
    public static final int TCP_SEGMENT = 1460;
    /** The CM's default {@code stanza.max.bytes}. */
    public static final int MAX_STANZA_BYTES = 262_144;

    /** What a client sends after connecting (Smack/Conversations style, single quotes). */
    public static final String CLIENT_HEADER = "<?xml version='1.0'?><stream:stream xmlns='jabber:client'"
            + " xmlns:stream='" + XmlStreamFramer.STREAMS_NS + "' to='example.test' version='1.0' xml:lang='en'>";

    /** Stock Openfire's answer on a CM link (transcript 01), double quotes. */
    public static final String LINK_HEADER = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><stream:stream"
            + " xmlns:stream=\"" + XmlStreamFramer.STREAMS_NS + "\" xmlns=\"jabber:connectionmanager\""
            + " version=\"1.0\" from=\"cmtest/conn1\" id=\"4gh424n0i7\">";

    /** The batch kinds the {@code kind} parameter accepts. */
    public static final List<String> KINDS = List.of("mix", "message", "presence", "roster");

    /** One cycle of the mix: 6 chat messages, 3 presences, 1 roster result. */
    private static final char[] MIX = "mpmmpmrmpm".toCharArray();

    /** Chat bodies of about 100 bytes; one has non-ASCII text so multi-byte UTF-8 is on the path. */
    private static final String[] BODIES = {
        "Are we still on for lunch tomorrow? I can book the table at the Italian place near the office.",
        "Grüße aus München! Der Zug hat 20 Minuten Verspätung, ich bin gegen 18:30 da. Bis später 🙂",
        "Pushed the fix to the release branch; CI is green. Can you review &amp; merge before the freeze?",
        "ok, sounds good. I'll send the slides tonight so you have time to look at them before the call",
    };

    private static final String[] CONTACTS = {
        "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy", "mallory", "niaj", "olivia",
    };

    private Corpus() {
    }

    /** A chat message, ~330 B: body, chat state, receipt request, origin-id (what modern clients send). */
    public static String message(int i) {
        String id = String.format(Locale.ROOT, "5f3c9a1e-%04d", i);
        return "<message to='" + contact(i) + "@example.test/phone-" + Integer.toHexString(0x4f2a + i)
                + "' id='" + id + "' type='chat'><body>" + BODIES[i % BODIES.length] + "</body>"
                + "<active xmlns='http://jabber.org/protocol/chatstates'/><request xmlns='urn:xmpp:receipts'/>"
                + "<origin-id xmlns='urn:xmpp:sid:0' id='" + id + "'/></message>";
    }

    /** An available presence with entity capabilities (XEP-0115) and a vCard avatar hash, ~350 B. */
    public static String presence(int i) {
        return "<presence id='pres-" + i + "'><show>away</show><status>In a meeting until 3pm</status>"
                + "<priority>5</priority><c xmlns='http://jabber.org/protocol/caps' hash='sha-1'"
                + " node='https://conversations.im' ver='zhQ1sJc2Gd9vFnLB0n3Rdth6zYk='/>"
                + "<x xmlns='vcard-temp:x:update'><photo>8f0e9b2c6e1c4d2e7f4f8b3a1c9d5e6f7a8b9c0d</photo></x>"
                + "</presence>";
    }

    /** A roster query result (RFC 6121 2.1.4) with ten items, ~1 KB. */
    public static String rosterResult(int i) {
        StringBuilder sb = new StringBuilder(1200);
        sb.append("<iq type='result' id='roster-").append(i).append("' to='alice@example.test/laptop'>")
                .append("<query xmlns='jabber:iq:roster' ver='ver-").append(41 + i).append("'>");
        for (int k = 0; k < 10; k++) {
            String name = contact(i + k);
            sb.append("<item jid='").append(name).append("@example.test' name='")
                    .append(Character.toUpperCase(name.charAt(0))).append(name, 1, name.length())
                    .append("' subscription='").append(k % 4 == 3 ? "to" : "both").append("'><group>")
                    .append(k % 3 == 0 ? "Work" : "Friends").append("</group></item>");
        }
        return sb.append("</query></iq>").toString();
    }

    /** {@link #BATCH} stanzas of one kind, concatenated as they would arrive on the socket. */
    public static byte[] batch(String kind) {
        StringBuilder sb = new StringBuilder(BATCH * 500);
        for (int i = 0; i < BATCH; i++) {
            char k = switch (kind) {
                case "mix" -> MIX[i % MIX.length];
                case "message" -> 'm';
                case "presence" -> 'p';
                case "roster" -> 'r';
                default -> throw new IllegalArgumentException("unknown kind " + kind + ", expected one of " + KINDS);
            };
            sb.append(switch (k) {
                case 'm' -> message(i);
                case 'p' -> presence(i);
                default -> rosterResult(i);
            });
        }
        return utf8(sb.toString());
    }

    /** Stock Openfire routing a chat message to a client (element form, transcript 08 style). */
    public static String routeElement() {
        return "<route streamid=\"a11ce009\" from=\"example.test\" to=\"cmtest\">"
                + "<message to=\"alice@example.test/cm9\" type=\"chat\" id=\"m9b\" from=\"bob@example.test/phone\">"
                + "<body>" + BODIES[0] + "</body><active xmlns=\"http://jabber.org/protocol/chatstates\"/>"
                + "</message></route>";
    }

    /** Stock Openfire's SASL challenge: the stanza as escaped text inside the route (transcript 05). */
    public static String routeEscapedText() {
        return "<route from=\"example.test\" to=\"cmtest\" streamid=\"ca201005\">"
                + "&lt;challenge xmlns=\"urn:ietf:params:xml:ns:xmpp-sasl\"&gt;"
                + "cj1meWtvK2QybGJiRmdPTlJ2OXFreGRhd0w5Y2Q1Y2ZhNS03NTVmLTRiZTUtYTQ2Yi1jMGQ2YjZjNjc3OWMscz1UWStwWXdi"
                + "VEM1MDZOaDhBT3FnTGFmRG5CZzBNZlMwRixpPTQwOTY=&lt;/challenge&gt;</route>";
    }

    /** What a stream yields when framed: its header and its top-level elements. */
    public record Framed(StreamOpen open, List<StanzaFrame> frames) {
    }

    /** Frames a header and elements with a fresh framer, as the CM would (checked input for setups). */
    public static Framed frame(String header, String elements) {
        List<StanzaFrame> frames = new ArrayList<>();
        StreamOpen[] open = new StreamOpen[1];
        XmlStreamFramer framer = new XmlStreamFramer(MAX_STANZA_BYTES);
        byte[] bytes = utf8(header + elements);
        try {
            framer.feed(bytes, 0, bytes.length, new FramerListener() {
                @Override
                public void streamOpened(StreamOpen o) {
                    open[0] = o;
                }

                @Override
                public void frame(StanzaFrame frame) {
                    frames.add(frame);
                }

                @Override
                public void streamClosed() {
                }
            });
        } catch (XmlStreamException e) {
            throw new IllegalStateException("the benchmark corpus does not frame: " + e.getMessage(), e);
        }
        return new Framed(open[0], frames);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String contact(int i) {
        return CONTACTS[i % CONTACTS.length];
    }

    /** Bytes per op of every benchmark input, as one JSON object (read by run.sh). */
    public static Map<String, Double> bytesPerOp() {
        Map<String, Double> sizes = new LinkedHashMap<>();
        for (String kind : KINDS) {
            byte[] batch = batch(kind);
            sizes.put("stanza." + kind, batch.length / (double) BATCH);
            sizes.put("first." + kind, (double) frame(CLIENT_HEADER, new String(batch, StandardCharsets.UTF_8))
                    .frames().get(0).bytes().length);
        }
        sizes.put("wrap", (double) frame(CLIENT_HEADER, message(0)).frames().get(0).bytes().length);
        sizes.put("unwrapElement", (double) utf8(routeElement()).length);
        sizes.put("unwrapEscapedText", (double) utf8(routeEscapedText()).length);
        return sizes;
    }

    public static void main(String[] args) {
        StringBuilder json = new StringBuilder("{");
        bytesPerOp().forEach((k, v) -> json.append(json.length() > 1 ? ", " : "").append('"').append(k)
                .append("\": ").append(String.format(Locale.ROOT, "%.1f", v)));
        System.out.println(json.append('}'));
    }
}
