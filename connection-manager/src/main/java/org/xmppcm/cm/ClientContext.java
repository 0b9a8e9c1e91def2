package org.xmppcm.cm;

/** What a client stream needs from the CM around it. */
interface ClientContext {
    CmSettings settings();

    StreamIds streamIds();

    ClientRegistry registry();

    /** The link this CM routes through, or null while none is connected. */
    ServerLink link();
}
