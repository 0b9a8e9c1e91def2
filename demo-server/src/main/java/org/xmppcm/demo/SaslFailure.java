package org.xmppcm.demo;

import java.util.Locale;

/** The SASL failure conditions of RFC 6120 section 6.5 the demo server sends. */
enum SaslFailure {
    ABORTED, INCORRECT_ENCODING, INVALID_AUTHZID, INVALID_MECHANISM, MALFORMED_REQUEST, NOT_AUTHORIZED;

    String elementName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
