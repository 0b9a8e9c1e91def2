package org.xmppcm.plugin.admin;

import java.net.InetSocketAddress;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Locale;
import java.util.function.Supplier;
import javax.servlet.DispatcherType;
import javax.servlet.Filter;
import org.eclipse.jetty.ee8.servlet.FilterHolder;
import org.eclipse.jetty.ee8.servlet.ServletContextHandler;
import org.eclipse.jetty.ee8.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The two admin pages in Jetty (the container Openfire's admin console runs on), at the same paths as in Openfire,
 * with the plugin's real i18n bundles.
 */
final class ConsolePagesServer implements AutoCloseable {
    static final String CONTEXT = "/plugins/connectionmanager";

    private final Server server;

    ConsolePagesServer(ConsoleBackend backend, Locale locale, Supplier<Instant> clock) throws Exception {
        this(backend, locale, clock, null);
    }

    /** @param inFront a filter ahead of the pages, as Openfire's plugin servlet is in the admin console; or null */
    ConsolePagesServer(ConsoleBackend backend, Locale locale, Supplier<Instant> clock, Filter inFront)
            throws Exception {
        Supplier<Messages> messages = () -> Messages.forLocale(locale, bundleLoader());
        server = new Server(new InetSocketAddress("127.0.0.1", 0));
        ServletContextHandler context = new ServletContextHandler(ServletContextHandler.SESSIONS);
        context.setContextPath(CONTEXT);
        context.addServlet(new ServletHolder(new ManagersServlet(backend, messages, clock)), ConsoleServlets.MANAGERS_PATH);
        context.addServlet(new ServletHolder(new SettingsServlet(backend, messages)), ConsoleServlets.SETTINGS_PATH);
        if (inFront != null) {
            context.addFilter(new FilterHolder(inFront), "/*", EnumSet.of(DispatcherType.REQUEST));
        }
        server.setHandler(context);
        server.start();
    }

    /** The plugin's {@code i18n/} directory, which Openfire puts on the plugin's class path. */
    static ClassLoader bundleLoader() {
        Path root = Path.of(System.getProperty("connectionmanager.rootDirectory", "..")).toAbsolutePath().normalize();
        try {
            return new URLClassLoader(new URL[] {root.resolve("i18n").toUri().toURL()}, null);
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }

    String url(String path) {
        int port = ((ServerConnector) server.getConnectors()[0]).getLocalPort();
        return "http://127.0.0.1:" + port + CONTEXT + path;
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
