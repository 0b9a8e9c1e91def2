package org.xmppcm.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.mina.core.session.AttributeKey;
import org.apache.mina.core.session.DummySession;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.core.session.IoSessionAttributeMap;
import org.junit.jupiter.api.Test;

class CompactSessionDataTest {
    private final IoSession session = new DummySession();
    private final IoSessionAttributeMap map = new CompactSessionData().getAttributeMap(session);

    @Test
    void behavesAsMinasMapForEveryOperation() {
        AttributeKey a = new AttributeKey(getClass(), "a");
        assertThat(map.getAttribute(session, a, null)).isNull();
        assertThat(map.containsAttribute(session, a)).isFalse();
        assertThat(map.getAttribute(session, a, "default")).isEqualTo("default");
        assertThat(map.setAttribute(session, a, "one")).isEqualTo("default");
        assertThat(map.setAttributeIfAbsent(session, a, "two")).isEqualTo("one");
        assertThat(map.replaceAttribute(session, a, "two", "three")).isFalse();
        assertThat(map.replaceAttribute(session, a, "one", "three")).isTrue();
        assertThat(map.removeAttribute(session, a, "one")).isFalse();
        assertThat(map.removeAttribute(session, a, "three")).isTrue();
        assertThat(map.containsAttribute(session, a)).isFalse();
        assertThat(map.setAttributeIfAbsent(session, a, "four")).isNull();
        assertThat(map.removeAttribute(session, a)).isEqualTo("four");
        assertThat(map.setAttribute(session, a, null)).isNull();
        assertThatThrownBy(() -> map.getAttribute(session, null, null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void keysAreEqualByValueAndTheMapGrowsPastItsFirstEightAndReusesFreedSlots() {
        for (int i = 0; i < 20; i++) {
            map.setAttribute(session, new AttributeKey(getClass(), "k" + i), i);
        }
        // MINA's keys are equal by name, so a second key object with the same name finds the value.
        assertThat(map.getAttribute(session, new AttributeKey(getClass(), "k17"), null)).isEqualTo(17);
        assertThat(map.getAttributeKeys(session)).hasSize(20);
        map.removeAttribute(session, new AttributeKey(getClass(), "k3"));
        map.setAttribute(session, "new", "value");
        assertThat(map.getAttributeKeys(session)).hasSize(20).contains("new");
        assertThat(map.getAttribute(session, "new", null)).isEqualTo("value");
    }
}
