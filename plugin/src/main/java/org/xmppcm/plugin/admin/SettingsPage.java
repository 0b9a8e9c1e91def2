package org.xmppcm.plugin.admin;

import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.xmppcm.protocol.cm.TlsPolicy;
import org.xmppcm.protocol.cm.TuningParameter;

/**
 * Renders the "Connection Manager Settings" page: listener port and tuning, the default secret, and secrets per
 * manager. Each group is a form of its own with the CSRF token; secrets are write-only and never written into the page.
 */
final class SettingsPage {
    static final String PAGE_ID = "connectionmanager-settings";

    private final Messages messages;

    SettingsPage(Messages messages) {
        this.messages = messages;
    }

    /**
     * @param submitted what the administrator submitted when it was refused (so the fields keep it), else null
     * @param errors by field name, the message key of what is wrong with it
     * @param notice the message key of a notice to show on top (a saved change), or null
     * @param listener the listener's state now, shown on top: a saved port that cannot be listened on is no success
     */
    String render(ConsoleSettings settings, String csrfToken, Function<String, String> submitted,
                  Map<String, String> errors, String notice, ListenerStatus listener) {
        StringBuilder html = new StringBuilder(6144);
        html.append("<!DOCTYPE html>\n<html><head><title>").append(t("connectionmanager.admin.settings.title"))
                .append("</title><meta name=\"pageID\" content=\"").append(PAGE_ID).append("\"/></head><body>\n");
        html.append("<p>").append(t("connectionmanager.admin.settings.intro")).append("</p>\n");
        if (notice != null) {
            html.append("<div class=\"success\" id=\"notice\">").append(t(notice)).append("</div>\n");
        }
        ListenerStatusBox.render(html, messages, listener);
        if (!errors.isEmpty()) {
            // A refused form token is about the whole form, not a field.
            String summary = errors.getOrDefault(CsrfGuard.PARAMETER, "connectionmanager.admin.settings.error.summary");
            html.append("<div class=\"error\" id=\"errors\">").append(t(summary)).append("</div>\n");
        }
        Function<String, String> shown = submitted != null ? submitted : field -> null;
        listenerForm(html, settings, csrfToken, shown, errors);
        String submittedForm = shown.apply(SettingsForm.ACTION);
        defaultSecretForm(html, settings, csrfToken,
                SettingsForm.DEFAULT_SECRET.equals(submittedForm) ? errors : Map.of());
        managerSecretForm(html, settings, csrfToken,
                SettingsForm.MANAGER_SECRET.equals(submittedForm) ? errors : Map.of());
        html.append("</body></html>\n");
        return html.toString();
    }

    private void listenerForm(StringBuilder html, ConsoleSettings settings, String csrf, Function<String, String> shown,
                              Map<String, String> errors) {
        openForm(html, "listener-form", SettingsForm.LISTENER, csrf, "connectionmanager.admin.settings.listener.title");
        html.append("<table>\n");
        String port = shown.apply(SettingsForm.PORT);
        numberRow(html, SettingsForm.PORT, "connectionmanager.admin.settings.port",
                port != null ? port : Integer.toString(settings.port()), null, errors);
        linkTlsRow(html, settings, shown, errors);
        // A refused listener form shows the box as it was submitted (an unticked box sends nothing).
        boolean resubmitted = SettingsForm.LISTENER.equals(shown.apply(SettingsForm.ACTION));
        boolean compressionChecked = resubmitted ? shown.apply(SettingsForm.LINK_COMPRESSION) != null
                : settings.linkCompression();
        html.append("<tr><td><label for=\"linkCompression\">").append(t("connectionmanager.admin.settings.linkcompression"))
                .append("</label></td><td><input type=\"checkbox\" id=\"linkCompression\" name=\"")
                .append(SettingsForm.LINK_COMPRESSION).append("\" value=\"on\"").append(compressionChecked ? " checked" : "")
                .append("/></td></tr>\n");
        html.append("</table>\n<p>").append(t("connectionmanager.admin.settings.tuning.intro")).append("</p>\n<table>\n");
        for (TuningParameter parameter : TuningParameter.values()) {
            String field = SettingsForm.field(parameter);
            String value = shown.apply(field);
            if (value == null) {
                value = settings.tuning(parameter.wireName()).map(String::valueOf).orElse("");
            }
            String hint = messages.get("connectionmanager.admin.settings.tuning.hint",
                    Integer.toString(parameter.min()), Integer.toString(parameter.max()),
                    Integer.toString(parameter.defaultValue()));
            numberRow(html, field, labelKey(parameter), value, hint, errors);
        }
        html.append("</table>\n");
        submit(html, "save-listener", "connectionmanager.admin.settings.save");
        html.append("</form></div>\n");
    }

