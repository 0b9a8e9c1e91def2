package org.xmppcm.protocol.xml;

import com.fasterxml.aalto.AsyncByteArrayFeeder;
import com.fasterxml.aalto.AsyncXMLStreamReader;
import com.fasterxml.aalto.stax.InputFactoryImpl;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;

/**
 * A strict, non-blocking framer for one direction of an XML stream: bytes in (split anywhere),
 * stream events out. Per-connection state; not thread-safe; one instance per connection direction.
 *
 * <p>Rules (RFC 6120 section 11): namespace-aware and well-formed; no DTD, processing instruction
 * (other than the XML declaration at stream start), comment, or entity reference other than the
 * five predefined ones and character references ({@code restricted-xml}); malformed input
 * ({@code not-well-formed}); a root element other than {@code stream} in
 * {@code http://etherx.jabber.org/streams} ({@code invalid-namespace}); a top-level element larger
 * than the limit, or bytes buffered while waiting for the stream header above the limit
 * ({@code policy-violation}). Only UTF-8 is accepted ({@code unsupported-encoding}).
 *
 * <p>Ownership: {@link #feed} copies what it needs; the caller keeps its array and may reuse it as
 * soon as the call returns. Memory held between calls is bounded by the limit: at most one
 * partial top-level element.
 *
 * <h2>How it works</h2>
 * Aalto's async parser does the XML work (tokens, names, namespaces, attributes); this class only
 * keeps the raw bytes of the one top-level element in progress and cuts them out at the positions
 * Aalto reports. Aalto 1.3.3 quirks this relies on or works around, all covered by tests:
 * <ul>
 * <li>Only <em>ending</em> byte offsets are used. They are {@code bytes passed to earlier
 *     feedInput calls + index into the array of the current one}, so they include the current
 *     call's {@code offset} argument; positions here are therefore indexes into the fed array. Starting
 *     offsets are unreliable (0 for the root after an XML declaration, stale for end tags); the
 *     start of a top-level element is instead the first non-whitespace byte after the previous
 *     top-level event, which must be {@code <}.</li>
 * <li>The async scanner does not validate UTF-8 (it decodes garbage), nor reject raw U+FFFE/U+FFFF
 *     in skipped text, so this class validates the bytes itself. It also drops supplementary
 *     characters from attribute values when their UTF-8 sequence is split between two feeds, so a
 *     chunk's trailing partial sequence is held back and fed with the next chunk.</li>
 * <li>Text that is skipped without being read is not checked for entity or character references;
 *     every text event is therefore finished with {@code getTextCharacters()} (no String built).
 *     Lazy parsing must stay at its default: with {@code P_LAZY_PARSING=false} a character
 *     reference split across feeds throws an internal IllegalStateException.</li>
 * <li>An entity reference in an attribute value comes as a WFC error, not an event; it is mapped
 *     to {@code restricted-xml}. {@code encoding='ISO-8859-1'} is silently accepted by Aalto, so the
 *     declared encoding is checked here.</li>
 * <li>Aalto keeps the last fed array and grows its text/attribute buffers to the largest token
 *     seen, for the parser's life. The array reference is dropped after each chunk, and after a big
 *     element the parser is replaced (see {@link #trim()}).</li>
 * </ul>
 * Known gaps, both Aalto's: {@code ]]>} in character data is not always detected when it spans
 * feeds; an end tag differing from the open one only in its last character (same length, e.g.
 * {@code <abcde></abcdf>}) is reported at the next markup instead of at its {@code >} (nothing is
 * delivered meanwhile).
 */
public final class XmlStreamFramer {
    /** The namespace of the stream root element. */
    public static final String STREAMS_NS = "http://etherx.jabber.org/streams";

    private static final InputFactoryImpl FACTORY = createFactory();
    private static final byte[] NO_BYTES = new byte[0];

    /**
     * After an element, header or whitespace run at least this big, Aalto's internal buffers may
     * have grown; the parser is then replaced at the end of the feed to give that memory back.
     */
    private static final int TRIM_THRESHOLD = 4096;

    /** What {@link #readEvent()} asks {@link #parseChunk} to deliver. */
    private static final int INCOMPLETE = 0;
    private static final int NOTHING = 1;
    private static final int OPENED = 2;
    private static final int FRAME = 3;
    private static final int WHITESPACE = 4;
    private static final int CLOSED = 5;

    private final int maxElementBytes;

