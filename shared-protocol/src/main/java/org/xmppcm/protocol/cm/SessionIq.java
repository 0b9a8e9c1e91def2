package org.xmppcm.protocol.cm;

/**
 * Session IQs of the Connection Manager protocol, namespace {@link Namespaces#CM_PROTOCOL}
 * (03-session-create.txt, 06a-error-iqs.txt):
 * <pre>
 * &lt;iq type='set' id='ID'&gt;&lt;session xmlns='http://jabber.org/protocol/connectionmanager' id='SID'&gt;
 *   &lt;create&gt;&lt;host name='' address=''/&gt;&lt;/create&gt;            | &lt;close/&gt; (optionally with a stream error inside)
 *                                                       | &lt;failed&gt;STANZA&lt;/failed&gt;
 * &lt;/session&gt;&lt;/iq&gt;
 * </pre>
 */
public sealed interface SessionIq permits SessionIq.Create, SessionIq.Close, SessionIq.Failed {
    String iqId();

    String streamId();

    /**
     * @param hostName the client's host name, or null (old CMs send a bare {@code <create/>})
     * @param hostAddress the client's IP address, or null
     */
    record Create(String iqId, String streamId, String hostName, String hostAddress) implements SessionIq {
        public Create {
            requireIds(iqId, streamId);
        }
    }

    /**
     * @param streamErrorXml a serialized {@code <stream:error>} (with its own {@code xmlns:stream}) the
     *        server sends when it ends the session, so the CM can pass it to the client; null when none
     */
    record Close(String iqId, String streamId, String streamErrorXml) implements SessionIq {
        public Close {
            requireIds(iqId, streamId);
        }
    }

    /** @param stanzaXml the one undeliverable stanza, serialized with {@code xmlns='jabber:client'} */
    record Failed(String iqId, String streamId, String stanzaXml) implements SessionIq {
        public Failed {
            requireIds(iqId, streamId);
            if (stanzaXml == null || stanzaXml.isBlank()) {
                throw new IllegalArgumentException("failed needs the undeliverable stanza");
            }
        }
    }

    /** Both ids are required and non-empty: Openfire answers a session without id with {@code id-required}. */
    private static void requireIds(String iqId, String streamId) {
        if (iqId == null || iqId.isEmpty()) {
            throw new IllegalArgumentException("iq id is required");
        }
        if (streamId == null || streamId.isEmpty()) {
            throw new IllegalArgumentException("session (stream) id is required");
        }
    }
}
