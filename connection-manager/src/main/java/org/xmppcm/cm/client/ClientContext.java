package org.xmppcm.cm.client;

import org.xmppcm.cm.CmSettings;

/** What a client stream needs from the CM around it. */
public interface ClientContext {
    CmSettings settings();

    StreamIds streamIds();

    ClientRegistry registry();

    /** Where counters go. */
    org.xmppcm.cm.metrics.CmMetrics metrics();

    /** How this CM reaches the server. */
    Uplink uplink();
}
