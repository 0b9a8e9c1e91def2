package org.xmppcm.protocol.ack;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SentLedgerTest {

    @Test
    void anAcknowledgementForgetsWhatItCoversAndNoMore() {
        SentLedger<String> ledger = new SentLedger<>();
        for (int i = 1; i <= 5; i++) {
            assertThat(ledger.sent("e" + i, 10)).isEqualTo(i);
        }
        assertThat(ledger.acknowledged(3)).isTrue();
        assertThat(ledger.size()).isEqualTo(2);
        assertThat(ledger.bytes()).isEqualTo(20);
        assertThat(ledger.acknowledged(2)).as("a stale answer changes nothing").isTrue();
        assertThat(ledger.size()).isEqualTo(2);
        assertThat(ledger.acknowledged(6)).as("more than was sent").isFalse();
    }

    @Test
    void aTakeoverGetsWhatThePeerDidNotReceiveInOrder() {
        SentLedger<String> ledger = new SentLedger<>();
        for (int i = 1; i <= 5; i++) {
            ledger.sent("e" + i, 1);
        }
        ledger.acknowledged(1);
        assertThat(ledger.takeAfter(3)).extracting(SentLedger.Entry::item).containsExactly("e4", "e5");
        assertThat(ledger.size()).isZero();
        assertThat(ledger.bytes()).isZero();
        assertThat(ledger.takeAfter(9)).isNull();
    }

    @Test
    void aFencedLinkHandlesNothingMoreAndItsCountIsFinal() {
        InboundCount inbound = new InboundCount();
        int[] handled = new int[1];
        assertThat(inbound.handle(() -> handled[0]++)).isTrue();
        assertThat(inbound.handle(() -> handled[0]++)).isTrue();
        assertThat(inbound.fence(100)).isEqualTo(2);
        assertThat(inbound.handle(() -> handled[0]++)).isFalse();
        assertThat(handled[0]).isEqualTo(2);
        assertThat(inbound.received()).isEqualTo(2);
    }

    @Test
    void onlyRoutesAndIqsAreCounted() {
        assertThat(AckElements.isCounted("<route streamid='s'>x</route>")).isTrue();
        assertThat(AckElements.isCounted("<iq type='result' id='1'/>")).isTrue();
        assertThat(AckElements.isCounted("<iqx/>")).isFalse();
        assertThat(AckElements.isCounted(AckElements.REQUEST)).isFalse();
        assertThat(AckElements.isCounted(" ")).isFalse();
        assertThat(AckElements.isCounted("<route streamid='s'/>".getBytes())).isTrue();
    }
}