    /** Each parameter's label is keyed by its wire name, in every bundle. */
    static String labelKey(TuningParameter parameter) {
        return "connectionmanager.admin.tuning." + parameter.wireName();
    }

    private void linkTlsRow(StringBuilder html, ConsoleSettings settings, Function<String, String> shown,
                            Map<String, String> errors) {
        String selected = shown.apply(SettingsForm.LINK_TLS);
        if (selected == null) {
            selected = settings.linkTls().name().toLowerCase(Locale.ROOT);
        }
        html.append("<tr><td><label for=\"linkTls\">").append(t("connectionmanager.admin.settings.linktls"))
                .append("</label></td><td><select id=\"linkTls\" name=\"").append(SettingsForm.LINK_TLS).append("\">");
        for (TlsPolicy policy : TlsPolicy.values()) {
            String name = policy.name().toLowerCase(Locale.ROOT);
            html.append("<option value=\"").append(name).append('"').append(name.equals(selected) ? " selected" : "")
                    .append('>').append(t("connectionmanager.admin.settings.linktls." + name)).append("</option>");
        }
        html.append("</select>");
        String error = errors.get(SettingsForm.LINK_TLS);
        if (error != null) {
            html.append(" <span class=\"jive-error-text\" id=\"linkTls-error\">").append(t(error)).append("</span>");
        }
        html.append("</td></tr>\n");
    }

    private void defaultSecretForm(StringBuilder html, ConsoleSettings settings, String csrf,
                                   Map<String, String> errors) {
        openForm(html, "default-secret-form", SettingsForm.DEFAULT_SECRET, csrf,
                "connectionmanager.admin.settings.default.title");
        html.append("<p id=\"default-secret-state\">").append(t(settings.defaultSecretSet()
                ? "connectionmanager.admin.settings.default.set" : "connectionmanager.admin.settings.default.unset"))
                .append("</p>\n");
        html.append("<label for=\"default-secret\">").append(t("connectionmanager.admin.settings.secret.new"))
                .append("</label> <input type=\"password\" id=\"default-secret\" name=\"").append(SettingsForm.SECRET)
                .append("\" autocomplete=\"new-password\"/>\n");
        error(html, errors, SettingsForm.SECRET, SettingsForm.DEFAULT_SECRET);
        submit(html, "save-default-secret", "connectionmanager.admin.settings.save");
        if (settings.defaultSecretSet()) {
            html.append(" <input type=\"submit\" id=\"remove-default-secret\" name=\"").append(SettingsForm.REMOVE)
                    .append("\" value=\"").append(t("connectionmanager.admin.settings.remove")).append("\"/>");
        }
        html.append("</form></div>\n");
    }

