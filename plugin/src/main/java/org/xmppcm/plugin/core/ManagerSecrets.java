package org.xmppcm.plugin.core;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Which secret a connection manager must prove in its handshake: its own secret if one is set, otherwise the default
 * secret, otherwise none (the manager may not connect). A blank value counts as unset, so clearing a field in the
 * admin console never turns into an empty, trivially known secret.
 *
 * <p>A manager's own secret lives under {@value #PER_MANAGER_PREFIX}{@code <name>}, the name lower-cased (manager
 * names are JID domain parts, which compare case-insensitively). Only names made of {@code a-z 0-9 . _ -} get their
 * own key; any other name can only use the default secret, so a crafted name can never address another property.
 */
public final class ManagerSecrets {
    public static final String PER_MANAGER_PREFIX = "plugin.connectionmanager.secret.";

    private static final Pattern KEYABLE_NAME = Pattern.compile("[a-z0-9_-][a-z0-9._-]{0,254}");

    private final Function<String, String> propertyLookup;
    private final Supplier<String> defaultSecret;

    /**
     * @param propertyLookup reads a property by key (decrypted), null when unset
     * @param defaultSecret the current default secret, null when unset
     */
    public ManagerSecrets(Function<String, String> propertyLookup, Supplier<String> defaultSecret) {
        this.propertyLookup = Objects.requireNonNull(propertyLookup, "propertyLookup");
        this.defaultSecret = Objects.requireNonNull(defaultSecret, "defaultSecret");
    }

    /** The secret {@code managerName} must prove; empty when it may not connect. */
    public Optional<String> secretFor(String managerName) {
        Optional<String> own = propertyKey(managerName).map(propertyLookup).filter(ManagerSecrets::isSet);
        if (own.isPresent()) {
            return own;
        }
        return Optional.ofNullable(defaultSecret.get()).filter(ManagerSecrets::isSet);
    }

    /** The property that holds {@code managerName}'s own secret; empty when the name cannot have one. */
    public static Optional<String> propertyKey(String managerName) {
        if (managerName == null) {
            return Optional.empty();
        }
        String name = managerName.trim().toLowerCase(Locale.ROOT);
        return KEYABLE_NAME.matcher(name).matches() ? Optional.of(PER_MANAGER_PREFIX + name) : Optional.empty();
    }

    private static boolean isSet(String secret) {
        return secret != null && !secret.isBlank();
    }
}
