package org.xmppcm.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.dom4j.Element;
import org.junit.jupiter.api.Test;
import org.xmppcm.protocol.cm.Namespaces;
import org.xmppcm.protocol.xml.StreamErrorCondition;

class SaslAuthenticationTest {
    private final DemoHost host = DemoHost.withDemoDefaults();
    private final TestClient client = new TestClient(host);

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(Element element) {
        String text = element.getTextTrim();
        return "=".equals(text) ? "" : new String(Base64.getDecoder().decode(text), StandardCharsets.UTF_8);
    }

    private Element single() {
        List<Element> replies = client.take();
        assertThat(replies).hasSize(1);
        Element reply = replies.get(0);
        assertThat(reply.getNamespaceURI()).isEqualTo(Namespaces.SASL);
        return reply;
    }

    private String failureCondition() {
        Element reply = single();
        assertThat(reply.getName()).isEqualTo("failure");
        return reply.elements().get(0).getName();
    }

    private void send(String name, String mechanism, String text) {
        client.send("<" + name + " xmlns='" + Namespaces.SASL + "'"
                + (mechanism == null ? "" : " mechanism='" + mechanism + "'") + ">" + text + "</" + name + ">");
    }

    @Test
    void plainWithTheRightPasswordSucceedsWithoutAdditionalData() {
        client.authPlain("alice", "alice");

        Element reply = single();
        assertThat(reply.getName()).isEqualTo("success");
        assertThat(reply.getText()).isEmpty();
    }

    @Test
    void plainAcceptsTheUsersOwnBareJidAsAuthzidAndIgnoresCaseInTheUsername() {
        send("auth", "PLAIN", b64("alice@localhost\0Alice\0alice"));

        assertThat(single().getName()).isEqualTo("success");
    }

    @Test
    void plainRejectsAuthorizingAsSomeoneElse() {
        send("auth", "PLAIN", b64("bob@localhost\0alice\0alice"));

        assertThat(failureCondition()).isEqualTo("invalid-authzid");
    }

    @Test
    void plainWithAWrongPasswordFailsNotAuthorized() {
        client.authPlain("alice", "bob");

        assertThat(failureCondition()).isEqualTo("not-authorized");
    }

    @Test
    void plainForAnUnknownUserFailsNotAuthorized() {
        client.authPlain("mallory", "mallory");

        assertThat(failureCondition()).isEqualTo("not-authorized");
    }

    @Test
    void plainWithoutInitialResponseGetsAnEmptyChallengeAndThenSucceeds() {
        send("auth", "PLAIN", "");
        Element challenge = single();
        assertThat(challenge.getName()).isEqualTo("challenge");
        assertThat(challenge.getText()).isEqualTo("=");

        send("response", null, b64("\0bob\0bob"));

        assertThat(single().getName()).isEqualTo("success");
    }

    @Test
    void scramSha1FullExchangeSucceedsAndTheServerProvesItKnowsThePassword() {
        ScramSha1Client scram = new ScramSha1Client("alice", "alice");
        send("auth", "SCRAM-SHA-1", b64(scram.clientFirst()));
        Element challenge = single();
        assertThat(challenge.getName()).isEqualTo("challenge");
        String serverFirst = decode(challenge);
        assertThat(serverFirst).matches("r=fyko\\+d2lbbFgONRv9qkxdawL[^,]+,s=[A-Za-z0-9+/=]+,i=4096");

        send("response", null, b64(scram.clientFinal(serverFirst)));

        Element success = single();
        assertThat(success.getName()).isEqualTo("success");
        assertThat(scram.verifyServerFinal(decode(success))).isTrue();
    }

    @Test
    void scramSha1AcceptsTheYFlagAndAnEscapedUsername() {
        DemoHost host = DemoHost.builder().users(java.util.Map.of("a=b,c", "secret")).build();
        TestClient client = new TestClient(host);
        ScramSha1Client scram = new ScramSha1Client("a=b,c", "secret", "y,,", "abc");
        client.send("<auth xmlns='" + Namespaces.SASL + "' mechanism='SCRAM-SHA-1'>" + b64(scram.clientFirst()) + "</auth>");
        String serverFirst = decode(client.take().get(0));

        client.send("<response xmlns='" + Namespaces.SASL + "'>" + b64(scram.clientFinal(serverFirst)) + "</response>");

        Element success = client.take().get(0);
        assertThat(success.getName()).isEqualTo("success");
        assertThat(scram.verifyServerFinal(decode(success))).isTrue();
    }

    @Test
    void scramSha1UsesTheSameSaltEveryTimeForAUser() {
        send("auth", "SCRAM-SHA-1", b64("n,,n=bob,r=one"));
        String first = decode(single());
        send("abort", null, "");
        client.take();
        send("auth", "SCRAM-SHA-1", b64("n,,n=bob,r=two"));
        String second = decode(single());

        assertThat(first.split(",")[1]).isEqualTo(second.split(",")[1]);
    }