    // ---- stream state ----
    /** Null before the first byte of a stream, after close/failure, and while trimmed. */
    private AsyncXMLStreamReader<AsyncByteArrayFeeder> parser;
    /** Bytes given to {@link #parser} before the current feedInput (what Aalto adds to its offsets). */
    private long fedBefore;
    /** Bytes of this stream in the chunks before the current one (for the header limit). */
    private long streamBefore;
    /**
     * The start of a UTF-8 sequence that ended a chunk (up to 3 bytes, packed), held back from Aalto:
     * Aalto 1.3.3 drops supplementary characters from attribute values when a sequence is split
     * across feeds, so every feed ends on a character boundary.
     */
    private int carry;
    private int carryLen;
    /** Open elements, the root included: 0 in the prolog, 1 between top-level elements. */
    private int depth;
    private boolean closed;
    private StreamErrorCondition failure;
    /** The stream header, to rebuild an equivalent parser after a trim. */
    private StreamOpen streamOpen;
    /** True while inside a run of whitespace between top-level elements (reported once per run). */
    private boolean whitespaceRun;
    /** Something large went through the parser: replace it at the next quiet point. */
    private boolean parserBloated;
    /** Prolog scan for {@code <!}: the previous prolog byte was {@code <}. */
    private boolean prologLt;
    /** Prolog scan done: the root start tag has begun. */
    private boolean rootTagBegun;
    private boolean inFeed;
    private boolean restartRequested;

    // ---- UTF-8 validation state, carried across chunks ----
    private int utf8Need;
    private int utf8Lo = 0x80;
    private int utf8Hi = 0xBF;
    private boolean utf8AfterEf;

    // ---- the top-level element in progress ----
    /** Bytes of the element (or of the partial construct at depth 1) from earlier chunks. */
    private byte[] buf;
    private int bufLen;
    private String elPrefix;
    private String elLocalName;
    private String elNamespace;
    private Map<String, String> elAttributes;
    private boolean elDeclaresDefault;
    /** Offset in the element's bytes just after its start tag. */
    private int elStartTagEnd;
    /** Prefixes declared inside the element, with the depth of the declaring element. */
    private String[] declPrefixes;
    private int[] declDepths;
    private int declCount;
    /** Prefixes used inside the element but declared outside it (on the stream header). */
    private String[] inherited;
    private int inheritedCount;

    // ---- the chunk being parsed (only during feed) ----
    private byte[] chunk;
    private int chunkOff;
    /** Index in {@link #chunk} just after the last completed top-level event. */
    private int mark;
    /** Index in {@link #chunk} where the current element's bytes not yet in {@link #buf} start. */
    private int segStart;
    private int validatedTo;
    /** Index in {@link #chunk} just after the event that {@link #readEvent()} returned. */
    private int eventEnd;
    private StreamOpen pendingOpen;
    private StanzaFrame pendingFrame;

    /**
     * @param maxElementBytes the largest top-level element accepted, in bytes (the stanza size limit)
     */
    public XmlStreamFramer(int maxElementBytes) {
        if (maxElementBytes < 64) {
            throw new IllegalArgumentException("maxElementBytes must be at least 64: " + maxElementBytes);
        }
        this.maxElementBytes = maxElementBytes;
    }

    public int maxElementBytes() {
        return maxElementBytes;
    }

    /**
     * Parses {@code len} bytes from {@code data[offset]}, delivering every complete event to
     * {@code listener} before returning.
     *
     * <p>The listener may call {@link #restart()} from a callback: the bytes after the event just
     * delivered are then read as the start of a new stream.
     *
     * @throws XmlStreamException when the stream is broken; the framer is unusable afterwards
     */
    public void feed(byte[] data, int offset, int len, FramerListener listener) throws XmlStreamException {
        Objects.checkFromIndexSize(offset, len, data.length);
        Objects.requireNonNull(listener, "listener");
        if (failure != null) {
            throw new XmlStreamException(failure, "the stream already failed");
        }
        if (inFeed) {
            throw new IllegalStateException("feed() called from a listener callback");
        }
        if (closed || len == 0) {
            return;
        }
        inFeed = true;
        boolean ok = false;
        try {
            int pos = offset;
            int end = offset + len;
            while (pos < end && !closed && failure == null) {
                pos = parseChunk(data, pos, end, listener);
            }
            if (parserBloated) {
                releaseIdleParser();
            }
            ok = true;
        } catch (XmlStreamException e) {
            fail(e.condition());
            throw e;
        } finally {
            inFeed = false;
            chunk = null;
            pendingOpen = null;
            pendingFrame = null;
            if (!ok && failure == null) {
                // A listener threw something unexpected: our state may be half updated.
                fail(StreamErrorCondition.INTERNAL_SERVER_ERROR);
            }
        }
    }

