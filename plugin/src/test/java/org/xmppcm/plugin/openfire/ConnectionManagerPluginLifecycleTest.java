package org.xmppcm.plugin.openfire;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.jivesoftware.openfire.Connection;
import org.jivesoftware.openfire.spi.ConnectionType;
import org.jivesoftware.util.JiveGlobals;
import org.junit.jupiter.api.Test;
import org.xmppcm.plugin.admin.ConsoleServlets;
import org.xmppcm.plugin.openfire.standin.StandIn;
import org.xmppcm.engine.testing.CmTestClient;

/** Loading and unloading the plugin in the Openfire stand-in. */
class ConnectionManagerPluginLifecycleTest {
    @Test
    void loadListensOnTheConfiguredPortAndRegistersTheAdminPagesAndUnloadUndoesBoth() throws Exception {
        PluginHarness harness = PluginHarness.load();
        try {
            assertThat(PluginHarness.accepts(harness.port)).isTrue();
            assertThat(harness.plugin.listenerStatus().listening()).isTrue();
            assertThat(StandIn.servlets()).containsOnlyKeys(ConsoleServlets.MANAGERS_PATH, ConsoleServlets.SETTINGS_PATH);
            assertThat(StandIn.propertyListeners()).hasSize(1); // the client-settings watcher
            // A real connection manager gets through: handshake with the default secret and a configuration push.
            try (CmTestClient link = CmLinks.authenticated(harness.port, PluginHarness.DOMAIN, PluginHarness.SECRET)) {
                assertThat(harness.plugin.managers()).hasSize(1);
            }
        } finally {
            harness.destroy();
        }
        assertThat(StandIn.servlets()).isEmpty();
        assertThat(StandIn.propertyListeners()).isEmpty();
        assertThat(PluginHarness.accepts(harness.port)).isFalse();
        assertThat(PluginHarness.free(harness.port)).isTrue();
    }

    @Test
    void theShippedPluginXmlLoadsInOpenfiresOrderAndTheRegisteredPagesAnswer() throws Exception {
        try (PluginHarness harness = PluginHarness.load()) {
            // Read before the plugin is registered, as Openfire 5.1.1 does; a ${key} there aborted the load.
            assertThat(harness.loaded.name()).isEqualTo(ConnectionManagerProperties.PLUGIN_NAME);
            assertThat(harness.loaded.description()).isNotBlank();
            // Served the way Openfire's PluginServlet serves them: getServletName() first, then service().
            assertThat(PluginHarness.get(ConsoleServlets.MANAGERS_PATH)).contains("<html");
        }
    }

    @Test
    void theListenerBindsWhereOpenfiresListenersBind() throws Exception {
        try (PluginHarness harness = PluginHarness.load(
                () -> StandIn.setNetworkInterface(InetAddress.getLoopbackAddress()))) {
            assertThat(PluginHarness.accepts("127.0.0.1", harness.port)).isTrue();
            assertThat(PluginHarness.accepts("127.0.0.2", harness.port)).isFalse();
            assertThat(PluginHarness.get(ConsoleServlets.MANAGERS_PATH))
                    .contains("Listening for connection managers on 127.0.0.1:" + harness.port);
        }
    }

    @Test
    void theBindAddressPropertyOverridesOpenfiresInterface() throws Exception {
        try (PluginHarness harness = PluginHarness.load(() -> {
            StandIn.setNetworkInterface(InetAddress.getLoopbackAddress());
            JiveGlobals.setProperty(ConnectionManagerProperties.BIND_ADDRESS.getKey(), "127.0.0.2");
        })) {
            assertThat(PluginHarness.accepts("127.0.0.2", harness.port)).isTrue();
            assertThat(PluginHarness.accepts("127.0.0.1", harness.port)).isFalse();
        }
        try (PluginHarness harness = PluginHarness.load(() -> {
            StandIn.setNetworkInterface(InetAddress.getLoopbackAddress());
            JiveGlobals.setProperty(ConnectionManagerProperties.BIND_ADDRESS.getKey(), "*");
        })) {
            assertThat(PluginHarness.accepts("127.0.0.1", harness.port)).isTrue();
            assertThat(PluginHarness.accepts("127.0.0.2", harness.port)).isTrue();
        }
    }

