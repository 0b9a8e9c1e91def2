/**
 * A DEMO XMPP server in memory — not for production — implementing the engine's
 * {@link org.xmppcm.engine.host.HostServer} for tests and the connection manager's {@code --demo}
 * mode. Start at {@link org.xmppcm.demo.DemoHost}.
 */
package org.xmppcm.demo;
