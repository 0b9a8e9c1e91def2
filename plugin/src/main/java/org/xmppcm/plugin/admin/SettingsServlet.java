package org.xmppcm.plugin.admin;

import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GET: the settings forms. POST: one form's change, validated whole, applied at once, then a redirect back to GET
 * (so a reload never submits twice). A refused change re-renders the form with what was typed and why.
 */
public final class SettingsServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(SettingsServlet.class);
    private static final String SAVED = "saved";
    private static final Set<String> FORMS = Set.of(SettingsForm.LISTENER, SettingsForm.DEFAULT_SECRET,
            SettingsForm.MANAGER_SECRET);

    private final transient ConsoleBackend backend;
    private final transient Supplier<Messages> messages;

    public SettingsServlet(ConsoleBackend backend, Supplier<Messages> messages) {
        this.backend = backend;
        this.messages = messages;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String saved = request.getParameter(SAVED);
        String notice = saved != null && FORMS.contains(saved) ? "connectionmanager.admin.settings.saved." + saved : null;
        render(request, response, HttpServletResponse.SC_OK, null, Map.of(), notice);
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        request.setCharacterEncoding("UTF-8");
        if (!CsrfGuard.accepts(request)) {
            LOG.warn("Refused a settings change from {} without a valid form token", request.getRemoteAddr());
            render(request, response, HttpServletResponse.SC_FORBIDDEN, null,
                    Map.of(CsrfGuard.PARAMETER, "connectionmanager.admin.settings.error.csrf"),
                    null);
            return;
        }
        SettingsForm.Outcome outcome = SettingsForm.read(request::getParameter);
        if (!outcome.valid()) {
            render(request, response, HttpServletResponse.SC_BAD_REQUEST, request::getParameter, outcome.errors(), null);
            return;
        }
        backend.apply(outcome.change());
        LOG.info("Connection manager settings changed in the admin console: {}", describe(outcome.change()));
        response.sendRedirect(ConsoleServlets.SETTINGS_PATH.substring(1) + "?" + SAVED + "="
                + request.getParameter(SettingsForm.ACTION));
    }

    private void render(HttpServletRequest request, HttpServletResponse response, int status,
                        Function<String, String> submitted, Map<String, String> errors,
                        String notice) throws IOException {
        ListenerStatus listener = backend.listener();
        if (notice != null && notice.endsWith(SettingsForm.LISTENER) && !listener.listening()) {
            notice = null; // saved, but the box below says in red why nothing listens: no green "saved" above it
        }
        String html = new SettingsPage(messages.get()).render(backend.settings(), CsrfGuard.tokenFor(request),
                submitted, errors, notice, listener);
        ConsoleServlets.sendHtml(response, status, html);
    }

    /** For the log: what changed, never a secret. */
    private static String describe(SettingsChange change) {
        if (change instanceof SettingsChange.ListenerAndTuning c) {
            return "port " + c.port() + ", tuning " + c.tuning();
        }
        if (change instanceof SettingsChange.DefaultSecret c) {
            return c.secret() == null ? "default secret removed" : "default secret set";
        }
        SettingsChange.ManagerSecret c = (SettingsChange.ManagerSecret) change;
        return (c.secret() == null ? "secret removed for " : "secret set for ") + c.manager();
    }
}
