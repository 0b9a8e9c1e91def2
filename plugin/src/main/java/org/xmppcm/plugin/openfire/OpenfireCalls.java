package org.xmppcm.plugin.openfire;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandleProxies;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.UndeclaredThrowableException;
import java.security.PrivilegedAction;
import javax.security.auth.Subject;
import org.dom4j.Element;
import org.jivesoftware.openfire.Connection;
import org.jivesoftware.openfire.OfflineMessageStrategy;
import org.jivesoftware.openfire.SessionManager;
import org.jivesoftware.openfire.SessionPacketRouter;
import org.jivesoftware.openfire.StreamID;
import org.jivesoftware.openfire.XMPPServer;
import org.jivesoftware.openfire.multiplex.UnknownStanzaException;
import org.jivesoftware.openfire.session.LocalClientSession;
import org.xmpp.packet.Message;
import org.xmpp.packet.StreamError;

/**
 * Calls into Openfire from the plugin's own threads so that a thread Openfire starts meanwhile keeps nothing of the
 * plugin, and the plugin's class loader can be collected once it is unloaded.
 *
 * <p>Openfire starts some long-lived threads lazily, from whatever thread first needs them: the PEP executor's two
 * threads on the first available presence, the resource-binding conflict pool on a bind. On Java 17 a new thread
 * copies its creator's context class loader and an {@code AccessControlContext} holding the protection domain of every
 * class on the creating stack, plus the creator's own inherited one. Called plainly from a plugin thread, such a thread
 * holds the plugin's loader for the life of the server (seen in Openfire 5.1.1: "pep-worker-1" held the first loaded
 * plugin forever). So:
 * <ul>
 *   <li>the plugin's threads run with Openfire's loader as context class loader ({@link #OPENFIRE_LOADER}), and</li>
 *   <li>these calls run as a privileged action with no context of its own, whose only frames are the JDK's and
 *       Openfire's: the action is a JDK proxy of a method handle bound directly to the Openfire method, so neither a
 *       frame nor the inherited context of the plugin's thread is captured.</li>
 * </ul>
 */
final class OpenfireCalls {
    /** The loader Openfire's own classes and threads use. */
    static final ClassLoader OPENFIRE_LOADER = XMPPServer.class.getClassLoader();

    private static final MethodHandle ROUTE = virtual(SessionPacketRouter.class, "route",
            MethodType.methodType(void.class, Element.class));
    private static final MethodHandle CREATE_SESSION = virtual(SessionManager.class, "createClientSession",
            MethodType.methodType(LocalClientSession.class, Connection.class, StreamID.class));
    private static final MethodHandle STORE_OFFLINE = virtual(OfflineMessageStrategy.class, "storeOffline",
            MethodType.methodType(void.class, Message.class));
    private static final MethodHandle ROUTE_IQ = virtual(org.jivesoftware.openfire.IQRouter.class, "route",
            MethodType.methodType(void.class, org.xmpp.packet.IQ.class));
    private static final MethodHandle CLOSE = virtual(Connection.class, "close",
            MethodType.methodType(void.class, StreamError.class));

    private OpenfireCalls() {
    }

    static void route(SessionPacketRouter router, Element stanza) throws UnknownStanzaException {
        try {
            call(MethodHandles.insertArguments(ROUTE, 0, router, stanza));
        } catch (UnknownStanzaException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    static LocalClientSession createClientSession(Connection connection, StreamID id) {
        return (LocalClientSession) unchecked(MethodHandles.insertArguments(CREATE_SESSION, 0,
                SessionManager.getInstance(), connection, id));
    }

    static void storeOffline(Message message) {
        unchecked(MethodHandles.insertArguments(STORE_OFFLINE, 0,
                XMPPServer.getInstance().getOfflineMessageStrategy(), message));
    }

    /** Routes an IQ (an error answer to a local sender) through Openfire's IQ router. */
    static void routeIq(org.xmpp.packet.IQ iq) {
        unchecked(MethodHandles.insertArguments(ROUTE_IQ, 0, XMPPServer.getInstance().getIQRouter(), iq));
    }

    /** Closes {@code connection} in Openfire (session removal, unavailable presence to contacts). */
    static void close(Connection connection, StreamError error) {
        unchecked(MethodHandles.insertArguments(CLOSE, 0, connection, error));
    }

    private static Object unchecked(MethodHandle boundCall) {
        try {
            return call(boundCall);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings({"removal", "unchecked"})
    private static Object call(MethodHandle boundCall) throws Throwable {
        PrivilegedAction<Object> action = MethodHandleProxies.asInterfaceInstance(PrivilegedAction.class,
                boundCall.asType(MethodType.methodType(Object.class)));
        try {
            return Subject.doAsPrivileged(null, action, null);
        } catch (UndeclaredThrowableException e) {
            throw e.getCause(); // a checked exception of the Openfire method, through the proxy
        }
    }

    private static MethodHandle virtual(Class<?> owner, String name, MethodType type) {
        try {
            return MethodHandles.publicLookup().findVirtual(owner, name, type);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
