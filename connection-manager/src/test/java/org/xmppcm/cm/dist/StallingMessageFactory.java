package org.xmppcm.cm.dist;

import org.apache.logging.log4j.message.AbstractMessageFactory;
import org.apache.logging.log4j.message.Message;
import org.apache.logging.log4j.message.ParameterizedMessageFactory;

/**
 * For {@link DistributionIT} only: a log4j message factory (installed with
 * {@code -Dlog4j2.messageFactory}) that makes the graceful stop hang, so the forced exits can be
 * tested against the real launcher, signals and JVM. Once Main has logged that it is stopping,
 * the next message logged on the main thread (the stop runs there) blocks for a minute.
 */
public final class StallingMessageFactory extends AbstractMessageFactory {
    private static final long serialVersionUID = 1L;
    private static volatile boolean stopping;

    @Override
    public Message newMessage(String message) {
        stallIfStopping(message);
        return ParameterizedMessageFactory.INSTANCE.newMessage(message);
    }

    @Override
    public Message newMessage(String message, Object... params) {
        stallIfStopping(message);
        return ParameterizedMessageFactory.INSTANCE.newMessage(message, params);
    }

    private static void stallIfStopping(String message) {
        if (message != null && message.contains("stopping gracefully")) {
            stopping = true;
        } else if (stopping && Thread.currentThread().getName().equals("main")) {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
