/**
 * The Openfire adapter's logic that needs no Openfire: mapping Openfire's client settings to the configuration pushed
 * to connection managers, the secret lookup rules, turning Openfire's raw-text output back into elements, stream error
 * mapping, and the bookkeeping and scheduling around client sessions. Nothing here imports {@code org.jivesoftware};
 * every class is unit-tested. The thin Openfire-facing classes live in {@code org.xmppcm.plugin.openfire}.
 */
package org.xmppcm.plugin.core;