    /**
     * Forgets the current stream: the next bytes must start a new stream (optionally with an XML
     * declaration). Used for the stream restarts after SASL success, STARTTLS and compression.
     * Called from a listener callback during {@link #feed}, it applies to the bytes after the event
     * being delivered. No effect on a failed framer.
     */
    public void restart() {
        if (failure != null) {
            return;
        }
        if (inFeed) {
            restartRequested = true;
        } else {
            resetStream();
        }
    }

    /** True once {@code </stream:stream>} was read. */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Gives back the parser's memory while the stream is idle between top-level elements (a few KB
     * of Aalto buffers per connection, more after a large stanza). The next {@link #feed} builds a
     * new parser with the same namespace bindings, which costs about as much as parsing a stream
     * header, so call this for connections that have gone quiet, not after every read. Done
     * automatically after large elements.
     *
     * @return true when the parser was released (or there was none); false when a partial element
     *         or stream header is buffered and the parser must be kept
     */
    public boolean trim() {
        return !inFeed && releaseIdleParser();
    }

    private boolean releaseIdleParser() {
        if (parser == null) {
            return true;
        }
        if (depth != 1 || bufLen != 0 || utf8Need != 0 || carryLen != 0) {
            return false;
        }
        parser = null;
        parserBloated = false;
        fedBefore = 0;
        return true;
    }

    // ------------------------------------------------------------------------------------------

    /** Parses data[from, end) with the current (or a new) parser; returns where parsing stopped. */
    private int parseChunk(byte[] data, int from, int end, FramerListener listener) throws XmlStreamException {
        if (parser == null) {
            openParser();
        }
        chunk = data;
        chunkOff = from;
        mark = from;
        segStart = from;
        validatedTo = from;
        if (depth == 0 && !rootTagBegun) {
            scanProlog(data, from, end);
        }
        int feedFrom = carryLen > 0 ? completeCarry(data, from, end) : from;
        int feedEnd = end - trailingPartialSequence(data, feedFrom, end);
        if (feedEnd == feedFrom) {
            holdBack(data, feedEnd, end);
            endOfChunk(end);
            return end;
        }
        feedParser(data, feedFrom, feedEnd - feedFrom);
        for (;;) {
            switch (nextAction()) {
                case INCOMPLETE -> {
                    feedParser(NO_BYTES, 0, 0); // so that Aalto does not keep the caller's array
                    fedBefore += feedEnd - feedFrom;
                    holdBack(data, feedEnd, end);
                    endOfChunk(end);
                    return end;
                }
                case NOTHING -> {
                    continue;
                }
                case OPENED -> {
                    validateUpTo(eventEnd);
                    StreamOpen open = pendingOpen;
                    pendingOpen = null;
                    listener.streamOpened(open);
                }
                case FRAME -> {
                    validateUpTo(eventEnd);
                    StanzaFrame frame = pendingFrame;
                    pendingFrame = null;
                    listener.frame(frame);
                }
                case WHITESPACE -> listener.whitespace();
                case CLOSED -> {
                    validateUpTo(eventEnd);
                    closed = true;
                    releaseStream();
                    listener.streamClosed();
                }
                default -> throw new IllegalStateException();
            }
            if (restartRequested) {
                int resume = eventEnd;
                resetStream();
                return resume;
            }
            if (closed) {
                return end;
            }
        }
    }

    /** Reads one Aalto event, turning Aalto's exceptions into stream errors. */
    private int nextAction() throws XmlStreamException {
        try {
            return readEvent();
        } catch (XMLStreamException e) {
            throw translate(e, e);
        } catch (RuntimeException e) {
            // UncheckedStreamException from getText*, and Aalto's own state errors on bad input.
            throw translate(e, e.getCause() instanceof XMLStreamException x ? x : e);
        }
    }

    private int readEvent() throws XMLStreamException, XmlStreamException {
        int event = parser.next();
        switch (event) {
            case AsyncXMLStreamReader.EVENT_INCOMPLETE:
                return INCOMPLETE;
            case XMLStreamConstants.START_DOCUMENT:
                String encoding = parser.getCharacterEncodingScheme();
                if (encoding != null && !encoding.equalsIgnoreCase("UTF-8")) {
                    throw new XmlStreamException(StreamErrorCondition.UNSUPPORTED_ENCODING,
                            "only UTF-8 is supported, not " + encoding);
                }
                return NOTHING;
            case XMLStreamConstants.START_ELEMENT:
                return startElement();
            case XMLStreamConstants.END_ELEMENT:
                return endElement();
            case XMLStreamConstants.CHARACTERS:
            case XMLStreamConstants.SPACE:
            case XMLStreamConstants.CDATA:
                return text(event == XMLStreamConstants.CDATA);
            case XMLStreamConstants.COMMENT:
                throw restricted("comments are not allowed");
            case XMLStreamConstants.PROCESSING_INSTRUCTION:
                throw restricted("processing instructions are not allowed");
            case XMLStreamConstants.DTD:
                throw restricted("DTDs are not allowed");
            case XMLStreamConstants.ENTITY_REFERENCE:
                throw restricted("entity reference &" + parser.getLocalName() + "; is not allowed");
            case XMLStreamConstants.END_DOCUMENT:
                return NOTHING;
            default:
                throw restricted("unexpected XML construct (" + event + ")");
        }
    }

    private int startElement() throws XmlStreamException {
        int end = endOffset();
        depth++;
        if (depth == 1) {
            return rootStart(end);
        }
        if (depth == 2) {
            if (bufLen == 0) {
                int start = skipWhitespace(chunk, mark, end);
                if (start >= end || chunk[start] != '<') {
                    throw notWellFormed("text is not allowed between top-level elements");
                }
                segStart = start;
            }
            int size = checkElementSize(end);
            elStartTagEnd = size;
            elPrefix = parser.getPrefix();
            elLocalName = parser.getLocalName();
            elNamespace = nonNull(parser.getNamespaceURI());
            elAttributes = attributes();
            elDeclaresDefault = false;
            for (int i = 0, n = parser.getNamespaceCount(); i < n; i++) {
                if (isEmpty(parser.getNamespacePrefix(i))) {
                    elDeclaresDefault = true;
                }
            }
            declCount = 0;
            inheritedCount = 0;
        } else {
            checkElementSize(end);
        }
        trackPrefixes();
        return NOTHING;
    }

    private int rootStart(int end) throws XmlStreamException {
        rootTagBegun = true;
        long headerBytes = streamBefore + (end - chunkOff);
        if (headerBytes > maxElementBytes) {
            throw policyViolation("the stream header is larger than " + maxElementBytes + " bytes");
        }
        if (headerBytes > TRIM_THRESHOLD) {
            parserBloated = true;
        }
        String ns = nonNull(parser.getNamespaceURI());
        if (!STREAMS_NS.equals(ns)) {
            throw new XmlStreamException(StreamErrorCondition.INVALID_NAMESPACE,
                    "the stream root must be in " + STREAMS_NS + ", not '" + ns + "'");
        }
        if (!"stream".equals(parser.getLocalName())) {
            throw notWellFormed("the root element must be 'stream', not '" + parser.getLocalName() + "'");
        }
        Map<String, String> namespaces = new HashMap<>();
        for (int i = 0, n = parser.getNamespaceCount(); i < n; i++) {
            String prefix = parser.getNamespacePrefix(i);
            namespaces.put(prefix == null ? "" : prefix, nonNull(parser.getNamespaceURI(i)));
        }
        streamOpen = new StreamOpen(nonNull(parser.getPrefix()), parser.getLocalName(), ns, attributes(),
                namespaces);
        pendingOpen = streamOpen;
        mark = end;
        eventEnd = end;
        whitespaceRun = false;
        return OPENED;
    }

    private int endElement() throws XmlStreamException {
        int end = endOffset();
        int d = depth--;
        if (d == 1) {
            eventEnd = end;
            return CLOSED;
        }
        int size = checkElementSize(end);
        while (declCount > 0 && declDepths[declCount - 1] >= d) {
            declPrefixes[--declCount] = null;
        }
        if (d > 2) {
            return NOTHING;
        }
        byte[] bytes = new byte[size];
        if (bufLen > 0) {
            System.arraycopy(buf, 0, bytes, 0, bufLen);
        }
        System.arraycopy(chunk, segStart, bytes, bufLen, end - segStart);
        int contentStart = elStartTagEnd;
        int contentEnd = size;
        if (size == elStartTagEnd) {
            contentStart = size; // <x/>: the start tag is the whole element
        } else {
            while (bytes[--contentEnd] != '<') {
                // the end tag "</name S?>" holds no other '<'
            }
        }
        Set<String> inheritedSet = inheritedCount == 0 ? Set.of()
                : Set.of(Arrays.copyOf(inherited, inheritedCount));
        pendingFrame = new StanzaFrame(bytes, nonNull(elPrefix), elLocalName, elNamespace, elAttributes,
                elDeclaresDefault, inheritedSet, contentStart, contentEnd);
        if (size > TRIM_THRESHOLD) {
            parserBloated = true;
        }
        clearElement();
        mark = end;
        eventEnd = end;
        whitespaceRun = false;
        return FRAME;
    }

    private int text(boolean cdata) throws XMLStreamException, XmlStreamException {
        // Always finish the token: Aalto only checks references when it reads the text.
        char[] chars = parser.getTextCharacters();
        if (depth != 1) {
            return NOTHING;
        }
        if (cdata) {
            throw notWellFormed("character data is not allowed between top-level elements");
        }
        int start = parser.getTextStart();
        int len = parser.getTextLength();
        for (int i = start, n = start + len; i < n; i++) {
            char c = chars[i];
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                throw notWellFormed("text is not allowed between top-level elements");
            }
        }
        if (len > TRIM_THRESHOLD) {
            parserBloated = true;
        }
        if (len == 0 || whitespaceRun) {
            return NOTHING;
        }
        whitespaceRun = true;
        eventEnd = endOffset();
        return WHITESPACE;
    }

    /** Keeps what this chunk leaves unfinished and enforces the limits on it. */
    private void endOfChunk(int end) throws XmlStreamException {
        if (depth == 0) {
            if (streamBefore + (end - chunkOff) > maxElementBytes) {
                throw policyViolation("no stream header within " + maxElementBytes + " bytes");
            }
        } else if (depth == 1) {
            int from = bufLen > 0 ? segStart : skipWhitespace(chunk, mark, end);
            if (from < end) {
                if (bufLen == 0 && chunk[from] != '<') {
                    throw notWellFormed("text is not allowed between top-level elements");
                }
                append(from, end);
            }
        } else {
            append(segStart, end);
        }
        validateUpTo(end);
        streamBefore += end - chunkOff;
    }

    /**
     * Feeds the character whose first bytes ended the previous chunk, completed from this one.
     * Returns where the rest of the chunk starts (end when the character is still incomplete).
     */
    private int completeCarry(byte[] data, int from, int end) throws XmlStreamException {
        int length = sequenceLength(carry >>> (8 * (carryLen - 1)));
        int take = Math.min(length - carryLen, end - from);
        for (int i = 0; i < take; i++) {
            carry = carry << 8 | (data[from + i] & 0xFF);
        }
        carryLen += take;
        if (carryLen < length) {
            return end;
        }
        validateUpTo(from + take); // a real character, so the invariant below holds
        byte[] character = new byte[length];
        for (int i = 0; i < length; i++) {
            character[i] = (byte) (carry >>> (8 * (length - 1 - i)));
        }
        carry = 0;
        carryLen = 0;
        feedParser(character, 0, length);
        // A character can only extend a token (text, name, value): no event ends inside it.
        int action;
        while ((action = nextAction()) != INCOMPLETE) {
            if (action != NOTHING) {
                throw new IllegalStateException("event ended inside a character");
            }
        }
        fedBefore += length;
        return from + take;
    }

    /** The number of bytes at the end of data[from, end) that start an incomplete UTF-8 sequence. */
    private static int trailingPartialSequence(byte[] data, int from, int end) {
        for (int i = end - 1; i >= from && i >= end - 3; i--) {
            int b = data[i] & 0xFF;
            if (b < 0x80) {
                return 0;
            }
            if (b >= 0xC0) {
                return end - i < sequenceLength(b) ? end - i : 0;
            }
        }
        return 0; // continuation bytes only: invalid, the validator reports it
    }

    private static int sequenceLength(int lead) {
        return lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
    }

    private void holdBack(byte[] data, int from, int end) {
        for (int i = from; i < end; i++) {
            carry = carry << 8 | (data[i] & 0xFF);
            carryLen++;
        }
    }

    private void append(int from, int to) throws XmlStreamException {
        int n = to - from;
        if (bufLen + n > maxElementBytes) {
            throw policyViolation("a top-level element is larger than " + maxElementBytes + " bytes");
        }
        int need = bufLen + n;
        if (buf == null || buf.length < need) {
            int cap = buf == null ? 256 : buf.length * 2;
            byte[] grown = new byte[Math.min(maxElementBytes, Math.max(need, cap))];
            if (bufLen > 0) {
                System.arraycopy(buf, 0, grown, 0, bufLen);
            }
            buf = grown;
        }
        System.arraycopy(chunk, from, buf, bufLen, n);
        bufLen = need;
    }

    /** The size of the current top-level element up to {@code end}, failing when over the limit. */
    private int checkElementSize(int end) throws XmlStreamException {
        int size = bufLen + (end - segStart);
        if (size > maxElementBytes) {
            throw policyViolation("a top-level element is larger than " + maxElementBytes + " bytes");
        }
        return size;
    }

    /** Records prefix declarations and uses of the current start tag, for inheritedPrefixes. */
    private void trackPrefixes() {
        for (int i = 0, n = parser.getNamespaceCount(); i < n; i++) {
            String prefix = parser.getNamespacePrefix(i);
            if (!isEmpty(prefix)) {
                if (declPrefixes == null || declCount == declPrefixes.length) {
                    int cap = declPrefixes == null ? 4 : declCount * 2;
                    declPrefixes = declPrefixes == null ? new String[cap] : Arrays.copyOf(declPrefixes, cap);
                    declDepths = declDepths == null ? new int[cap] : Arrays.copyOf(declDepths, cap);
                }
                declPrefixes[declCount] = prefix;
                declDepths[declCount++] = depth;
            }
        }
        usePrefix(parser.getPrefix());
        for (int i = 0, n = parser.getAttributeCount(); i < n; i++) {
            usePrefix(parser.getAttributePrefix(i));
        }
    }

    private void usePrefix(String prefix) {
        if (isEmpty(prefix) || "xml".equals(prefix)) {
            return;
        }
        for (int i = 0; i < declCount; i++) {
            if (declPrefixes[i].equals(prefix)) {
                return;
            }
        }
        for (int i = 0; i < inheritedCount; i++) {
            if (inherited[i].equals(prefix)) {
                return;
            }
        }
        if (inherited == null || inheritedCount == inherited.length) {
            inherited = inherited == null ? new String[2] : Arrays.copyOf(inherited, inheritedCount * 2);
        }
        inherited[inheritedCount++] = prefix;
    }

    /** Attributes of the current start tag by qualified name as written. */
    private Map<String, String> attributes() {
        int n = parser.getAttributeCount();
        if (n == 0) {
            return Map.of();
        }
        // Built immutable here, so StanzaFrame's Map.copyOf keeps it as is: one map per stanza, not two.
        @SuppressWarnings("unchecked")
        Map.Entry<String, String>[] entries = new Map.Entry[n];
        for (int i = 0; i < n; i++) {
            String prefix = parser.getAttributePrefix(i);
            String local = parser.getAttributeLocalName(i);
            entries[i] = Map.entry(isEmpty(prefix) ? local : prefix + ':' + local, parser.getAttributeValue(i));
        }
        return Map.ofEntries(entries);
    }

    private void clearElement() {
        buf = null; // idle framers should hold no buffer
        bufLen = 0;
        elPrefix = null;
        elLocalName = null;
        elNamespace = null;
        elAttributes = null;
        if (declPrefixes != null) {
            if (declPrefixes.length > 16) {
                declPrefixes = null;
                declDepths = null;
            } else {
                Arrays.fill(declPrefixes, 0, declCount, null);
            }
        }
        declCount = 0;
        if (inherited != null) {
            if (inherited.length > 16) {
                inherited = null;
            } else {
                Arrays.fill(inherited, 0, inheritedCount, null);
            }
        }
        inheritedCount = 0;
    }

    // ---- parser lifecycle ----

    private static InputFactoryImpl createFactory() {
        InputFactoryImpl factory = new InputFactoryImpl();
        factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        // Unknown entities must surface as ENTITY_REFERENCE events (restricted-xml).
        factory.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        factory.setProperty(XMLInputFactory.IS_COALESCING, false);
        warmUp(factory);
        return factory;
    }

    /**
     * Parses a typical document once so the factory's shared name table already knows the usual
     * XMPP names: each parser's table is copy-on-write, and one that never meets a new name saves
     * about 1 KB. The only parser ever closed (closing returns buffers to a per-thread recycler,
     * which would be unsafe from a thread other than the creating one).
     */
    private static void warmUp(InputFactoryImpl factory) {
        String xml = "<?xml version='1.0' encoding='UTF-8'?>"
                + "<stream:stream xmlns='jabber:client' xmlns:stream='" + STREAMS_NS + "' to='a' from='b'"
                + " id='c' version='1.0' xml:lang='en'>"
                + "<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls>"
                + "<mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>PLAIN</mechanism></mechanisms>"
                + "<bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/><session/><sm/><ver/><c hash='h' node='n' ver='v'/>"
                + "</stream:features><proceed/><auth mechanism='PLAIN'>x</auth><success/><failure/><challenge/>"
                + "<response/><iq type='set' id='1' to='a' from='b'><bind><resource>r</resource><jid>j</jid></bind>"
                + "<query xmlns='jabber:iq:roster' ver='1'><item jid='a' name='n' subscription='both' ask='a'>"
                + "<group>g</group></item></query><ping/><vCard/><pubsub><items node='n'><item id='1'/></items>"
                + "</pubsub><error type='cancel' code='1'><text/></error></iq>"
                + "<message type='chat' id='1' to='a' from='b'><body>b</body><subject>s</subject><thread>t</thread>"
                + "<active/><composing/><paused/><request/><received/><markable/><displayed/><delay stamp='s'/>"
                + "<x/><html/><origin-id/><stanza-id by='b'/><store/></message>"
                + "<presence type='unavailable' id='1'><show>away</show><status>s</status><priority>1</priority>"
                + "</presence><stream:error><text/></stream:error><enable resume='true' max='1'/><enabled/>"
                + "<r/><a h='1'/><resume h='1' previd='p'/><resumed/><handshake>h</handshake>"
                + "<route streamid='s'/><create/><close/><hostname/></stream:stream>";
        try {
            AsyncXMLStreamReader<AsyncByteArrayFeeder> reader = factory.createAsyncForByteArray();
            byte[] bytes = xml.getBytes(StandardCharsets.UTF_8);
            reader.getInputFeeder().feedInput(bytes, 0, bytes.length);
            while (reader.next() != AsyncXMLStreamReader.EVENT_INCOMPLETE) {
                if (reader.getEventType() == XMLStreamConstants.END_DOCUMENT) {
                    break;
                }
            }
            reader.close();
        } catch (XMLStreamException | RuntimeException e) {
            // Only an optimisation.
        }
    }

    /** A parser for a new stream, or after {@link #trim()} one primed with the root's bindings. */
    private void openParser() throws XmlStreamException {
        parser = FACTORY.createAsyncForByteArray();
        fedBefore = 0;
        streamBefore = 0;
        if (depth == 0) {
            return;
        }
        byte[] header = syntheticHeader(streamOpen);
        try {
            parser.getInputFeeder().feedInput(header, 0, header.length);
            while (parser.next() != AsyncXMLStreamReader.EVENT_INCOMPLETE) {
                // START_DOCUMENT, START_ELEMENT
            }
            parser.getInputFeeder().feedInput(NO_BYTES, 0, 0);
        } catch (XMLStreamException e) {
            throw new XmlStreamException(StreamErrorCondition.INTERNAL_SERVER_ERROR,
                    "could not restore the parser: " + e.getMessage(), e);
        }
        fedBefore = header.length;
    }

    /**
     * {@code <stream:stream xmlns:p='uri' ...>}: a root with the real one's name (so that its end
     * tag matches) and namespace bindings, without its attributes.
     */
    static byte[] syntheticHeader(StreamOpen open) {
        StringBuilder sb = new StringBuilder(64 + 48 * open.namespaces().size()).append('<');
        if (!open.prefix().isEmpty()) {
            sb.append(open.prefix()).append(':');
        }
        sb.append(open.localName());
        for (Map.Entry<String, String> ns : open.namespaces().entrySet()) {
            sb.append(ns.getKey().isEmpty() ? " xmlns" : " xmlns:" + ns.getKey()).append("='");
            String uri = ns.getValue();
            for (int i = 0; i < uri.length(); i++) {
                char c = uri.charAt(i);
                switch (c) {
                    case '&' -> sb.append("&amp;");
                    case '<' -> sb.append("&lt;");
                    case '\'' -> sb.append("&apos;");
                    case '\t', '\n', '\r' -> sb.append("&#").append((int) c).append(';');
                    default -> sb.append(c);
                }
            }
            sb.append('\'');
        }
        return sb.append('>').toString().getBytes(StandardCharsets.UTF_8);
    }

    private void feedParser(byte[] data, int offset, int len) throws XmlStreamException {
        try {
            parser.getInputFeeder().feedInput(data, offset, len);
        } catch (XMLStreamException e) {
            throw translate(e, e);
        }
    }

    /** Where the current event ends, as an index into {@link #chunk}. */
    private int endOffset() throws XmlStreamException {
        try {
            return (int) (parser.getLocationInfo().getEndingByteOffset() - fedBefore);
        } catch (XMLStreamException e) {
            throw translate(e, e);
        }
    }

    private void resetStream() {
        releaseStream();
        closed = false;
        depth = 0;
        fedBefore = 0;
        streamBefore = 0;
        carry = 0;
        carryLen = 0;
        whitespaceRun = false;
        prologLt = false;
        rootTagBegun = false;
        restartRequested = false;
        streamOpen = null;
        utf8Need = 0;
        utf8Lo = 0x80;
        utf8Hi = 0xBF;
        utf8AfterEf = false;
    }

    /** Drops the parser and everything buffered (not closed: see {@link #warmUp}). */
    private void releaseStream() {
        parser = null;
        parserBloated = false;
        clearElement();
    }

    private void fail(StreamErrorCondition condition) {
        failure = condition;
        releaseStream();
        streamOpen = null;
    }

    // ---- byte-level checks ----

    /**
     * Rejects {@code <!} before the root start tag: a DOCTYPE or a comment. Done on the bytes
     * because Aalto reports a DOCTYPE with an internal subset as a syntax error.
     */
    private void scanProlog(byte[] data, int from, int end) throws XmlStreamException {
        for (int i = from; i < end; i++) {
            byte b = data[i];
            if (prologLt) {
                prologLt = false;
                if (b == '!') {
                    throw restricted("DTDs and comments are not allowed");
                }
                if (b != '?') {
                    rootTagBegun = true;
                    return;
                }
            } else if (b == '<') {
                prologLt = true;
            }
        }
    }

    private void validateUpTo(int end) throws XmlStreamException {
        if (end > validatedTo) {
            validateUtf8(chunk, validatedTo, end);
            validatedTo = end;
        }
    }

    /**
     * Checks that the bytes are well-formed UTF-8 (no overlongs, surrogates or values above
     * U+10FFFF) and legal XML 1.0 characters (no C0 controls but TAB/LF/CR, no U+FFFE/U+FFFF).
     * Streaming: a sequence may span chunks.
     */
    private void validateUtf8(byte[] data, int from, int end) throws XmlStreamException {
        int need = utf8Need;
        int lo = utf8Lo;
        int hi = utf8Hi;
        boolean afterEf = utf8AfterEf;
        for (int i = from; i < end; i++) {
            int b = data[i];
            if (need == 0) {
                if (b >= 0x20) {
                    continue; // printable ASCII (bytes are signed: 0x80-0xFF are negative)
                }
                if (b >= 0) {
                    if (b == '\t' || b == '\n' || b == '\r') {
                        continue;
                    }
                    throw notWellFormed("illegal XML character 0x" + Integer.toHexString(b));
                }
                b &= 0xFF;
                if (b >= 0xC2 && b <= 0xDF) {
                    need = 1;
                } else if (b >= 0xE0 && b <= 0xEF) {
                    need = 2;
                    lo = b == 0xE0 ? 0xA0 : 0x80; // no overlongs
                    hi = b == 0xED ? 0x9F : 0xBF; // no surrogates
                    afterEf = b == 0xEF;
                } else if (b >= 0xF0 && b <= 0xF4) {
                    need = 3;
                    lo = b == 0xF0 ? 0x90 : 0x80;
                    hi = b == 0xF4 ? 0x8F : 0xBF; // nothing above U+10FFFF
                } else {
                    throw notWellFormed("invalid UTF-8");
                }
            } else {
                b &= 0xFF;
                if (b < lo || b > hi) {
                    throw notWellFormed("invalid UTF-8");
                }
                need--;
                lo = 0x80;
                // EF BF BE / EF BF BF are U+FFFE / U+FFFF, not XML characters.
                hi = afterEf && need == 1 && b == 0xBF ? 0xBD : 0xBF;
                afterEf = false;
            }
        }
        utf8Need = need;
        utf8Lo = lo;
        utf8Hi = hi;
        utf8AfterEf = afterEf;
    }

    private static int skipWhitespace(byte[] data, int from, int end) {
        int i = from;
        while (i < end) {
            byte b = data[i];
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                break;
            }
            i++;
        }
        return i;
    }

    // ---- errors ----

    private XmlStreamException translate(Exception e, Exception source) {
        String message = source.getMessage() == null ? source.toString() : source.getMessage();
        int nl = message.indexOf('\n');
        String text = nl < 0 ? message : message.substring(0, nl);
        StreamErrorCondition condition = StreamErrorCondition.NOT_WELL_FORMED;
        if (depth == 0 && text.startsWith("Unsupported encoding")) {
            condition = StreamErrorCondition.UNSUPPORTED_ENCODING;
        } else if (text.contains("ENTITY_REFERENCE")) {
            condition = StreamErrorCondition.RESTRICTED_XML; // "&foo;" inside an attribute value
        }
        return new XmlStreamException(condition, text, e);
    }

    private static XmlStreamException notWellFormed(String text) {
        return new XmlStreamException(StreamErrorCondition.NOT_WELL_FORMED, text);
    }

    private static XmlStreamException restricted(String text) {
        return new XmlStreamException(StreamErrorCondition.RESTRICTED_XML, text);
    }

    private static XmlStreamException policyViolation(String text) {
        return new XmlStreamException(StreamErrorCondition.POLICY_VIOLATION, text);
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }

    private static boolean isEmpty(String s) {
        return s == null || s.isEmpty();
    }
}
