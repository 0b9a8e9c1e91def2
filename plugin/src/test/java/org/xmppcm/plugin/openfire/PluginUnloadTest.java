package org.xmppcm.plugin.openfire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.lang.ref.WeakReference;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dom4j.Element;
import org.jivesoftware.openfire.container.Plugin;
import org.jivesoftware.util.JiveGlobals;
import org.junit.jupiter.api.Test;
import org.xmpp.packet.Message;
import org.xmppcm.engine.testing.CmTestClient;
import org.xmppcm.plugin.admin.ConsoleServlets;
import org.xmppcm.plugin.openfire.standin.StandIn;
import org.xmppcm.plugin.openfire.standin.StandInPluginLoader;
import org.xmppcm.protocol.cm.ManagerInstance;

/**
 * The plugin loaded in a class loader of its own, as Openfire's PluginClassLoader loads it (its jars, Openfire's
 * classes from the parent), used the way a live server uses it, unloaded, and then collected: nothing may keep its
 * loader, or every reload of the plugin leaks its classes for the life of the server.
 *
 * <p>The stand-in does what Openfire 5.1.1 was seen to do that kept the loader alive: it runs {@code initializePlugin}
 * with the plugin's loader as context class loader, starts long-lived threads lazily from the thread that routes the
 * first presence (the PEP executor), and delivers to clients from its own long-lived threads.
 */
class PluginUnloadTest {
    private static final String DOMAIN = PluginHarness.DOMAIN;

    @Test
    void anUnloadedPluginLeavesNothingThatKeepsItsClassLoader() throws Exception {
        WeakReference<ClassLoader> loader = loadUseAndUnload();

        for (int i = 0; i < 100 && loader.get() != null; i++) {
            System.gc();
            Thread.sleep(50);
        }
        assertThat(loader.get()).as("the plugin's class loader after unload and GC").isNull();
    }

    private static WeakReference<ClassLoader> loadUseAndUnload() throws Exception {
        StandIn.reset(DOMAIN);
        int port = PluginHarness.freePort();
        JiveGlobals.setProperty(ConnectionManagerProperties.PORT.getKey(), Integer.toString(port));
        JiveGlobals.setProperty(ConnectionManagerProperties.DEFAULT_SECRET.getKey(), PluginHarness.SECRET, true);
        JiveGlobals.setProperty(ConnectionManagerProperties.LINK_TLS_POLICY.getKey(), "disabled");
        URLClassLoader loader = new PluginLoader(pluginClassPath(), PluginUnloadTest.class.getClassLoader());
        Plugin plugin = (Plugin) loader.loadClass(ConnectionManagerPlugin.class.getName()).getConstructor()
                .newInstance();
        assertThat(plugin.getClass().getClassLoader()).isSameAs(loader);
        StandInPluginLoader.load(PluginHarness.rootDirectory().resolve("plugin.xml"), "connectionmanager", plugin,
                new File("target/plugin-dir"));

        ManagerInstance process = ManagerInstance.startingNow();
        try (CmTestClient first = CmTestClient.connect(port); CmTestClient second = CmTestClient.connect(port)) {
            first.authenticate(DOMAIN + "/conn1", PluginHarness.SECRET, process);
            second.authenticate(DOMAIN + "/conn2", PluginHarness.SECRET, process); // compares processes (a record)
            first.send(CmLinks.sessionIq("create-1", "unload01", "<create><host name='localhost' address='127.0.0.1'/>"
                    + "</create>"));
            first.nextNamed("iq");
            first.send("<route streamid='unload01'><presence xmlns='jabber:client'/></route>"
                    + "<route streamid='unload01'><message xmlns='jabber:client' to='bob@" + DOMAIN + "'><body>hi"
                    + "</body></message></route>");
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (StandIn.routed().size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(StandIn.routed()).hasSize(2);
            Object connection = StandIn.createdSessions().get(0).connection();
            StandIn.onOpenfireThread(() -> {
                try {
                    ((org.jivesoftware.openfire.Connection) connection).deliver(new Message());
                } catch (org.jivesoftware.openfire.auth.UnauthorizedException e) {
                    throw new IllegalStateException(e);
                }
            });
            Element route = first.nextNamed("route");
            assertThat(route.attributeValue("streamid")).isEqualTo("unload01");
            assertThat(PluginHarness.get(ConsoleServlets.MANAGERS_PATH)).contains(DOMAIN);
        }

        plugin.destroyPlugin();
        assertThat(StandIn.servlets()).as("pages unregistered").isEmpty();
        assertThat(StandIn.propertyListeners()).as("property listener removed").isEmpty();
        StandIn.reset(DOMAIN); // what the stand-in recorded for the test's eyes, not state Openfire would keep
        loader.close();
        return new WeakReference<>(loader);
    }

    /**
     * The plugin's classes and the jars it bundles in its lib/ (what Openfire's PluginClassLoader loads): everything
     * else, Openfire's classes and the libraries Openfire ships, comes from the parent.
     */
    private static URL[] pluginClassPath() throws Exception {
        List<URL> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path path = Path.of(entry).toAbsolutePath().normalize();
            String text = path.toString().replace(File.separatorChar, '/');
            boolean ourModule = text.endsWith("/plugin/target/classes") || text.endsWith("/server-engine/target/classes")
                    || text.endsWith("/shared-protocol/target/classes") || text.endsWith("/transport-mina/target/classes");
            String name = path.getFileName().toString();
            boolean bundledJar = name.endsWith(".jar") && !name.endsWith("-tests.jar")
                    && (name.startsWith("server-engine-") || name.startsWith("shared-protocol-")
                    || name.startsWith("transport-mina-") || name.startsWith("mina-core-")
                    || name.startsWith("aalto-xml-") || name.startsWith("stax2-api-"));
            if (ourModule || bundledJar) {
                urls.add(path.toUri().toURL());
            }
        }
        assertThat(urls).as("the plugin's class path").hasSizeGreaterThanOrEqualTo(6);
        return urls.toArray(URL[]::new);
    }

    /** Child-first for what it holds, as Openfire's PluginClassLoader is for the plugin's own jars. */
    private static final class PluginLoader extends URLClassLoader {
        PluginLoader(URL[] urls, ClassLoader parent) {
            super("plugin-under-test", urls, parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            synchronized (getClassLoadingLock(name)) {
                Class<?> loaded = findLoadedClass(name);
                if (loaded == null) {
                    try {
                        loaded = findClass(name);
                    } catch (ClassNotFoundException notOurs) {
                        return super.loadClass(name, resolve);
                    }
                }
                if (resolve) {
                    resolveClass(loaded);
                }
                return loaded;
            }
        }
    }
}
