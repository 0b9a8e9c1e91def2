// Test-only stand-in for the Openfire class of the same name (see org.xmppcm.plugin.openfire.standin.StandIn):
// same public signatures as openfire-stub, in-memory behaviour, state kept in StandIn so tests can reset it.
package org.jivesoftware.openfire.container;

import javax.servlet.GenericServlet;
import javax.servlet.ServletException;
import javax.servlet.http.HttpServlet;
import org.xmppcm.plugin.openfire.standin.StandIn;

public class PluginServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    /**
     * Records the servlet under its relative URL, without {@code init}ing it (as Openfire does); a URL already taken is
     * refused, as a second mapping would be.
     */
    public static String registerServlet(PluginManager pluginManager, Plugin plugin, GenericServlet servlet,
                                         String relativeUrl) throws ServletException {
        if (StandIn.servlets().putIfAbsent(relativeUrl, servlet) != null) {
            throw new ServletException("already registered: " + relativeUrl);
        }
        return relativeUrl;
    }

    /** Forgets the servlet without destroying it, as Openfire does. */
    public static GenericServlet unregisterServlet(Plugin plugin, String url) throws ServletException {
        return StandIn.servlets().remove(url);
    }
}
