package org.xmppcm.demo;

import java.util.Base64;
import java.util.List;
import org.dom4j.Element;
import org.xmppcm.protocol.cm.Namespaces;

/**
 * The SASL negotiation of one client stream (RFC 6120 section 6.4): turns {@code <auth/>},
 * {@code <response/>} and {@code <abort/>} into {@code <challenge/>}, {@code <success/>} or
 * {@code <failure/>}, and counts failed attempts. Confined to its session, which serializes calls.
 */
final class SaslNegotiator {
    /** RFC 6120 section 6.4.5 asks for 2 to 5 retries; after this many failures the stream is ended. */
    static final int MAX_FAILURES = 5;

    /**
     * @param reply the element to send to the client
     * @param username the account, set once on success
     * @param retriesExhausted whether the client failed too often and its stream must be closed
     */
    record Outcome(Element reply, String username, boolean retriesExhausted) {
    }

    private final UserStore users;
    private final String domain;
    private final List<String> offeredMechanisms;
    private SaslMechanism exchange;
    private int failures;

    SaslNegotiator(UserStore users, String domain, List<String> offeredMechanisms) {
        this.users = users;
        this.domain = domain;
        this.offeredMechanisms = List.copyOf(offeredMechanisms);
    }

    Outcome handle(Element element) {
        switch (element.getName()) {
            case "auth":
                return auth(element);
            case "response":
                if (exchange == null) {
                    return failure(SaslFailure.MALFORMED_REQUEST); // no exchange to respond to
                }
                return step(element);
            case "abort":
                exchange = null;
                return failure(SaslFailure.ABORTED);
            default:
                return failure(SaslFailure.MALFORMED_REQUEST);
        }
    }

    private Outcome auth(Element auth) {
        exchange = null; // a new <auth/> starts over, whatever happened before
        String mechanism = auth.attributeValue("mechanism");
        if (mechanism == null || mechanism.isEmpty()) {
            return failure(SaslFailure.INVALID_MECHANISM);
        }
        SaslMechanism created = offeredMechanisms.contains(mechanism) ? create(mechanism) : null;
        if (created == null) {
            return failure(SaslFailure.INVALID_MECHANISM);
        }
        exchange = created;
        return step(auth);
    }

    private SaslMechanism create(String mechanism) {
        switch (mechanism) {
            case ScramSha1Server.NAME:
                return new ScramSha1Server(users, domain);
            case PlainMechanism.NAME:
                return new PlainMechanism(users, domain);
            default:
                return null;
        }
    }

    private Outcome step(Element element) {
        byte[] data;
        String text = element.getTextTrim();
        if (text.isEmpty()) {
            // An <auth/> without text has no initial response; an empty <response/> carries empty data.
            data = "auth".equals(element.getName()) ? null : new byte[0];
        } else if ("=".equals(text)) {
            data = new byte[0]; // RFC 6120 section 6.4.2: '=' is an empty response
        } else {
            try {
                // Strict decoding; line breaks some clients insert are tolerated.
                data = Base64.getDecoder().decode(text.replaceAll("\\s", ""));
            } catch (IllegalArgumentException e) {
                exchange = null;
                return failure(SaslFailure.INCORRECT_ENCODING);
            }
        }
        SaslStep result = exchange.evaluate(data);
        if (result instanceof SaslStep.Challenge challenge) {
            return new Outcome(saslElement("challenge", challenge.data()), null, false);
        }
        exchange = null;
        if (result instanceof SaslStep.Success success) {
            return new Outcome(saslElement("success", success.additionalData()), success.username(), false);
        }
        return failure(((SaslStep.Failure) result).condition());
    }

    private Outcome failure(SaslFailure condition) {
        exchange = null;
        if (condition != SaslFailure.ABORTED) {
            failures++;
        }
        Element failure = Stanzas.create("failure", Namespaces.SASL);
        Stanzas.add(failure, condition.elementName(), Namespaces.SASL);
        return new Outcome(failure, null, failures >= MAX_FAILURES);
    }

    /** A SASL element carrying {@code data}: none for null, '=' for empty (RFC 6120 sections 6.4.2, 6.4.6). */
    private static Element saslElement(String name, byte[] data) {
        Element element = Stanzas.create(name, Namespaces.SASL);
        if (data != null) {
            element.setText(data.length == 0 ? "=" : Base64.getEncoder().encodeToString(data));
        }
        return element;
    }
}