    private void managerSecretForm(StringBuilder html, ConsoleSettings settings, String csrf,
                                   Map<String, String> errors) {
        openForm(html, "manager-secret-form", SettingsForm.MANAGER_SECRET, csrf,
                "connectionmanager.admin.settings.managers.title");
        html.append("<p>").append(t("connectionmanager.admin.settings.managers.intro")).append("</p>\n");
        html.append("<label for=\"manager-name\">").append(t("connectionmanager.admin.settings.managers.name"))
                .append("</label> <input type=\"text\" id=\"manager-name\" name=\"").append(SettingsForm.MANAGER)
                .append("\" maxlength=\"255\"/>\n");
        error(html, errors, SettingsForm.MANAGER, SettingsForm.MANAGER_SECRET);
        html.append("<label for=\"manager-secret\">").append(t("connectionmanager.admin.settings.secret.new"))
                .append("</label> <input type=\"password\" id=\"manager-secret\" name=\"").append(SettingsForm.SECRET)
                .append("\" autocomplete=\"new-password\"/>\n");
        error(html, errors, SettingsForm.SECRET, SettingsForm.MANAGER_SECRET);
        submit(html, "save-manager-secret", "connectionmanager.admin.settings.save");
        html.append("</form>\n");
        if (settings.managersWithOwnSecret().isEmpty()) {
            html.append("<p id=\"no-manager-secrets\">").append(t("connectionmanager.admin.settings.managers.none"))
                    .append("</p>\n");
        } else {
            html.append("<div class=\"jive-table\"><table id=\"manager-secrets\"><thead><tr><th>")
                    .append(t("connectionmanager.admin.settings.managers.name")).append("</th><th></th></tr></thead><tbody>\n");
            for (String manager : settings.managersWithOwnSecret()) {
                html.append("<tr data-manager=\"").append(Html.text(manager)).append("\"><td>").append(Html.text(manager))
                        .append("</td><td><form method=\"post\" action=\"").append(ConsoleServlets.SETTINGS_PATH.substring(1))
                        .append("\">");
                hidden(html, CsrfGuard.PARAMETER, csrf);
                hidden(html, SettingsForm.ACTION, SettingsForm.MANAGER_SECRET);
                hidden(html, SettingsForm.MANAGER, manager);
                html.append("<input type=\"submit\" name=\"").append(SettingsForm.REMOVE).append("\" value=\"")
                        .append(t("connectionmanager.admin.settings.remove")).append("\"/></form></td></tr>\n");
            }
            html.append("</tbody></table></div>\n");
        }
        html.append("</div>\n");
    }

    private void openForm(StringBuilder html, String id, String action, String csrf, String titleKey) {
        html.append("<div class=\"jive-contentBoxHeader\">").append(t(titleKey)).append("</div>\n")
                .append("<div class=\"jive-contentBox\"><form id=\"").append(id).append("\" method=\"post\" action=\"")
                .append(ConsoleServlets.SETTINGS_PATH.substring(1)).append("\">\n");
        hidden(html, CsrfGuard.PARAMETER, csrf);
        hidden(html, SettingsForm.ACTION, action);
    }

    private void numberRow(StringBuilder html, String field, String labelKey, String value, String hint,
                           Map<String, String> errors) {
        String id = field.replace('.', '-');
        html.append("<tr><td><label for=\"").append(id).append("\">").append(t(labelKey)).append("</label></td>")
                .append("<td><input type=\"text\" inputmode=\"numeric\" size=\"10\" id=\"").append(id)
                .append("\" name=\"").append(Html.text(field)).append("\" value=\"").append(Html.text(value)).append("\"/>");
        if (hint != null) {
            html.append(" <span class=\"jive-description\">").append(Html.text(hint)).append("</span>");
        }
        String error = errors.get(field);
        if (error != null) {
            html.append(" <span class=\"jive-error-text\" id=\"").append(id).append("-error\">").append(t(error))
                    .append("</span>");
        }
        html.append("</td></tr>\n");
    }

    /** The error of {@code field}, if any, under its form ({@code errors} only holds those of the submitted form). */
    private void error(StringBuilder html, Map<String, String> errors, String field, String form) {
        if (!errors.containsKey(field)) {
            return;
        }
        html.append(" <span class=\"jive-error-text\" id=\"").append(form).append('-').append(field).append("-error\">")
                .append(t(errors.get(field))).append("</span>\n");
    }

    private void submit(StringBuilder html, String id, String labelKey) {
        html.append("<input type=\"submit\" id=\"").append(id).append("\" value=\"").append(t(labelKey)).append("\"/>");
    }

    private static void hidden(StringBuilder html, String name, String value) {
        html.append("<input type=\"hidden\" name=\"").append(Html.text(name)).append("\" value=\"")
                .append(Html.text(value)).append("\"/>\n");
    }

    private String t(String key, Object... args) {
        return Html.text(messages.get(key, args));
    }
}
