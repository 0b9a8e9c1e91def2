package org.xmppcm.plugin.admin;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmppcm.engine.ConnectedManager;

/**
 * GET: the connected managers and their links; with {@value #CLIENTS}, also the clients of that manager (filtered by
 * {@value #FILTER}). POST {@value #CLOSE_CLIENT}: closes one client, then redirects back to its manager's list.
 */
public final class ManagersServlet extends HttpServlet {
    static final String CLIENTS = "clients";
    static final String FILTER = "filter";
    static final String STREAM = "stream";
    static final String CLOSED = "closed";
    static final String CLOSE_CLIENT = "close-client";
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ManagersServlet.class);

    private final transient ConsoleBackend backend;
    private final transient Supplier<Messages> messages;
    private final transient Supplier<Instant> clock;
    private final transient TrafficRates rates;

    public ManagersServlet(ConsoleBackend backend, Supplier<Messages> messages, Supplier<Instant> clock) {
        this.backend = backend;
        this.messages = messages;
        this.clock = clock;
        this.rates = new TrafficRates(clock);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        List<ConnectedManager> managers = backend.managers();
        Messages text = messages.get();
        Instant now = clock.get();
        String manager = request.getParameter(CLIENTS);
        StringBuilder clients = null;
        if (manager != null && !manager.isBlank()) {
            String filter = request.getParameter(FILTER);
            ConsoleBackend.Clients found = backend.clients(manager, filter, ClientsSection.MAX_ROWS);
            clients = new StringBuilder();
            new ClientsSection(text).render(clients, manager, filter, found.shown(), found.matching(),
                    request.getParameter(CLOSED), CsrfGuard.tokenFor(request), now);
        }
        String html = new ManagersPage(text).render(backend.listener(), backend.pushedConfiguration(), managers,
                rates.sample(managers), now, clients);
        ConsoleServlets.sendHtml(response, HttpServletResponse.SC_OK, html);
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        request.setCharacterEncoding("UTF-8");
        String manager = request.getParameter(CLIENTS);
        String stream = request.getParameter(STREAM);
        if (!CsrfGuard.accepts(request) || !CLOSE_CLIENT.equals(request.getParameter("action")) || manager == null
                || stream == null) {
            LOG.warn("Refused a request from {} to the managers page without a valid form", request.getRemoteAddr());
            response.sendError(HttpServletResponse.SC_FORBIDDEN);
            return;
        }
        boolean closed = backend.closeClient(manager, stream);
        LOG.info("Client {} of connection manager {} {} from the admin console", stream, manager,
                closed ? "closed" : "was already gone when asked to close");
        response.sendRedirect(ConsoleServlets.MANAGERS_PATH.substring(1) + "?" + CLIENTS + "=" + encode(manager)
                + (closed ? "&" + CLOSED + "=" + encode(stream) : "") + "#clients");
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
