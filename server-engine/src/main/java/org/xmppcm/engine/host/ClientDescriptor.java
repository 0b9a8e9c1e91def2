package org.xmppcm.engine.host;

/**
 * One client connection as announced by a CM.
 *
 * @param managerName the CM's name (its link {@code to} before the '/')
 * @param streamId the stream id the CM gave the client; unique per CM
 * @param hostName the client's host name as the CM saw it, or null
 * @param hostAddress the client's IP address, or null
 */
public record ClientDescriptor(String managerName, String streamId, String hostName, String hostAddress) {
}