    @Test
    void anUnusableBindAddressLeavesThePluginNotListeningAndThePageSaysWhy() throws Exception {
        try (PluginHarness harness = PluginHarness.load(
                () -> JiveGlobals.setProperty(ConnectionManagerProperties.BIND_ADDRESS.getKey(), "cm.example.test"))) {
            assertThat(harness.plugin.listenerStatus().listening()).isFalse();
            assertThat(PluginHarness.get(ConsoleServlets.MANAGERS_PATH))
                    .contains(ConnectionManagerProperties.BIND_ADDRESS.getKey())
                    .contains("on cm.example.test:" + harness.port + ".").contains("&apos;cm.example.test&apos; is not an IP address");
        }
    }

    @Test
    void aPortHeldByOpenfiresBuiltInListenerLeavesThePluginNotListeningAndThePageSaysWhy() throws Exception {
        int[] port = new int[1];
        try (PluginHarness harness = PluginHarness.load(() -> {
            port[0] = ConnectionManagerProperties.PORT.getValue();
            StandIn.setListener(ConnectionType.CONNECTION_MANAGER, false, true, port[0], Connection.TLSPolicy.optional,
                    Connection.CompressionPolicy.optional);
        })) {
            assertThat(harness.port).isEqualTo(port[0]);
            assertThat(harness.plugin.listenerStatus().listening()).isFalse();
            assertThat(harness.plugin.listenerStatus().problem())
                    .contains("built-in connection manager listener")
                    .contains("is enabled on port " + port[0])
                    .contains("xmpp.multiplex.socket.active");
            assertThat(PluginHarness.accepts(harness.port)).isFalse();
            // The pages still come up, and the managers page carries the reason.
            String page = PluginHarness.get(ConsoleServlets.MANAGERS_PATH);
            assertThat(page).contains("is enabled on port " + port[0]).contains("xmpp.multiplex.socket.active");
        }
        assertThat(StandIn.servlets()).isEmpty();
    }

    @Test
    void disablingTheBuiltInListenerThatHeldThePortStartsThePluginsListenerWithoutAReload() throws Exception {
        int[] port = new int[1];
        try (PluginHarness harness = PluginHarness.load(() -> {
            port[0] = ConnectionManagerProperties.PORT.getValue();
            StandIn.setListener(ConnectionType.CONNECTION_MANAGER, false, true, port[0], Connection.TLSPolicy.optional,
                    Connection.CompressionPolicy.optional);
        })) {
            assertThat(harness.plugin.listenerStatus().listening()).isFalse();
            assertThat(harness.plugin.listenerStatus().problem()).doesNotContain("reload")
                    .contains("starts listening as soon as");

            // What Openfire's Connection Managers page does when the administrator unticks "Enabled".
            JiveGlobals.setProperty("xmpp.multiplex.socket.active", "false");

            long deadline = System.nanoTime() + 3_000_000_000L;
            while (!harness.plugin.listenerStatus().listening() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(harness.plugin.listenerStatus().listening()).isTrue();
            assertThat(PluginHarness.accepts(harness.port)).isTrue();
        }
    }

    @Test
    void theManagersPageListsAConnectedManager() throws Exception {
        try (PluginHarness harness = PluginHarness.load();
             CmTestClient link = CmLinks.authenticated(harness.port, PluginHarness.DOMAIN, PluginHarness.SECRET)) {
            String page = PluginHarness.get(ConsoleServlets.MANAGERS_PATH);
            assertThat(harness.plugin.managers()).hasSize(1);
            assertThat(page).contains("<html").contains("127.0.0.1"); // the manager's link address
        }
    }
}