    @Test
    void scramSha1WithAWrongPasswordFailsNotAuthorized() {
        ScramSha1Client scram = new ScramSha1Client("alice", "wrong");
        send("auth", "SCRAM-SHA-1", b64(scram.clientFirst()));
        String serverFirst = decode(single());

        send("response", null, b64(scram.clientFinal(serverFirst)));

        assertThat(failureCondition()).isEqualTo("not-authorized");
    }

    @Test
    void scramSha1ForAnUnknownUserLooksLikeAnyOtherUserUntilTheProofFails() {
        ScramSha1Client scram = new ScramSha1Client("mallory", "mallory");
        send("auth", "SCRAM-SHA-1", b64(scram.clientFirst()));
        Element challenge = single();
        assertThat(challenge.getName()).isEqualTo("challenge");

        send("response", null, b64(scram.clientFinal(decode(challenge))));

        assertThat(failureCondition()).isEqualTo("not-authorized");
    }

    @Test
    void scramSha1RefusesChannelBinding() {
        send("auth", "SCRAM-SHA-1", b64("p=tls-unique,,n=alice,r=abc"));

        assertThat(failureCondition()).isEqualTo("malformed-request");
    }

    @Test
    void scramSha1RefusesAClientFinalWithAnotherNonce() {
        send("auth", "SCRAM-SHA-1", b64("n,,n=alice,r=abc"));
        single();

        send("response", null, b64("c=biws,r=abcforged,p=" + b64("01234567890123456789")));

        assertThat(failureCondition()).isEqualTo("not-authorized");
    }

    @Test
    void scramSha1RefusesAGarbledClientFirstAsMalformed() {
        send("auth", "SCRAM-SHA-1", b64("hello"));

        assertThat(failureCondition()).isEqualTo("malformed-request");
    }

    @Test
    void abortEndsTheExchangeWithAborted() {
        send("auth", "SCRAM-SHA-1", b64("n,,n=alice,r=abc"));
        single();

        send("abort", null, "");

        assertThat(failureCondition()).isEqualTo("aborted");
        send("response", null, b64("c=biws,r=abc,p=x"));
        assertThat(failureCondition()).isEqualTo("malformed-request");
    }

    @Test
    void unknownMechanismFailsInvalidMechanism() {
        send("auth", "DIGEST-MD5", "");

        assertThat(failureCondition()).isEqualTo("invalid-mechanism");
    }

    @Test
    void invalidBase64FailsIncorrectEncoding() {
        send("auth", "PLAIN", "***");

        assertThat(failureCondition()).isEqualTo("incorrect-encoding");
    }

    @Test
    void plainWithTheWrongNumberOfFieldsIsMalformed() {
        send("auth", "PLAIN", b64("alice\0alice"));

        assertThat(failureCondition()).isEqualTo("malformed-request");
    }

    @Test
    void aClientMayRetryAfterAFailure() {
        client.authPlain("alice", "typo");
        assertThat(failureCondition()).isEqualTo("not-authorized");

        client.authPlain("alice", "alice");

        assertThat(single().getName()).isEqualTo("success");
    }

    @Test
    void tooManyFailuresCloseTheStreamWithPolicyViolation() {
        for (int i = 0; i < SaslNegotiator.MAX_FAILURES; i++) {
            client.authPlain("alice", "typo" + i);
        }

        assertThat(client.take()).hasSize(SaslNegotiator.MAX_FAILURES);
        assertThat(client.channel.closedWith()).isEqualTo(StreamErrorCondition.POLICY_VIOLATION);
        assertThat(host.sessionCount()).isZero();
        client.authPlain("alice", "alice");
        assertThat(client.take()).isEmpty();
    }

    @Test
    void authenticatingTwiceOnOneStreamFails() {
        client.authPlain("alice", "alice");
        single();

        client.authPlain("bob", "bob");

        assertThat(failureCondition()).isEqualTo("malformed-request");
    }

    @Test
    void scramKeysMatchTheRfc5802Example() {
        ScramCredentials credentials = ScramCredentials.derive("pencil",
                Base64.getDecoder().decode("QSXCR+Q6sek8bf92"), 4096);
        String authMessage = "n=user,r=fyko+d2lbbFgONRv9qkxdawL,"
                + "r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096,"
                + "c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j";

        byte[] serverSignature = ScramCredentials.hmac(credentials.serverKey(), authMessage.getBytes(StandardCharsets.UTF_8));

        assertThat(Base64.getEncoder().encodeToString(serverSignature)).isEqualTo("rmF9pqV8S7suAoZWja4dJRkFsKQ=");
    }
}
