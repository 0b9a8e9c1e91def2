package org.jivesoftware.openfire;

/** Compile-only mirror: whether an IQ namespace has a handler (used for non-SASL authentication). */
public class IQRouter {

    private IQRouter() {
        throw new UnsupportedOperationException("compile-only stub");
    }

    public void route(org.xmpp.packet.IQ packet) {
        throw new UnsupportedOperationException("compile-only stub");
    }

    public boolean supports(String namespace) {
        throw new UnsupportedOperationException("compile-only stub");
    }
}
