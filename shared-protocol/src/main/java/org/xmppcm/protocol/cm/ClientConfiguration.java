package org.xmppcm.protocol.cm;

import java.util.List;
import java.util.Map;

/**
 * The client feature configuration the server pushes to a CM after the handshake:
 * {@code <iq type='set'><configuration xmlns='http://jabber.org/protocol/connectionmanager'>}
 * with {@code <starttls/>} (optionally {@code <required/>} inside), {@code <mechanisms/>},
 * {@code <compression/>}, {@code <auth xmlns='http://jabber.org/features/iq-auth'/>},
 * {@code <register/>}, and our own {@code <tuning xmlns='urn:xmppcm:tuning:0'>} with
 * {@code <param name='' value=''/>} children (see 01-link-setup.txt for stock Openfire's form).
 *
 * @param tls STARTTLS policy: absent element = DISABLED, element = OPTIONAL, with {@code <required/>} = REQUIRED
 * @param mechanisms SASL mechanism names in server order
 * @param compressionMethods compression methods ("zlib"), empty when compression is off
 * @param iqAuth whether non-SASL authentication (XEP-0078) is offered
 * @param register whether in-band registration (XEP-0077) is offered
 * @param tuning our tuning parameters by name; empty when the server is stock Openfire
 */
public record ClientConfiguration(TlsPolicy tls, List<String> mechanisms, List<String> compressionMethods,
                                  boolean iqAuth, boolean register, Map<String, String> tuning) {
    public ClientConfiguration {
        mechanisms = List.copyOf(mechanisms);
        compressionMethods = List.copyOf(compressionMethods);
        tuning = Map.copyOf(tuning);
    }
}
