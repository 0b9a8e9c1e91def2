package org.jivesoftware.openfire.container;

import javax.servlet.GenericServlet;
import javax.servlet.ServletException;
import javax.servlet.http.HttpServlet;

/**
 * Compile-only mirror of Openfire 5.1.1's {@code PluginServlet}, which serves {@code /plugins/<name>/...} in the admin
 * console (behind its login filter). Only the two static calls that bind a live servlet to a plugin's URL are
 * mirrored.
 */
public class PluginServlet extends HttpServlet {

    public static String registerServlet(PluginManager pluginManager, Plugin plugin, GenericServlet servlet,
                                         String relativeUrl) throws ServletException {
        throw new UnsupportedOperationException("compile-only stub");
    }

    public static GenericServlet unregisterServlet(Plugin plugin, String url) throws ServletException {
        throw new UnsupportedOperationException("compile-only stub");
    }
}
