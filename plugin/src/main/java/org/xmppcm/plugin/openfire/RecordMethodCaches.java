package org.xmppcm.plugin.openfire;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.runtime.ObjectMethods;

/**
 * Lets go of the last of the plugin's record classes that Java 17 keeps after the plugin is unloaded. The first call of
 * a record's generated {@code equals}, {@code hashCode} or {@code toString} bootstraps it through
 * {@link ObjectMethods}, whose static method handles remember the last type they were adapted to in a one-slot strong
 * cache (JDK-8078641, fixed in Java 18): so the latest record class of ours, and with it our class loader, stay
 * reachable from a JDK static for as long as no other record's method is bootstrapped. Bootstrapping the three methods
 * once more for a JDK class, {@link String}, puts JDK types in those slots.
 */
final class RecordMethodCaches {
    private RecordMethodCaches() {
    }

    static void release() {
        MethodHandle self = MethodHandles.identity(String.class);
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        try {
            ObjectMethods.bootstrap(lookup, "equals", MethodType.methodType(boolean.class, String.class, Object.class),
                    String.class, "s", self);
            ObjectMethods.bootstrap(lookup, "hashCode", MethodType.methodType(int.class, String.class), String.class,
                    "s", self);
            ObjectMethods.bootstrap(lookup, "toString", MethodType.methodType(String.class, String.class), String.class,
                    "s", self);
        } catch (Throwable e) {
            // Best effort on a JVM whose bootstrap differs: the worst outcome is the leak this works around.
        }
    }
}
