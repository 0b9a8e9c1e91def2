package org.xmppcm.protocol.cm;

import org.xmppcm.protocol.xml.StreamErrorCondition;

/**
 * A stream error as read from {@code <stream:error>}, on the link (02-bad-handshake.txt:
 * {@code not-authorized}; 06a/06b/06d: {@code internal-server-error} with a {@code <text>}) or
 * inside a route for one client (08: {@code conflict}).
 *
 * @param condition the defined condition; {@link StreamErrorCondition#UNDEFINED_CONDITION} when unknown or missing
 * @param text the {@code <text>} content, or null
 */
public record StreamError(StreamErrorCondition condition, String text) {
    public StreamError {
        if (condition == null) {
            throw new IllegalArgumentException("condition is required");
        }
    }
}
