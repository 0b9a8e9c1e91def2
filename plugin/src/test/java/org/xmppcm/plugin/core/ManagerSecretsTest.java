package org.xmppcm.plugin.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ManagerSecretsTest {
    private final Map<String, String> properties = new HashMap<>();
    private String defaultSecret;
    private final ManagerSecrets secrets = new ManagerSecrets(properties::get, () -> defaultSecret);

    /** Verifies that a manager's own secret wins over the default secret. */
    @Test
    void ownSecretWinsOverTheDefault() {
        // Setup test fixture.
        defaultSecret = "shared";
        properties.put("plugin.connectionmanager.secret.edge1", "own");

        // Execute system under test & verify results.
        assertThat(secrets.secretFor("edge1")).contains("own");
        assertThat(secrets.secretFor("edge2")).contains("shared");
    }

    /** Verifies that with neither secret set a manager may not connect. */
    @Test
    void noSecretMeansNoConnection() {
        assertThat(secrets.secretFor("edge1")).isEmpty();
    }

    /** Verifies that blank values count as unset, so a cleared field never becomes an empty secret. */
    @Test
    void blankSecretsCountAsUnset() {
        // Setup test fixture.
        properties.put("plugin.connectionmanager.secret.edge1", "  ");
        defaultSecret = "";

        // Execute system under test & verify results.
        assertThat(secrets.secretFor("edge1")).isEmpty();

        defaultSecret = "shared";
        assertThat(secrets.secretFor("edge1")).contains("shared");
    }

    /** Verifies that secrets are used as stored, whitespace included: they are hashed, never trimmed. */
    @Test
    void secretsAreNotTrimmed() {
        defaultSecret = " s3cret ";

        assertThat(secrets.secretFor("edge1")).contains(" s3cret ");
    }

    /** Verifies that manager names are looked up case-insensitively, as JID domain parts compare. */
    @Test
    void namesAreCaseInsensitive() {
        properties.put("plugin.connectionmanager.secret.edge-1.example.com", "own");

        assertThat(secrets.secretFor("Edge-1.Example.COM")).contains("own");
        assertThat(ManagerSecrets.propertyKey(" EDGE_1 ")).contains("plugin.connectionmanager.secret.edge_1");
    }

    /**
     * Verifies that a name that could address another property, or is not a plain name, gets no key of its own and
     * falls back to the default secret.
     */
    @Test
    void oddNamesOnlyGetTheDefaultSecret() {
        // Setup test fixture.
        defaultSecret = "shared";
        properties.put("plugin.connectionmanager.secret.", "wrong");
        properties.put("plugin.connectionmanager.secret..defaultSecret", "wrong");

        // Execute system under test & verify results.
        for (String name : new String[] {"", " ", ".defaultSecret", "a b", "a/b", "a=b", "ünicode", "x".repeat(256)}) {
            assertThat(ManagerSecrets.propertyKey(name)).as(name).isEmpty();
            assertThat(secrets.secretFor(name)).as(name).contains("shared");
        }
        assertThat(ManagerSecrets.propertyKey(null)).isEmpty();
        assertThat(secrets.secretFor(null)).contains("shared");
    }

    /** Verifies the longest accepted name (a DNS name's limit) still has its own key. */
    @Test
    void longNamesUpToTheDnsLimitHaveAKey() {
        assertThat(ManagerSecrets.propertyKey("a".repeat(255))).isPresent();
    }
}
