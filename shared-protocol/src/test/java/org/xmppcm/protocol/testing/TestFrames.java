package org.xmppcm.protocol.testing;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.xmppcm.protocol.cm.TagScanner;
import org.xmppcm.protocol.xml.StanzaFrame;

/**
 * Builds a {@link StanzaFrame} by hand from the XML of one element, as the framer would report it
 * on a stream whose header declared {@code streamNamespaces}. For unit tests that must not depend
 * on the framer. Approximation: a prefix declared anywhere inside the element counts as declared
 * for the whole element (fine for test input, not a namespace-scoping implementation).
 */
public final class TestFrames {
    private TestFrames() {
    }

    public static StanzaFrame of(String xml, Map<String, String> streamNamespaces) {
        return of(xml.getBytes(StandardCharsets.UTF_8), streamNamespaces);
    }

    public static StanzaFrame of(byte[] bytes, Map<String, String> streamNamespaces) {
        int end = TagScanner.elementEnd(bytes, 0, bytes.length);
        if (end != bytes.length) {
            throw new IllegalArgumentException("not exactly one element: " + new String(bytes, StandardCharsets.UTF_8));
        }
        TagScanner.StartTag root = TagScanner.readStartTag(bytes, 0, bytes.length);
        Map<String, String> attributes = new LinkedHashMap<>();
        root.attributes().forEach((name, value) -> {
            if (!name.equals("xmlns") && !name.startsWith("xmlns:")) {
                attributes.put(name, value);
            }
        });
        String declared = root.declaration(root.prefix());
        String namespace = declared != null ? declared : streamNamespaces.getOrDefault(root.prefix(), "");

        Set<String> used = new HashSet<>();
        Set<String> declaredInside = new HashSet<>();
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] != '<' || i + 1 >= bytes.length || bytes[i + 1] == '/' || bytes[i + 1] == '!' || bytes[i + 1] == '?') {
                continue;
            }
            TagScanner.StartTag tag = TagScanner.readStartTag(bytes, i, bytes.length);
            if (!tag.prefix().isEmpty()) {
                used.add(tag.prefix());
            }
            for (String name : tag.attributes().keySet()) {
                if (name.startsWith("xmlns:")) {
                    declaredInside.add(name.substring(6));
                } else if (!name.equals("xmlns") && name.indexOf(':') > 0) {
                    used.add(name.substring(0, name.indexOf(':')));
                }
            }
        }
        used.removeAll(declaredInside);
        used.remove("xml");

        int contentStart = root.end();
        int contentEnd = root.emptyElement() ? bytes.length : lastIndexOf(bytes, (byte) '<');
        return new StanzaFrame(bytes.clone(), root.prefix(), root.localName(), namespace, attributes,
                root.defaultNamespaceDeclaration() != null, used, contentStart, contentEnd);
    }

    private static int lastIndexOf(byte[] b, byte value) {
        for (int i = b.length - 1; i >= 0; i--) {
            if (b[i] == value) {
                return i;
            }
        }
        return -1;
    }
}
