package org.jivesoftware.util;

/**
 * Compile-only mirror of Openfire's typed property ({@code public final class SystemProperty<T>}) and its
 * {@code Builder}, narrowed to the members the plugin calls.
 */
public final class SystemProperty<T> {

    private SystemProperty() {
        throw new UnsupportedOperationException("compile-only stub");
    }

    public T getValue() {
        throw new UnsupportedOperationException("compile-only stub");
    }

    public String getKey() {
        throw new UnsupportedOperationException("compile-only stub");
    }

    public static final class Builder<T> {

        private Builder() {
            throw new UnsupportedOperationException("compile-only stub");
        }

        public static <T> Builder<T> ofType(Class<T> clazz) {
            throw new UnsupportedOperationException("compile-only stub");
        }

        public Builder<T> setKey(String key) {
            throw new UnsupportedOperationException("compile-only stub");
        }

        public Builder<T> setDefaultValue(T defaultValue) {
            throw new UnsupportedOperationException("compile-only stub");
        }

        public Builder<T> setMinValue(T minValue) {
            throw new UnsupportedOperationException("compile-only stub");
        }

        public Builder<T> setMaxValue(T maxValue) {
            throw new UnsupportedOperationException("compile-only stub");
        }

        public Builder<T> setDynamic(boolean dynamic) {
            throw new UnsupportedOperationException("compile-only stub");
        }

        public Builder<T> setEncrypted(boolean encrypted) {
            throw new UnsupportedOperationException("compile-only stub");
        }

        public Builder<T> setPlugin(String plugin) {
            throw new UnsupportedOperationException("compile-only stub");
        }

        public SystemProperty<T> build() throws IllegalArgumentException {
            throw new UnsupportedOperationException("compile-only stub");
        }
    }
}
