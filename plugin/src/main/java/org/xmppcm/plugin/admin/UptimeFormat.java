package org.xmppcm.plugin.admin;

import java.time.Duration;

/** How long something has been connected, in the two largest units that matter ("2 h 5 min", "42 s"). */
final class UptimeFormat {
    private final Messages messages;

    UptimeFormat(Messages messages) {
        this.messages = messages;
    }

    String format(Duration uptime) {
        long seconds = Math.max(0, uptime.getSeconds());
        if (seconds < 60) {
            return messages.get("connectionmanager.admin.uptime.seconds", Long.toString(seconds));
        }
        if (seconds < 3600) {
            return messages.get("connectionmanager.admin.uptime.minutes", Long.toString(seconds / 60),
                    Long.toString(seconds % 60));
        }
        if (seconds < 86_400) {
            return messages.get("connectionmanager.admin.uptime.hours", Long.toString(seconds / 3600),
                    Long.toString(seconds % 3600 / 60));
        }
        return messages.get("connectionmanager.admin.uptime.days", Long.toString(seconds / 86_400),
                Long.toString(seconds % 86_400 / 3600));
    }
}
