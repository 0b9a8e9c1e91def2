package org.xmppcm.plugin.admin;

/**
 * @param port the configured port
 * @param listening whether the plugin's listener accepts connection managers on it
 * @param problem why it does not (a port conflict with Openfire's own listener, a failed bind), or null
 */
public record ListenerStatus(int port, boolean listening, String problem) {
}
