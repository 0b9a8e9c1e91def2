package org.xmppcm.plugin.openfire;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import javax.servlet.GenericServlet;
import javax.servlet.ServletException;
import javax.servlet.ServletOutputStream;
import javax.servlet.WriteListener;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.jivesoftware.util.JiveGlobals;
import org.xmppcm.plugin.admin.ConsoleServlets;
import org.xmppcm.plugin.openfire.standin.StandIn;
import org.xmppcm.plugin.openfire.standin.StandInPluginLoader;

/** A {@link ConnectionManagerPlugin} loaded into the Openfire stand-in on a free port, and ways to look at it. */
final class PluginHarness implements AutoCloseable {
    static final String DOMAIN = "example.test";
    static final String SECRET = "s3cret-for-tests";

    final ConnectionManagerPlugin plugin;
    /** The name and description Openfire resolved from {@code plugin.xml} while loading. */
    final StandInPluginLoader.Loaded<ConnectionManagerPlugin> loaded;
    final int port;
    private boolean destroyed;

    private PluginHarness(int port, StandInPluginLoader.Loaded<ConnectionManagerPlugin> loaded) {
        this.port = port;
        this.loaded = loaded;
        this.plugin = loaded.plugin();
    }

    /** The reactor root, where {@code plugin.xml} lives (set by surefire; the module's parent for IDE runs). */
    static Path rootDirectory() {
        return Path.of(System.getProperty("connectionmanager.rootDirectory", "..")).toAbsolutePath().normalize();
    }

    /** Resets the stand-in, sets port and default secret, and lets {@code beforeLoad} configure Openfire first. */
    static PluginHarness load(Runnable beforeLoad) throws IOException {
        StandIn.reset(DOMAIN);
        int port = freePort();
        JiveGlobals.setProperty(ConnectionManagerProperties.PORT.getKey(), Integer.toString(port));
        JiveGlobals.setProperty(ConnectionManagerProperties.DEFAULT_SECRET.getKey(), SECRET, true);
        // Links in clear: the stand-in has no certificate, and the tests are about the adapter, not TLS.
        JiveGlobals.setProperty(ConnectionManagerProperties.LINK_TLS_POLICY.getKey(), "disabled");
        beforeLoad.run();
        // Through Openfire's load order, with the plugin.xml that ships.
        return new PluginHarness(port, StandInPluginLoader.load(rootDirectory().resolve("plugin.xml"),
                "connectionmanager", new ConnectionManagerPlugin(), new File("target/plugin-dir")));
    }

    static PluginHarness load() throws IOException {
        return load(() -> { });
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static boolean accepts(int port) {
        return accepts("127.0.0.1", port);
    }

    static boolean accepts(String address, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether the port can be bound again (nobody, our listener included, holds it). */
    static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The backend the plugin gave its settings page: the very object the admin console drives. */
    OpenfireConsoleBackend backend() {
        GenericServlet settings = StandIn.servlets().get(ConsoleServlets.SETTINGS_PATH);
        try {
            Field field = settings.getClass().getDeclaredField("backend");
            field.setAccessible(true);
            return (OpenfireConsoleBackend) field.get(settings);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** GETs a registered admin page with a bare-bones request and returns the HTML it wrote. */
    static String get(String path) throws IOException, ServletException {
        if (!StandIn.servlets().containsKey(path)) {
            throw new AssertionError("no servlet registered at " + path + ": " + StandIn.servlets().keySet());
        }
        HttpServletRequest request = (HttpServletRequest) Proxy.newProxyInstance(
                PluginHarness.class.getClassLoader(), new Class<?>[] {HttpServletRequest.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getMethod" -> "GET";
                    case "getProtocol" -> "HTTP/1.1";
                    case "getDateHeader" -> -1L;
                    case "getIntHeader" -> -1;
                    default -> defaultValue(method.getReturnType());
                });
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        ServletOutputStream out = new ServletOutputStream() {
            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setWriteListener(WriteListener listener) {
            }

            @Override
            public void write(int b) {
                body.write(b);
            }
        };
        int[] status = {0};
        HttpServletResponse response = (HttpServletResponse) Proxy.newProxyInstance(
                PluginHarness.class.getClassLoader(), new Class<?>[] {HttpServletResponse.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getOutputStream" -> out;
                    case "setStatus" -> {
                        status[0] = (Integer) args[0];
                        yield null;
                    }
                    default -> defaultValue(method.getReturnType());
                });
        StandIn.dispatch(path, request, response);
        if (status[0] != HttpServletResponse.SC_OK) {
            throw new AssertionError("status " + status[0] + " from " + path);
        }
        return body.toString(StandardCharsets.UTF_8);
    }

    private static Object defaultValue(Class<?> type) {
        if (type == boolean.class) {
            return false;
        }
        if (type == int.class) {
            return 0;
        }
        if (type == long.class) {
            return 0L;
        }
        return null;
    }

    void destroy() {
        if (!destroyed) {
            destroyed = true;
            plugin.destroyPlugin();
        }
    }

    @Override
    public void close() {
        destroy();
    }
}
