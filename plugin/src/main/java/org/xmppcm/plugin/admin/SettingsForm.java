package org.xmppcm.plugin.admin;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.xmppcm.plugin.core.ManagerSecrets;
import org.xmppcm.protocol.cm.TlsPolicy;
import org.xmppcm.protocol.cm.TuningParameter;

/**
 * Turns a submitted settings form into a {@link SettingsChange}, or into the reasons it cannot be one. Nothing is
 * applied unless every field of the form is valid.
 */
final class SettingsForm {
    static final String ACTION = "action";
    static final String LISTENER = "listener";
    static final String DEFAULT_SECRET = "defaultSecret";
    static final String MANAGER_SECRET = "managerSecret";

    static final String PORT = "port";
    static final String LINK_TLS = "linkTls";
    static final String LINK_COMPRESSION = "linkCompression";
    static final String SECRET = "secret";
    static final String REMOVE = "remove";
    static final String MANAGER = "manager";
    static final String TUNING_PREFIX = "tuning.";

    /** Either the change or, by field name, the message key of what is wrong with that field. */
    record Outcome(SettingsChange change, Map<String, String> errors) {
        boolean valid() {
            return errors.isEmpty();
        }
    }

    private SettingsForm() {
    }

    /** @param parameters the request's parameters, null when absent */
    static Outcome read(Function<String, String> parameters) {
        String action = parameters.apply(ACTION);
        if (action == null) {
            return invalid(ACTION, "connectionmanager.admin.settings.error.action");
        }
        return switch (action) {
            case LISTENER -> listenerAndTuning(parameters);
            case DEFAULT_SECRET -> defaultSecret(parameters);
            case MANAGER_SECRET -> managerSecret(parameters);
            default -> invalid(ACTION, "connectionmanager.admin.settings.error.action");
        };
    }

    private static Outcome listenerAndTuning(Function<String, String> parameters) {
        Map<String, String> errors = new LinkedHashMap<>();
        Optional<Integer> port = TuningParameter.wholeNumber(parameters.apply(PORT), 1, 65535);
        if (port.isEmpty()) {
            errors.put(PORT, "connectionmanager.admin.settings.error.port");
        }
        TlsPolicy linkTls = linkTls(parameters.apply(LINK_TLS));
        if (linkTls == null) {
            errors.put(LINK_TLS, "connectionmanager.admin.settings.error.linktls");
        }
        boolean linkCompression = parameters.apply(LINK_COMPRESSION) != null;
        Map<String, Optional<Integer>> tuning = new LinkedHashMap<>();
        for (TuningParameter parameter : TuningParameter.values()) {
            String field = field(parameter);
            String given = parameters.apply(field);
            if (given == null || given.isBlank()) {
                tuning.put(parameter.wireName(), Optional.empty());
                continue;
            }
            // The managers read a pushed value with the same parser: what passes here, they take.
            Optional<Integer> value = parameter.parse(given);
            if (value.isEmpty()) {
                errors.put(field, "connectionmanager.admin.settings.error.range");
            }
            tuning.put(parameter.wireName(), value);
        }
        return errors.isEmpty()
                ? new Outcome(new SettingsChange.ListenerAndTuning(port.orElseThrow(), linkTls, linkCompression, tuning),
                        Map.of())
                : new Outcome(null, errors);
    }

    /** The form field of a tuning parameter. */
    static String field(TuningParameter parameter) {
        return TUNING_PREFIX + parameter.wireName();
    }

    private static Outcome defaultSecret(Function<String, String> parameters) {
        if (parameters.apply(REMOVE) != null) {
            return new Outcome(new SettingsChange.DefaultSecret(null), Map.of());
        }
        String secret = parameters.apply(SECRET);
        if (secret == null || secret.isBlank()) {
            return invalid(SECRET, "connectionmanager.admin.settings.error.secret");
        }
        return new Outcome(new SettingsChange.DefaultSecret(secret), Map.of());
    }

    private static Outcome managerSecret(Function<String, String> parameters) {
        String name = parameters.apply(MANAGER);
        if (name == null || ManagerSecrets.propertyKey(name).isEmpty()) {
            return invalid(MANAGER, "connectionmanager.admin.settings.error.manager");
        }
        String manager = name.trim().toLowerCase(Locale.ROOT);
        if (parameters.apply(REMOVE) != null) {
            return new Outcome(new SettingsChange.ManagerSecret(manager, null), Map.of());
        }
        String secret = parameters.apply(SECRET);
        if (secret == null || secret.isBlank()) {
            return invalid(SECRET, "connectionmanager.admin.settings.error.secret");
        }
        return new Outcome(new SettingsChange.ManagerSecret(manager, secret), Map.of());
    }

    /** One of the three policies by name, exactly as the form's options send it; null for anything else. */
    private static TlsPolicy linkTls(String name) {
        for (TlsPolicy policy : TlsPolicy.values()) {
            if (policy.name().toLowerCase(Locale.ROOT).equals(name)) {
                return policy;
            }
        }
        return null;
    }

    private static Outcome invalid(String field, String messageKey) {
        return new Outcome(null, Map.of(field, messageKey));
    }
}
