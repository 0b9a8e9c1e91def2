package org.xmppcm.plugin.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BindAddressTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @Test
    void withoutAnOverrideItBindsWhereOpenfiresListenersBind() throws Exception {
        assertThat(BindAddress.choose(null, LOOPBACK)).contains(LOOPBACK);
        assertThat(BindAddress.choose("  ", LOOPBACK)).contains(LOOPBACK);
        assertThat(BindAddress.choose(null, null)).isEmpty();
    }

    @Test
    void anOverrideWinsAndWildcardsMeanEveryInterface() throws Exception {
        assertThat(BindAddress.choose("127.0.0.2", LOOPBACK)).contains(InetAddress.getByName("127.0.0.2"));
        assertThat(BindAddress.choose("::1", null)).contains(InetAddress.getByName("::1"));
        assertThat(BindAddress.choose("*", LOOPBACK)).isEmpty();
        assertThat(BindAddress.choose("0.0.0.0", LOOPBACK)).isEmpty();
        assertThat(BindAddress.choose("::", LOOPBACK)).isEmpty();
    }

    @Test
    void aHostNameIsRefusedRatherThanLookedUp() {
        assertThatThrownBy(() -> BindAddress.choose("localhost", null)).isInstanceOf(UnknownHostException.class)
                .hasMessageContaining("'localhost' is not an IP address");
    }

    @Test
    void describesTheAddressAsAnAdministratorWritesIt() throws Exception {
        assertThat(BindAddress.describe(Optional.of(LOOPBACK), 5272)).isEqualTo("127.0.0.1:5272");
        assertThat(BindAddress.describe(Optional.of(InetAddress.getByName("::1")), 5272)).isEqualTo("[0:0:0:0:0:0:0:1]:5272");
        assertThat(BindAddress.describe(Optional.empty(), 5272)).isEqualTo("*:5272");
    }
}
