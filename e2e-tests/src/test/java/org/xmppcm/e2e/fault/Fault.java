package org.xmppcm.e2e.fault;

/**
 * The faults of the suite, each in the rig shape it needs, with the lost messages it excuses: only those that were
 * nowhere but in the memory of a process the fault killed (no link protocol can bring those back; a client would
 * need XEP-0198 for the ones it had handed to a killed CM), and the duplicates it excuses: a message a killed CM had
 * written to its client but not yet acknowledged to the server, which the server therefore stores offline as well.
 */
enum Fault {
    CUT_ONE_FIN("cut one link (FIN)", FaultRig.Mode.IN_PROCESS),
    RESET_ONE_RST("reset one link (RST)", FaultRig.Mode.IN_PROCESS),
    FREEZE_ONE("freeze one link", FaultRig.Mode.IN_PROCESS),
    FREEZE_BOTH("freeze both links", FaultRig.Mode.IN_PROCESS),
    DELAY_ONE("delay one link", FaultRig.Mode.IN_PROCESS),
    CM_SIGKILL("SIGKILL the CM", FaultRig.Mode.CM_PROCESS),
    CM_SIGTERM("SIGTERM the CM", FaultRig.Mode.CM_PROCESS),
    SERVER_SIGKILL_RESTART("SIGKILL server, restart", FaultRig.Mode.SERVER_PROCESS),
    SERVER_SIGKILL_DOWN("SIGKILL server, stays down", FaultRig.Mode.SERVER_PROCESS);

    final String label;
    final FaultRig.Mode mode;

    Fault(String label, FaultRig.Mode mode) {
        this.label = label;
        this.mode = mode;
    }

    /** True for the faults whose point is that the link's death must be noticed without any close on the wire. */
    boolean needsLiveness() {
        return this == FREEZE_ONE || this == FREEZE_BOTH;
    }

    /**
     * Duplicates this fault excuses: after a SIGKILL of the CM, one live delivery (the CM wrote it to the client before
     * it died) and one from offline storage (the server never heard that the CM had it). Nothing on the link can tell
     * the server which of its last unacknowledged messages the dead CM delivered; only client acknowledgements
     * (XEP-0198 between client and CM) could. A SIGTERM excuses none: the CM acknowledges everything before it goes.
     */
    boolean excusesDuplicate(Ledger.Message m) {
        return this == CM_SIGKILL && m.online.get() == 1 && m.offline.get() == 1;
    }

    /**
     * Messages bounced to their sender although delivered, that this fault excuses: after a SIGKILL of the server,
     * those it had received and delivered but not yet acknowledged to the CM when it died. The CM cannot tell them
     * from those the server lost with its memory, and tells their senders they may not have gone (a {@code wait}
     * error): at least once, as without client acknowledgements nothing better exists.
     */
    boolean excusesBounceOfDelivered(Ledger ledger, Ledger.Message m) {
        return (this == SERVER_SIGKILL_RESTART || this == SERVER_SIGKILL_DOWN) && ledger.reachedServer(m);
    }

    /** Lost messages this fault excuses (see the class comment). */
    boolean excuses(Ledger ledger, Ledger.Message m) {
        return switch (this) {
            // Never reached the server: it was in the killed CM (read from the client, not yet on a link).
            case CM_SIGKILL, CM_SIGTERM -> !ledger.reachedServer(m);
            // Reached the server's socket and never came out of it: it was in the killed (in-memory) server.
            case SERVER_SIGKILL_RESTART, SERVER_SIGKILL_DOWN -> ledger.reachedServer(m) && !ledger.leftServer(m);
            default -> false;
        };
    }
}
