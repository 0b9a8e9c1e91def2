package org.xmppcm.plugin.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.xmppcm.protocol.cm.ClientConfiguration;
import org.xmppcm.protocol.cm.TlsPolicy;

/**
 * Maps Openfire's client settings to the {@link ClientConfiguration} pushed to connection managers.
 *
 * <p>Two deliberate differences from what stock Openfire pushes (see {@code 01-link-setup.txt}, which offers
 * {@code EXTERNAL} and {@code SCRAM-SHA-1-PLUS}): a client's TLS ends at the connection manager, so Openfire can
 * neither bind a SASL exchange to that channel ({@code -PLUS}, RFC 5802 section 6) nor see the client's certificate
 * ({@code EXTERNAL}). Offering them would only make clients that pick them fail.
 */
public final class ClientConfigurations {
    /** Stronger first; a client takes the first one it supports. Unlisted mechanisms go between SCRAM and PLAIN. */
    private static final List<String> PREFERENCE = List.of(
            "SCRAM-SHA-512", "SCRAM-SHA-256", "SCRAM-SHA-1", "PLAIN", "ANONYMOUS");

    private ClientConfigurations() {
    }

    public static ClientConfiguration from(ClientSettings settings) {
        List<String> compression = "optional".equals(settings.compressionPolicy()) ? List.of("zlib") : List.of();
        return new ClientConfiguration(tlsPolicy(settings.tlsPolicy()), routableMechanisms(settings.mechanisms()),
                compression, settings.iqAuth(), settings.inbandRegistration(), tuningText(settings.tuning()));
    }

    private static Map<String, String> tuningText(Map<String, Integer> tuning) {
        Map<String, String> text = new TreeMap<>();
        tuning.forEach((name, value) -> text.put(name, Integer.toString(value)));
        return text;
    }

    /**
     * Openfire's TLS policy by name. Anything but {@code optional} and {@code disabled} maps to REQUIRED: a policy
     * this code does not know (directTLS, the older legacyMode, a missing listener) must never weaken what clients
     * are asked for.
     */
    public static TlsPolicy tlsPolicy(String openfirePolicy) {
        if ("optional".equals(openfirePolicy)) {
            return TlsPolicy.OPTIONAL;
        }
        if ("disabled".equals(openfirePolicy)) {
            return TlsPolicy.DISABLED;
        }
        return TlsPolicy.REQUIRED;
    }

    /**
     * The mechanisms a client can complete through a connection manager, upper-cased, without duplicates, strongest
     * first (Openfire keeps them in a hash set, so its order means nothing).
     */
    public static List<String> routableMechanisms(Iterable<String> mechanisms) {
        Set<String> names = new LinkedHashSet<>();
        for (String mechanism : mechanisms) {
            if (mechanism == null || mechanism.isBlank()) {
                continue;
            }
            String name = mechanism.trim().toUpperCase(Locale.ROOT);
            if (!name.endsWith("-PLUS") && !name.equals("EXTERNAL")) {
                names.add(name);
            }
        }
        List<String> ordered = new ArrayList<>(names);
        ordered.sort(Comparator.comparingInt(ClientConfigurations::rank).thenComparing(Comparator.naturalOrder()));
        return ordered;
    }

    private static int rank(String mechanism) {
        int index = PREFERENCE.indexOf(mechanism);
        if (index >= 0) {
            // The SCRAM family keeps its slots ahead of everything; PLAIN and ANONYMOUS come last.
            return index < 3 ? index : index + 10;
        }
        return 5;
    }
}
