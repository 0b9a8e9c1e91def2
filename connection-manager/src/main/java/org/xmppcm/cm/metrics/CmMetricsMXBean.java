package org.xmppcm.cm.metrics;

import java.util.Map;

/** The CM's numbers over JMX ({@code org.xmppcm:type=ConnectionManager}). */
public interface CmMetricsMXBean {
    int getClientsConnected();

    long getClientsAccepted();

    int getLinksReady();

    int getLinksConfigured();

    long getLinkConnects();

    long getLinksLost();

    long getStanzasFromClients();

    long getStanzasToClients();

    long getClientBytesRead();

    long getClientBytesWritten();

    long getLinkBytesRead();

    long getLinkBytesWritten();

    int getClientsOnTls();

    int getClientsCompressed();

    long getHeldBytes();

    long getClientPendingWriteBytes();

    long getLinkPendingWriteBytes();

    /** Stream errors sent to clients, by condition. */
    Map<String, Long> getStreamErrorsSent();

    /** The client limits in effect, by property name: the settings file's, or what the server pushed. */
    Map<String, Long> getClientLimits();
}
