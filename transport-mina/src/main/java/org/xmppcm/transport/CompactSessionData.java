package org.xmppcm.transport;

import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import org.apache.mina.core.session.DefaultIoSessionDataStructureFactory;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.core.session.IoSessionAttributeMap;
import org.apache.mina.core.session.IoSessionDataStructureFactory;
import org.apache.mina.core.write.WriteRequestQueue;

/**
 * Session attributes in a small array instead of MINA's default {@code ConcurrentHashMap}: a session holds fewer than
 * ten attributes, and the hash map's table and nodes cost about 350 bytes of every idle client, the array about 100.
 * Access is synchronized per session, which is uncontended in practice (a session's events run on one thread at a
 * time). The write queue stays MINA's own.
 */
public final class CompactSessionData implements IoSessionDataStructureFactory {
    private final DefaultIoSessionDataStructureFactory defaults = new DefaultIoSessionDataStructureFactory();

    @Override
    public IoSessionAttributeMap getAttributeMap(IoSession session) {
        return new ArrayAttributeMap();
    }

    @Override
    public WriteRequestQueue getWriteRequestQueue(IoSession session) throws Exception {
        return defaults.getWriteRequestQueue(session);
    }

    /** Keys and values alternate in one array; null slots are free. */
    static final class ArrayAttributeMap implements IoSessionAttributeMap {
        /** Room for eight attributes, about what a client session holds. */
        private Object[] slots = new Object[16];

        private int indexOf(Object key) {
            for (int i = 0; i < slots.length; i += 2) {
                if (slots[i] != null && slots[i].equals(key)) {
                    return i;
                }
            }
            return -1;
        }

        private void put(Object key, Object value) {
            for (int i = 0; i < slots.length; i += 2) {
                if (slots[i] == null) {
                    slots[i] = key;
                    slots[i + 1] = value;
                    return;
                }
            }
            Object[] grown = new Object[slots.length + 8];
            System.arraycopy(slots, 0, grown, 0, slots.length);
            grown[slots.length] = key;
            grown[slots.length + 1] = value;
            slots = grown;
        }

        private static Object checked(Object key) {
            if (key == null) {
                throw new IllegalArgumentException("key"); // as MINA's own map
            }
            return key;
        }

        @Override
        public synchronized Object getAttribute(IoSession session, Object key, Object defaultValue) {
            int i = indexOf(checked(key));
            if (i >= 0) {
                return slots[i + 1];
            }
            if (defaultValue != null) {
                put(key, defaultValue);
            }
            return defaultValue;
        }

        @Override
        public synchronized Object setAttribute(IoSession session, Object key, Object value) {
            int i = indexOf(checked(key));
            Object old = i >= 0 ? slots[i + 1] : null;
            if (value == null) {
                if (i >= 0) {
                    slots[i] = null;
                    slots[i + 1] = null;
                }
            } else if (i >= 0) {
                slots[i + 1] = value;
            } else {
                put(key, value);
            }
            return old;
        }

        @Override
        public synchronized Object setAttributeIfAbsent(IoSession session, Object key, Object value) {
            int i = indexOf(checked(key));
            if (i >= 0) {
                return slots[i + 1];
            }
            if (value != null) {
                put(key, value);
            }
            return null;
        }

        @Override
        public synchronized Object removeAttribute(IoSession session, Object key) {
            return setAttribute(session, key, null);
        }

        @Override
        public synchronized boolean removeAttribute(IoSession session, Object key, Object value) {
            int i = indexOf(checked(key));
            if (i >= 0 && value != null && value.equals(slots[i + 1])) {
                slots[i] = null;
                slots[i + 1] = null;
                return true;
            }
            return false;
        }

        @Override
        public synchronized boolean replaceAttribute(IoSession session, Object key, Object oldValue, Object newValue) {
            int i = indexOf(checked(key));
            if (i >= 0 && Objects.equals(slots[i + 1], oldValue) && newValue != null) {
                slots[i + 1] = newValue;
                return true;
            }
            return false;
        }

        @Override
        public synchronized boolean containsAttribute(IoSession session, Object key) {
            return indexOf(checked(key)) >= 0;
        }

        @Override
        public synchronized Set<Object> getAttributeKeys(IoSession session) {
            Set<Object> keys = new HashSet<>();
            for (int i = 0; i < slots.length; i += 2) {
                if (slots[i] != null) {
                    keys.add(slots[i]);
                }
            }
            return keys;
        }

        @Override
        public synchronized void dispose(IoSession session) {
            slots = new Object[0];
        }
    }
}
