/**
 * Negotiations as declared state graphs.
 *
 * <p>Each negotiation of the project (a client stream, the CM's side of a link, the server's side of a link, the CM's
 * handling of an outage) declares its states once as a {@link org.xmppcm.protocol.machine.StateGraph}: the
 * specification section each state implements, and the events that leave it. The code that drives it keeps its
 * place in a {@link org.xmppcm.protocol.machine.GraphPosition}, which refuses any move the graph lacks, and tests
 * compare each graph with its diagram under {@code docs/graphs}. The graph says what may happen; the negotiation's
 * own class says when, from the frames, timers and I/O events it is handed.
 *
 * <p>{@link org.xmppcm.protocol.machine.SerialLane} runs one session's work in order, one task at a time, with a bound
 * that pauses the source feeding it instead of growing or dropping: on a shared pool, or on the threads that submit to
 * it (whoever finds it idle runs it, the others queue).
 */
package org.xmppcm.protocol.machine;
