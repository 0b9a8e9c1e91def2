package org.xmppcm.plugin.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.xmppcm.engine.LinkSecurity;
import org.xmppcm.protocol.cm.TlsPolicy;

class LinkPolicyTest {
    private final List<String> warnings = new ArrayList<>();

    @Test
    void storedNamesMapToPoliciesAndAnythingUnknownToRequired() {
        assertThat(LinkPolicy.tlsPolicy(null)).isEqualTo(TlsPolicy.OPTIONAL);
        assertThat(LinkPolicy.tlsPolicy(" Disabled ")).isEqualTo(TlsPolicy.DISABLED);
        assertThat(LinkPolicy.tlsPolicy("optional")).isEqualTo(TlsPolicy.OPTIONAL);
        assertThat(LinkPolicy.tlsPolicy("REQUIRED")).isEqualTo(TlsPolicy.REQUIRED);
        assertThat(LinkPolicy.tlsPolicy("opional")).isEqualTo(TlsPolicy.REQUIRED);
    }

    @Test
    void withACertificateTheLinkIsOfferedWhatThePolicySays() throws Exception {
        SSLContext context = SSLContext.getDefault();
        LinkSecurity security = LinkPolicy.decide(TlsPolicy.REQUIRED, true, () -> Optional.of(context), warnings::add);

        assertThat(security.offersTls()).isTrue();
        assertThat(security.requiresTls()).isTrue();
        assertThat(security.compression()).isTrue();
        assertThat(warnings).isEmpty();
    }

    @Test
    void withoutACertificateOptionalTlsIsNotOfferedAndRequiredTlsLetsNoLinkIn() {
        LinkSecurity optional = LinkPolicy.decide(TlsPolicy.OPTIONAL, false, Optional::empty, warnings::add);
        assertThat(optional.offersTls()).isFalse();
        assertThat(optional.requiresTls()).isFalse();

        LinkSecurity required = LinkPolicy.decide(TlsPolicy.REQUIRED, false, () -> {
            throw new IllegalStateException("no RSA or EC key in the identity store");
        }, warnings::add);
        assertThat(required.offersTls()).isFalse();
        assertThat(required.requiresTls()).isTrue();
        assertThat(warnings).hasSize(3).anySatisfy(w -> assertThat(w).contains("no RSA or EC key"))
                .anySatisfy(w -> assertThat(w).contains("managers cannot connect"));
    }

    @Test
    void disabledNeverTouchesTheCertificate() {
        LinkSecurity security = LinkPolicy.decide(TlsPolicy.DISABLED, true, () -> {
            throw new AssertionError("must not be asked");
        }, warnings::add);
        assertThat(security.offersTls()).isFalse();
        assertThat(warnings).isEmpty();
    }
}
