// Test-only stand-in for the Openfire class of the same name (see org.xmppcm.plugin.openfire.standin.StandIn):
// same public signatures as openfire-stub, in-memory behaviour, state kept in StandIn so tests can reset it.
package org.jivesoftware.util;

/** Reads through JiveGlobals on every getValue(); unset, unparsable or out-of-range values give the default. */
public final class SystemProperty<T> {
    private final Builder<T> spec;

    private SystemProperty(Builder<T> spec) {
        this.spec = spec;
    }

    public T getValue() {
        String stored = JiveGlobals.getProperty(spec.key);
        if (stored == null) {
            return spec.defaultValue;
        }
        T value;
        try {
            value = parse(stored.trim());
        } catch (RuntimeException e) {
            return spec.defaultValue;
        }
        if (value == null || outOfRange(value)) {
            return spec.defaultValue;
        }
        return value;
    }

    public String getKey() {
        return spec.key;
    }

    private T parse(String stored) {
        Class<T> type = spec.type;
        Object value;
        if (type == String.class) {
            value = stored;
        } else if (type == Integer.class) {
            value = Integer.valueOf(stored);
        } else if (type == Long.class) {
            value = Long.valueOf(stored);
        } else if (type == Double.class) {
            value = Double.valueOf(stored);
        } else if (type == Boolean.class) {
            value = Boolean.valueOf(stored);
        } else {
            throw new IllegalStateException("stand-in SystemProperty does not support " + type);
        }
        return type.cast(value);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private boolean outOfRange(T value) {
        if (!(value instanceof Comparable comparable)) {
            return false;
        }
        return spec.minValue != null && comparable.compareTo(spec.minValue) < 0
                || spec.maxValue != null && comparable.compareTo(spec.maxValue) > 0;
    }

    public static final class Builder<T> {
        private final Class<T> type;
        private String key;
        private T defaultValue;
        private T minValue;
        private T maxValue;

        private Builder(Class<T> type) {
            this.type = type;
        }

        public static <T> Builder<T> ofType(Class<T> clazz) {
            return new Builder<>(clazz);
        }

        public Builder<T> setKey(String key) {
            this.key = key;
            return this;
        }

        public Builder<T> setDefaultValue(T defaultValue) {
            this.defaultValue = defaultValue;
            return this;
        }

        public Builder<T> setMinValue(T minValue) {
            this.minValue = minValue;
            return this;
        }

        public Builder<T> setMaxValue(T maxValue) {
            this.maxValue = maxValue;
            return this;
        }

        public Builder<T> setDynamic(boolean dynamic) {
            return this;
        }

        public Builder<T> setEncrypted(boolean encrypted) {
            return this;
        }

        public Builder<T> setPlugin(String plugin) {
            return this;
        }

        public SystemProperty<T> build() throws IllegalArgumentException {
            if (key == null || key.isBlank()) {
                throw new IllegalArgumentException("a SystemProperty needs a key");
            }
            return new SystemProperty<>(this);
        }
    }
}
