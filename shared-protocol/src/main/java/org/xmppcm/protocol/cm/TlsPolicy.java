package org.xmppcm.protocol.cm;

/** Whether STARTTLS is offered to clients, and whether it must be used before authentication. */
public enum TlsPolicy {
    DISABLED, OPTIONAL, REQUIRED
}
