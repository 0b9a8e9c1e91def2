package org.xmppcm.plugin.openfire;

import java.util.Collections;
import java.util.Enumeration;
import javax.servlet.ServletConfig;
import javax.servlet.ServletContext;

/**
 * The configuration our admin servlets are {@code init}ed with before registration. Openfire's
 * {@code PluginServlet.registerServlet} does not initialize a servlet, yet its {@code service} calls
 * {@code getServletName()} on every request, which a {@code GenericServlet} without a configuration answers with
 * {@code IllegalStateException} (HTTP 500 in Openfire 5.1.1). The pages need nothing of the servlet context, and
 * Openfire does not hand its own to plugins, so there is none.
 */
final class NamedServletConfig implements ServletConfig {
    private final String name;

    NamedServletConfig(String name) {
        this.name = name;
    }

    @Override
    public String getServletName() {
        return name;
    }

    @Override
    public ServletContext getServletContext() {
        return null;
    }

    @Override
    public String getInitParameter(String parameter) {
        return null;
    }

    @Override
    public Enumeration<String> getInitParameterNames() {
        return Collections.emptyEnumeration();
    }
}
