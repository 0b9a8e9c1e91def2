// Test-only stand-in for the Openfire class of the same name (see org.xmppcm.plugin.openfire.standin.StandIn):
// same public signatures as openfire-stub, in-memory behaviour, state kept in StandIn so tests can reset it.
package org.jivesoftware.util;

import java.util.Map;

public interface PropertyEventListener {
    void propertySet(String property, Map<String, Object> params);

    void propertyDeleted(String property, Map<String, Object> params);

    void xmlPropertySet(String property, Map<String, Object> params);

    void xmlPropertyDeleted(String property, Map<String, Object> params);
}
