package org.xmppcm.plugin.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.xmppcm.cm.limits.ClientLimitTuning;
import org.xmppcm.cm.limits.ClientLimits;
import org.xmppcm.cm.limits.LiveGracePeriod;
import org.xmppcm.cm.limits.LiveLimits;
import org.xmppcm.cm.link.LinkSettings;
import org.xmppcm.plugin.core.ClientConfigurations;
import org.xmppcm.plugin.core.ClientSettings;
import org.xmppcm.plugin.core.PropertyKeys;
import org.xmppcm.plugin.core.PushedTuning;
import org.xmppcm.protocol.cm.ClientConfiguration;
import org.xmppcm.protocol.cm.CmElements;
import org.xmppcm.protocol.cm.Namespaces;
import org.xmppcm.protocol.cm.TlsPolicy;
import org.xmppcm.protocol.cm.TuningParameter;
import org.xmppcm.protocol.cm.XmlDom;

/**
 * Verifies that both ends accept the same tuning: each parameter's smallest and largest value go from the plugin's
 * settings form through its stored properties and the configuration IQ it pushes into the CM, which puts them into
 * effect; one step beyond either end is refused by the form, and by the CM when a server pushes it anyway.
 */
class TuningRangesAgreeTest {
    @Test
    void theFormsSmallestAndLargestValuesArePushedAndTakenByTheCm() throws Exception {
        for (TuningParameter parameter : TuningParameter.values()) {
            for (int value : List.of(parameter.min(), parameter.max())) {
                String what = parameter.wireName() + "=" + value;
                SettingsForm.Outcome submitted = submit(parameter, Integer.toString(value));
                assertThat(submitted.errors()).as("form, %s", what).isEmpty();
                Optional<Integer> accepted =
                        ((SettingsChange.ListenerAndTuning) submitted.change()).tuning().get(parameter.wireName());
                assertThat(accepted).as("form, %s", what).contains(value);

                // Stored as the console backend stores it, then read back for the push.
                Map<String, String> properties = Map.of(PropertyKeys.tuning(parameter), Integer.toString(accepted.get()));
                ClientConfiguration pushed = ClientConfigurations.from(new ClientSettings("optional", "disabled",
                        List.of("PLAIN"), false, false, PushedTuning.read(properties::get)));

                assertThat(inEffectAtTheCm(parameter, throughTheWire(pushed))).as("CM, %s", what).isEqualTo(value);
            }
        }
    }

    @Test
    void oneStepOutOfRangeIsRefusedByTheFormAndByTheCmWhichKeepsItsOwn() throws Exception {
        for (TuningParameter parameter : TuningParameter.values()) {
            for (long value : List.of(parameter.min() - 1L, parameter.max() + 1L)) {
                String what = parameter.wireName() + "=" + value;
                assertThat(submit(parameter, Long.toString(value)).errors()).as("form, %s", what)
                        .containsOnlyKeys(SettingsForm.field(parameter));

                ClientConfiguration pushedAnyway = new ClientConfiguration(TlsPolicy.OPTIONAL, List.of("PLAIN"),
                        List.of(), false, false, Map.of(parameter.wireName(), Long.toString(value)));
                assertThat(inEffectAtTheCm(parameter, throughTheWire(pushedAnyway))).as("CM, %s", what)
                        .isEqualTo(parameter.defaultValue());
            }
        }
    }

    private static SettingsForm.Outcome submit(TuningParameter parameter, String value) {
        Map<String, String> form = new HashMap<>(Map.of(SettingsForm.ACTION, SettingsForm.LISTENER,
                SettingsForm.PORT, "5262", SettingsForm.LINK_TLS, "optional"));
        form.put(SettingsForm.field(parameter), value);
        return SettingsForm.read(form::get);
    }

    /** What a CM reads from the configuration IQ the server sends. */
    private static Map<String, String> throughTheWire(ClientConfiguration configuration) throws Exception {
        String iq = CmElements.configurationIq("push1", configuration);
        return CmElements.parseConfigurationIq(XmlDom.parse(iq, Namespaces.CONNECTION_MANAGER)).tuning();
    }

    /** The value a CM with the default settings has in effect after that push, in the parameter's unit. */
    private static long inEffectAtTheCm(TuningParameter parameter, Map<String, String> tuning) {
        if (parameter == TuningParameter.GRACE_SECONDS) {
            return new LiveGracePeriod(LinkSettings.DEFAULT_GRACE).apply(tuning).toSeconds();
        }
        // A parameter the CM does not bind to one of its limits fails here, naming it.
        return ClientLimitTuning.read(new LiveLimits(ClientLimits.DEFAULTS).apply(tuning), parameter);
    }
}
