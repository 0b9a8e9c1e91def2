package org.xmppcm.cm.limits;

import java.time.Duration;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import org.xmppcm.protocol.cm.TuningParameter;

/**
 * Which of the {@link ClientLimits} each client tuning parameter sets. The CM's settings file and the server's push
 * name them alike ({@link TuningParameter#wireName}) and read them alike ({@link TuningParameter#require}), so both
 * go through here: the file over the defaults when the CM starts, a push over the file's limits while it runs
 * ({@link LiveLimits}).
 */
public final class ClientLimitTuning {
    /** One tunable limit: its parameter, how to read it, and how to replace it. */
    private record Binding(TuningParameter parameter, ToIntFunction<ClientLimits> read,
                           BiFunction<ClientLimits, Integer, ClientLimits> write) {
    }

    private static final List<Binding> BINDINGS = List.of(
            new Binding(TuningParameter.CLIENT_MAX, ClientLimits::maxClients, ClientLimits::withMaxClients),
            new Binding(TuningParameter.CLIENT_RATE_PER_IP, ClientLimits::connectionsPerIpPerSecond,
                    (l, v) -> l.withConnectionRate(v, l.connectionBurstPerIp(), l.limitLoopback())),
            new Binding(TuningParameter.CLIENT_IDLE_TIMEOUT_SECONDS, l -> (int) l.idleTimeout().toSeconds(),
                    (l, v) -> l.withIdle(Duration.ofSeconds(v), l.keepalive())),
            new Binding(TuningParameter.CLIENT_AUTH_TIMEOUT_SECONDS, l -> (int) l.authTimeout().toSeconds(),
                    (l, v) -> l.withAuthTimeout(Duration.ofSeconds(v))),
            new Binding(TuningParameter.CLIENT_KEEPALIVE_SECONDS, l -> (int) l.keepalive().toSeconds(),
                    (l, v) -> l.withIdle(l.idleTimeout(), Duration.ofSeconds(v))),
            new Binding(TuningParameter.CLIENT_PENDING_WRITE_MAX_BYTES, ClientLimits::maxPendingWriteBytes,
                    ClientLimits::withMaxPendingWriteBytes));

    private ClientLimitTuning() {
    }

    /** The parameters that set a client limit, in the order they are applied and logged. */
    public static List<TuningParameter> parameters() {
        return BINDINGS.stream().map(Binding::parameter).toList();
    }

    /** The value {@code limits} has for {@code parameter}, in the parameter's unit. */
    public static int read(ClientLimits limits, TuningParameter parameter) {
        return binding(parameter).read().applyAsInt(limits);
    }

    /**
     * {@code limits} with {@code text} as {@code parameter}'s value. Each limit is replaced on its own, so the order
     * of replacement does not matter.
     *
     * @throws IllegalArgumentException naming the parameter, when {@code text} is not one of its values
     */
    public static ClientLimits replace(ClientLimits limits, TuningParameter parameter, String text) {
        return with(limits, parameter, parameter.require(text));
    }

    /** {@code limits} with {@code value}, already one of {@code parameter}'s, as that parameter's value. */
    static ClientLimits with(ClientLimits limits, TuningParameter parameter, int value) {
        return binding(parameter).write().apply(limits, value);
    }

    /**
     * {@code base} with every limit that {@code settings} gives a value replaced: the CM's own settings file, where a
     * malformed value stops the start.
     *
     * @param settings a setting's value by key, null when unset
     * @throws IllegalArgumentException naming the first parameter whose value is refused
     */
    public static ClientLimits configured(ClientLimits base, Function<String, String> settings) {
        ClientLimits limits = base;
        for (Binding binding : BINDINGS) {
            String text = settings.apply(binding.parameter().wireName());
            if (text != null) {
                limits = replace(limits, binding.parameter(), text);
            }
        }
        return limits;
    }

    private static Binding binding(TuningParameter parameter) {
        for (Binding binding : BINDINGS) {
            if (binding.parameter() == parameter) {
                return binding;
            }
        }
        throw new IllegalArgumentException(parameter.wireName() + " is not a client limit");
    }
}
