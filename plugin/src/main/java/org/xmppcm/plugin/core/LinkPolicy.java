package org.xmppcm.plugin.core;

import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.xmppcm.engine.LinkSecurity;
import org.xmppcm.protocol.cm.TlsPolicy;

/**
 * What a connecting manager's link is offered, from the plugin's settings and the certificate Openfire keeps for
 * connection managers. Decided per link, so a changed setting or a renewed certificate applies to the next link.
 */
public final class LinkPolicy {
    /** The stored TLS policy when none is set: offer TLS, as stock Openfire does on its manager port. */
    public static final TlsPolicy DEFAULT_TLS = TlsPolicy.OPTIONAL;

    private LinkPolicy() {
    }

    /**
     * A stored policy name ({@code disabled}, {@code optional}, {@code required}, any case). Unset means the default;
     * anything else means REQUIRED, so a mistyped value never weakens the links.
     */
    public static TlsPolicy tlsPolicy(String stored) {
        if (stored == null || stored.isBlank()) {
            return DEFAULT_TLS;
        }
        return switch (stored.trim().toLowerCase(Locale.ROOT)) {
            case "disabled" -> TlsPolicy.DISABLED;
            case "optional" -> TlsPolicy.OPTIONAL;
            default -> TlsPolicy.REQUIRED;
        };
    }

    /**
     * @param tlsContext builds the TLS context from Openfire's certificate; empty or throwing when there is none
     * @param warn told why TLS cannot be offered although the policy asks for it
     */
    public static LinkSecurity decide(TlsPolicy policy, boolean compression, Supplier<Optional<SSLContext>> tlsContext,
                                      Consumer<String> warn) {
        if (policy == TlsPolicy.DISABLED) {
            return new LinkSecurity(null, TlsPolicy.DISABLED, compression);
        }
        Optional<SSLContext> context;
        try {
            context = tlsContext.get();
        } catch (RuntimeException e) {
            context = Optional.empty();
            warn.accept("Connection Manager plugin: cannot use Openfire's certificate for connection managers ("
                    + e.getMessage() + ").");
        }
        if (context.isEmpty()) {
            if (policy == TlsPolicy.REQUIRED) {
                // Still REQUIRED: the engine then refuses every handshake in clear, rather than let a secret cross
                // the network unprotected.
                warn.accept("Connection Manager plugin: link TLS is required but Openfire has no usable certificate"
                        + " for connection managers (Server > TLS/SSL Certificates); managers cannot connect.");
                return new LinkSecurity(null, TlsPolicy.REQUIRED, compression);
            }
            warn.accept("Connection Manager plugin: TLS is not offered to connection managers: Openfire has no usable"
                    + " certificate for them (Server > TLS/SSL Certificates).");
            return new LinkSecurity(null, TlsPolicy.DISABLED, compression);
        }
        return new LinkSecurity(context.get(), policy, compression);
    }
}
