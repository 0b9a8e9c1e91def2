package org.xmppcm.plugin.openfire;

import java.io.IOException;
import org.dom4j.Element;
import org.xmppcm.engine.testing.CmTestClient;
import org.xmppcm.protocol.cm.Namespaces;

/** The CM side of a link to the plugin's listener, on the engine's test client. */
final class CmLinks {
    private CmLinks() {
    }

    /** Opens the stream to {@code domain}, handshakes with {@code secret}, acknowledges the pushed configuration. */
    static CmTestClient authenticated(int port, String domain, String secret) throws IOException {
        CmTestClient link = CmTestClient.connect(port);
        link.authenticate(domain, secret);
        return link;
    }

    /** Answers a configuration IQ pushed again, as a CM does. */
    static void ackConfiguration(CmTestClient link, Element config) throws IOException {
        if (!config.getName().equals("iq")) {
            throw new AssertionError("expected the configuration iq, got " + config.asXML());
        }
        link.send("<iq type='result' id='" + config.attributeValue("id") + "'/>");
    }

    static String sessionIq(String iqId, String streamId, String body) {
        return "<iq type='set' id='" + iqId + "'><session xmlns='" + Namespaces.CM_PROTOCOL + "' id='" + streamId
                + "'>" + body + "</session></iq>";
    }
}
