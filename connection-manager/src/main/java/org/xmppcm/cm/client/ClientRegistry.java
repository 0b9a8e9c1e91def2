package org.xmppcm.cm.client;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/** The CM's live client streams by stream id: how the server's routes find their client. */
public final class ClientRegistry {
    private final ConcurrentHashMap<String, ClientStream> byStreamId = new ConcurrentHashMap<>();

    void add(String streamId, ClientStream client) {
        if (byStreamId.putIfAbsent(streamId, client) != null) {
            throw new IllegalStateException("duplicate stream id " + streamId);
        }
    }

    void remove(String streamId, ClientStream client) {
        byStreamId.remove(streamId, client);
    }

    public ClientStream get(String streamId) {
        return byStreamId.get(streamId);
    }

    public int size() {
        return byStreamId.size();
    }

    public Collection<ClientStream> snapshot() {
        return List.copyOf(byStreamId.values());
    }
}
