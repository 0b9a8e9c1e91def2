package org.xmppcm.engine;

import java.util.Objects;
import javax.net.ssl.SSLContext;
import org.xmppcm.protocol.cm.TlsPolicy;

/**
 * What a new CM link is offered before its handshake: STARTTLS (RFC 6120 5) with the host's certificate, and zlib
 * stream compression (XEP-0138). Read when a link connects, so a changed policy applies to the next link.
 *
 * @param tlsContext the server-side TLS context; null when there is no certificate, and then TLS cannot be offered:
 *        under {@code REQUIRED} no link can authenticate (better than letting one prove its secret in clear)
 * @param tlsPolicy {@code REQUIRED}: a link must start TLS before its handshake; {@code OPTIONAL}: offered;
 *        {@code DISABLED}: not offered
 * @param compression whether zlib is offered (inside TLS when the link starts TLS first)
 */
public record LinkSecurity(SSLContext tlsContext, TlsPolicy tlsPolicy, boolean compression) {
    /** No TLS, no compression: what stock links without our plugin's settings get. */
    public static final LinkSecurity NONE = new LinkSecurity(null, TlsPolicy.DISABLED, false);

    public LinkSecurity {
        Objects.requireNonNull(tlsPolicy, "tlsPolicy");
    }

    /** Whether STARTTLS is offered to a link that has not started it. */
    public boolean offersTls() {
        return tlsPolicy != TlsPolicy.DISABLED && tlsContext != null;
    }

    /** Whether a link must have started TLS before its handshake is accepted. */
    public boolean requiresTls() {
        return tlsPolicy == TlsPolicy.REQUIRED;
    }
}
