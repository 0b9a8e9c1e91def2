package org.xmppcm.plugin.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IpLiteralsTest {

    /** Verifies that IPv4 and IPv6 literals (bracketed or not) become their address bytes. */
    @Test
    void literalsBecomeBytes() {
        assertThat(IpLiterals.parse("127.0.0.1")).hasValueSatisfying(b -> assertThat(b).containsExactly(127, 0, 0, 1));
        assertThat(IpLiterals.parse(" 192.168.10.255 ")).hasValueSatisfying(
                b -> assertThat(b).containsExactly(192, 168, 10, 255));
        assertThat(IpLiterals.parse("::1")).hasValueSatisfying(b -> assertThat(b).hasSize(16).endsWith(1));
        assertThat(IpLiterals.parse("[2001:db8::7]")).hasValueSatisfying(b -> assertThat(b).hasSize(16));
        assertThat(IpLiterals.parse("0.0.0.0")).isPresent();
    }

    /** Verifies that host names, malformed literals and nothing give no address, and so never cause a lookup. */
    @Test
    void namesAndMalformedLiteralsGiveNothing() {
        for (String text : new String[] {null, "", "localhost", "example.test", "256.1.1.1", "1.2.3", "1.2.3.4.5",
                "1:2:3:4:5:6:7:8:9", "::g", "1.2.3.4x", "[::1", "a:b:c"}) {
            assertThat(IpLiterals.parse(text)).as(String.valueOf(text)).isEmpty();
        }
    }
}
