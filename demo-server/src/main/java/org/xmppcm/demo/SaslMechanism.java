package org.xmppcm.demo;

/**
 * The server side of one SASL exchange (one instance per {@code <auth/>}). Implementations are
 * used by one session at a time and need no synchronization of their own.
 */
interface SaslMechanism {
    /**
     * Evaluates the client's next message.
     *
     * @param clientData the decoded initial response or response; null when {@code <auth/>}
     *                   carried no initial response at all (as opposed to an empty one)
     */
    SaslStep evaluate(byte[] clientData);
}
