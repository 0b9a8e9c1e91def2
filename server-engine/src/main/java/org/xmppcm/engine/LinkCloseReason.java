package org.xmppcm.engine;

/**
 * Why a link ended. Passed to the registry when a manager loses its last link, so that a later
 * grace period can tell a manager that is going away on purpose from one that merely lost TCP.
 */
public enum LinkCloseReason {
    /** The CM sent {@code <stream:error><system-shutdown/>}: it is going away with its clients. */
    MANAGER_SHUTDOWN,
    /** The CM closed its stream ({@code </stream:stream>}) or sent another stream error. */
    MANAGER_CLOSED,
    /** The TCP connection ended without a stream close. */
    CONNECTION_LOST,
    /** We closed the link because the CM broke the protocol (bad XML, bad digest, conflict ...). */
    PROTOCOL_ERROR,
    /** The CM did not read fast enough and its write queue hit the limit. */
    WRITE_OVERFLOW,
    /** A newer process of the same manager authenticated: this link belonged to the one it replaced. */
    MANAGER_RESTARTED,
    /** Another link of the same manager took this one over ({@code <resume/>}): the CM gave up on it. */
    RESUMED,
    /** Nothing came from the CM for longer than the idle limit: the link is half-open or the CM is frozen. */
    IDLE_TIMEOUT,
    /** Our own shutdown ({@link ConnectionManagerListener#stop()}). */
    SERVER_SHUTDOWN
}
