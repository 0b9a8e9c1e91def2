package org.xmppcm.plugin.admin;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.xmppcm.engine.ConnectedManager;

/** GET: the connected managers and their links. Read-only. */
public final class ManagersServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

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
        String html = new ManagersPage(messages.get()).render(backend.listener(), backend.pushedConfiguration(),
                managers, rates.sample(managers), clock.get());
        ConsoleServlets.sendHtml(response, HttpServletResponse.SC_OK, html);
    }
}
