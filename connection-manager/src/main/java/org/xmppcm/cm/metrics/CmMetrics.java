package org.xmppcm.cm.metrics;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.xmppcm.protocol.xml.StreamErrorCondition;

/**
 * The CM's counters and gauges. Counters are {@link LongAdder}s bumped on I/O threads without
 * contention; gauges are read from their owners when someone looks (JMX, {@code /metrics}).
 */
public final class CmMetrics implements CmMetricsMXBean {
    /** Where the gauges come from; the CM fills this in. */
    public record Sources(IntSupplier clientsConnected, IntSupplier linksReady, int linksConfigured,
                          LongSupplier clientBytesRead, LongSupplier clientBytesWritten,
                          LongSupplier linkBytesRead, LongSupplier linkBytesWritten,
                          LongSupplier heldBytes, LongSupplier clientPendingWriteBytes,
                          LongSupplier linkPendingWriteBytes, IntSupplier clientsOnTls,
                          IntSupplier clientsCompressed) {
    }

    private final LongAdder clientsAccepted = new LongAdder();
    private final LongAdder linkConnects = new LongAdder();
    private final LongAdder linksLost = new LongAdder();
    private final LongAdder stanzasFromClients = new LongAdder();
    private final LongAdder stanzasToClients = new LongAdder();
    private final ConcurrentHashMap<StreamErrorCondition, LongAdder> streamErrors = new ConcurrentHashMap<>();
    private volatile Sources sources;
    private volatile Supplier<Map<String, Long>> clientLimits = Map::of;

    public void bind(Sources gauges) {
        this.sources = gauges;
    }

    /** Where the client limits in effect come from, by their property name (they change when the server pushes). */
    public void bindClientLimits(Supplier<Map<String, Long>> limits) {
        this.clientLimits = limits;
    }

    public void clientAccepted() {
        clientsAccepted.increment();
    }

    public void linkConnected() {
        linkConnects.increment();
    }

    public void linkLost() {
        linksLost.increment();
    }

    public void stanzaFromClient() {
        stanzasFromClients.increment();
    }

    public void stanzaToClient() {
        stanzasToClients.increment();
    }

    public void streamErrorSent(StreamErrorCondition condition) {
        streamErrors.computeIfAbsent(condition, c -> new LongAdder()).increment();
    }

    @Override
    public int getClientsConnected() {
        return sources == null ? 0 : sources.clientsConnected().getAsInt();
    }

    @Override
    public long getClientsAccepted() {
        return clientsAccepted.sum();
    }

    @Override
    public int getLinksReady() {
        return sources == null ? 0 : sources.linksReady().getAsInt();
    }

    @Override
    public int getLinksConfigured() {
        return sources == null ? 0 : sources.linksConfigured();
    }

    @Override
    public long getLinkConnects() {
        return linkConnects.sum();
    }

    @Override
    public long getLinksLost() {
        return linksLost.sum();
    }

    @Override
    public long getStanzasFromClients() {
        return stanzasFromClients.sum();
    }

    @Override
    public long getStanzasToClients() {
        return stanzasToClients.sum();
    }

    @Override
    public long getClientBytesRead() {
        return gauge(Sources::clientBytesRead);
    }

    @Override
    public long getClientBytesWritten() {
        return gauge(Sources::clientBytesWritten);
    }

    @Override
    public long getLinkBytesRead() {
        return gauge(Sources::linkBytesRead);
    }

    @Override
    public long getLinkBytesWritten() {
        return gauge(Sources::linkBytesWritten);
    }

    @Override
    public int getClientsOnTls() {
        return sources == null ? 0 : sources.clientsOnTls().getAsInt();
    }

    @Override
    public int getClientsCompressed() {
        return sources == null ? 0 : sources.clientsCompressed().getAsInt();
    }

    @Override
    public long getHeldBytes() {
        return gauge(Sources::heldBytes);
    }

    @Override
    public long getClientPendingWriteBytes() {
        return gauge(Sources::clientPendingWriteBytes);
    }

    @Override
    public long getLinkPendingWriteBytes() {
        return gauge(Sources::linkPendingWriteBytes);
    }

    @Override
    public Map<String, Long> getStreamErrorsSent() {
        Map<String, Long> byCondition = new TreeMap<>();
        streamErrors.forEach((condition, count) -> byCondition.put(condition.elementName(), count.sum()));
        return byCondition;
    }

    @Override
    public Map<String, Long> getClientLimits() {
        return new TreeMap<>(clientLimits.get());
    }

    private long gauge(java.util.function.Function<Sources, LongSupplier> which) {
        Sources current = sources;
        return current == null ? 0 : which.apply(current).getAsLong();
    }
}
