package org.xmppcm.plugin.core;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** Which tuning values go into the configuration pushed to managers, read from the plugin's properties. */
public final class PushedTuning {
    private PushedTuning() {
    }

    /**
     * @param propertyLookup reads an Openfire property by key, null when unset
     * @return by parameter name: every valid value an administrator set, plus the default of each parameter that is
     *         always pushed
     */
    public static Map<String, Integer> read(Function<String, String> propertyLookup) {
        Map<String, Integer> values = new LinkedHashMap<>();
        for (TuningParameter parameter : TuningParameter.ALL) {
            parameter.parse(propertyLookup.apply(parameter.propertyKey()))
                    .or(() -> parameter.alwaysPushed()
                            ? Optional.of(parameter.defaultValue()) : Optional.empty())
                    .ifPresent(value -> values.put(parameter.name(), value));
        }
        return values;
    }
}
