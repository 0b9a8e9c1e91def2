package org.xmppcm.plugin.core;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.xmppcm.protocol.cm.TuningParameter;

/** Which tuning values go into the configuration pushed to managers, read from the plugin's properties. */
public final class PushedTuning {
    private PushedTuning() {
    }

    /**
     * @param propertyLookup reads an Openfire property by key, null when unset
     * @return by parameter name: every valid value an administrator set, plus the default of each parameter that is
     *         always pushed. A value out of range or not a number (edited into the database by hand) is not pushed:
     *         the managers would refuse it.
     */
    public static Map<String, Integer> read(Function<String, String> propertyLookup) {
        Map<String, Integer> values = new LinkedHashMap<>();
        for (TuningParameter parameter : TuningParameter.values()) {
            parameter.parse(propertyLookup.apply(PropertyKeys.tuning(parameter)))
                    .or(() -> parameter.alwaysPushed()
                            ? Optional.of(parameter.defaultValue()) : Optional.empty())
                    .ifPresent(value -> values.put(parameter.wireName(), value));
        }
        return values;
    }
}
