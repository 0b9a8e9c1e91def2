package org.xmppcm.e2e.fault;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Properties;
import org.xmppcm.cm.CmSettings;
import org.xmppcm.engine.EngineSettings;

/**
 * THE one place where the fault rig's link settings are made, for every CM it runs (in-process, or a process from
 * a settings file: both use {@link #cmProperties}) and every engine (in-process, or {@link ServerProcessMain}: both
 * use {@link #engineSettings}), and for the host's session grace period ({@link TappedHost}).
 *
 * <p><b>Liveness.</b> {@link #livenessTimeout} is the CM's {@value #CM_LIVENESS_KEY} and the engine's link idle limit
 * (through {@link TappedHost#linkIdleTimeout()}); the keepalive must be shorter (the CM asks a quiet server for a sign
 * of life after it, and keeps the engine's idle limit from expiring on a quiet link). The freeze faults wait for
 * detection up to their own bound ({@link FaultPlan#detectionBound()}), which must stay above the timeout.
 *
 * @param grace how long the CM holds its clients while no link is up, and the host keeps their sessions
 * @param keepalive how long a link may be silent before the CM sends a whitespace keepalive
 * @param livenessTimeout how long a link may be silent (nothing read) before either end declares it dead
 */
record LinkTuning(Duration grace, Duration keepalive, Duration livenessTimeout) {
    /** The CM's link liveness timeout. */
    static final String CM_LIVENESS_KEY = "link.timeout.seconds";
    static final String MANAGER = "fault-cm";
    static final String SECRET = "fault-secret";
    static final String DOMAIN = RawClient.DOMAIN;

    /** The suite's default: a 10 s grace period, a 1 s keepalive, a 3 s liveness timeout. */
    static final LinkTuning DEFAULT = new LinkTuning(Duration.ofSeconds(10), Duration.ofSeconds(1),
            Duration.ofSeconds(3));

    LinkTuning withGrace(Duration newGrace) {
        return new LinkTuning(newGrace, keepalive, livenessTimeout);
    }

    LinkTuning withLivenessTimeout(Duration timeout) {
        return new LinkTuning(grace, keepalive, timeout);
    }

    /**
     * The CM's settings file: {@code linkCount} links to {@code server}, clients on loopback {@code clientPort}
     * (0 for a free port), no metrics port.
     */
    Properties cmProperties(InetSocketAddress server, int linkCount, int clientPort) {
        Properties p = new Properties();
        p.setProperty("manager.name", MANAGER);
        p.setProperty("manager.secret", SECRET);
        p.setProperty("xmpp.domain", DOMAIN);
        p.setProperty("server.host", server.getAddress().getHostAddress());
        p.setProperty("server.port", String.valueOf(server.getPort()));
        p.setProperty("client.address", "127.0.0.1");
        p.setProperty("client.port", String.valueOf(clientPort));
        p.setProperty("metrics.port", "-1");
        p.setProperty("link.count", String.valueOf(linkCount));
        p.setProperty("link.grace.seconds", String.valueOf(grace.toSeconds()));
        p.setProperty("link.keepalive.seconds", String.valueOf(keepalive.toSeconds()));
        p.setProperty(CM_LIVENESS_KEY, String.valueOf(livenessTimeout.toSeconds()));
        p.setProperty("shutdown.timeout.seconds", "10");
        return p;
    }

    /** The engine's settings, listening on {@code bind}. */
    EngineSettings engineSettings(InetSocketAddress bind) {
        return new EngineSettings(bind, CmSettings.DEFAULT_MAX_STANZA_BYTES);
    }

    /** As arguments for {@link ServerProcessMain}. */
    java.util.List<String> asArguments() {
        return java.util.List.of("--grace-seconds", String.valueOf(grace.toSeconds()),
                "--keepalive-seconds", String.valueOf(keepalive.toSeconds()),
                "--liveness-seconds", String.valueOf(livenessTimeout.toSeconds()));
    }
}
