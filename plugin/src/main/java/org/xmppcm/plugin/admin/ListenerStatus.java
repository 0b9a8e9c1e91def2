package org.xmppcm.plugin.admin;

/**
 * @param port the configured port
 * @param address where the listener binds or would bind, as {@code 127.0.0.1:5262} ({@code *:5262}: every interface)
 * @param listening whether the plugin's listener accepts connection managers on it
 * @param problem why it does not (a port conflict with Openfire's own listener, a failed bind), or null
 */
public record ListenerStatus(int port, String address, boolean listening, String problem) {
}
