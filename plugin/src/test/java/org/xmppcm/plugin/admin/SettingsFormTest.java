package org.xmppcm.plugin.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.xmppcm.protocol.cm.TlsPolicy;

class SettingsFormTest {
    private final Map<String, String> form = new HashMap<>();

    @Test
    void portAndTuningWithinTheirRangesMakeOneChange() {
        form.put("action", "listener");
        form.put("port", " 5263 ");
        form.put("linkTls", "required");
        form.put("linkCompression", "on");
        form.put("tuning.link.grace.seconds", "0");
        form.put("tuning.client.pending.write.max.bytes", "67108864");

        SettingsForm.Outcome outcome = SettingsForm.read(form::get);

        assertThat(outcome.valid()).isTrue();
        SettingsChange.ListenerAndTuning change = (SettingsChange.ListenerAndTuning) outcome.change();
        assertThat(change.port()).isEqualTo(5263);
        assertThat(change.linkTls()).isEqualTo(TlsPolicy.REQUIRED);
        assertThat(change.linkCompression()).isTrue();
        assertThat(change.tuning()).containsEntry("link.grace.seconds", Optional.of(0))
                .containsEntry("client.pending.write.max.bytes", Optional.of(64 * 1024 * 1024))
                .containsEntry("client.max", Optional.empty())
                .hasSize(7);
    }

    @Test
    void everyFieldOutOfRangeIsNamedAndNothingIsChanged() {
        form.put("action", "listener");
        form.put("port", "0");
        form.put("tuning.client.keepalive.seconds", "4");
        form.put("tuning.client.idle.timeout.seconds", "86401");
        form.put("tuning.client.max", "1e6");
        form.put("linkTls", "mandatory");

        SettingsForm.Outcome outcome = SettingsForm.read(form::get);

        assertThat(outcome.change()).isNull();
        assertThat(outcome.errors()).containsOnlyKeys("port", "linkTls", "tuning.client.keepalive.seconds",
                "tuning.client.idle.timeout.seconds", "tuning.client.max");
    }

    @Test
    void aSecretMustNotBeBlankUnlessItIsRemoved() {
        form.put("action", "defaultSecret");
        form.put("secret", "   ");
        assertThat(SettingsForm.read(form::get).errors()).containsOnlyKeys("secret");

        form.put("remove", "Remove");
        assertThat(SettingsForm.read(form::get).change()).isEqualTo(new SettingsChange.DefaultSecret(null));
    }

    @Test
    void aManagerSecretIsKeyedByTheLowerCasedNameAndOnlyForNamesThatCanHaveOne() {
        form.put("action", "managerSecret");
        form.put("manager", "CM-East.example");
        form.put("secret", "x1");
        assertThat(SettingsForm.read(form::get).change())
                .isEqualTo(new SettingsChange.ManagerSecret("cm-east.example", "x1"));

        form.put("manager", "../../xmpp.domain");
        assertThat(SettingsForm.read(form::get).errors()).containsOnlyKeys("manager");
    }

    @Test
    void anUnknownOrMissingFormIsRefused() {
        assertThat(SettingsForm.read(form::get).valid()).isFalse();
        form.put("action", "dropTables");
        assertThat(SettingsForm.read(form::get).errors()).containsOnlyKeys("action");
    }
}
