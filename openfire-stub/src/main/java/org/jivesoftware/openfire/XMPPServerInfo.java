package org.jivesoftware.openfire;

/** Compile-only mirror of Openfire's {@code XMPPServerInfo} interface. */
public interface XMPPServerInfo {

    String getXMPPDomain();
}
