package org.xmppcm.protocol.cm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xmppcm.protocol.xml.FramerListener;
import org.xmppcm.protocol.xml.StanzaFrame;
import org.xmppcm.protocol.xml.StreamOpen;
import org.xmppcm.protocol.xml.XmlStreamFramer;

class ManagerInstanceTest {
    @Test
    void theHeaderCarriesTheInstanceInOurNamespaceAndTheFramerReadsItBack() throws Exception {
        ManagerInstance instance = new ManagerInstance(1764633600123L, "9f86d081884c7d65");
        String header = CmElements.linkStreamOpen("cm1/conn1", instance);
        assertThat(header).isEqualTo("<?xml version='1.0' encoding='UTF-8'?><stream:stream"
                + " xmlns:stream='http://etherx.jabber.org/streams' xmlns='jabber:connectionmanager'"
                + " xmlns:xcm='urn:xmppcm:link:0' xcm:instance='1764633600123.9f86d081884c7d65' to='cm1/conn1'"
                + " version='1.0'>");

        StreamOpen open = frame(header);
        assertThat(open.attribute("to")).isEqualTo("cm1/conn1");
        assertThat(ManagerInstance.parse(open.attribute(Namespaces.LINK, ManagerInstance.ATTRIBUTE))).contains(instance);
    }

    @Test
    void anyPrefixBoundToOurNamespaceWorksAndAnotherNamespaceDoesNot() throws Exception {
        String ours = "<stream:stream xmlns:stream='http://etherx.jabber.org/streams' xmlns='jabber:connectionmanager'"
                + " xmlns:q='urn:xmppcm:link:0' q:instance='5.0123456789abcdef' to='cm1/conn1'>";
        assertThat(frame(ours).attribute(Namespaces.LINK, "instance")).isEqualTo("5.0123456789abcdef");
        String foreign = ours.replace("urn:xmppcm:link:0", "urn:example:other");
        assertThat(frame(foreign).attribute(Namespaces.LINK, "instance")).isNull();
    }

    @Test
    void aHeaderWithoutAnInstanceIsTheStockForm() throws Exception {
        assertThat(CmElements.linkStreamOpen("cm1/conn1", null)).isEqualTo(CmElements.linkStreamOpen("cm1/conn1"));
        assertThat(frame(CmElements.linkStreamOpen("cm1/conn1")).attribute(Namespaces.LINK, "instance")).isNull();
    }

    @Test
    void unreadableValuesNameNoInstance() {
        assertThat(ManagerInstance.parse(null)).isEmpty();
        assertThat(ManagerInstance.parse("")).isEmpty();
        assertThat(ManagerInstance.parse("123")).isEmpty();
        assertThat(ManagerInstance.parse("123.XYZ01234")).isEmpty();
        assertThat(ManagerInstance.parse("99999999999999999999.0123456789abcdef")).isEmpty();
        assertThat(ManagerInstance.parse(" 12.0123456789abcdef ")).contains(new ManagerInstance(12, "0123456789abcdef"));
    }

    @Test
    void laterStartsAreNewerAndTiesAreBrokenOneWay() {
        ManagerInstance early = new ManagerInstance(1000, "ffffffffffffffff");
        ManagerInstance late = new ManagerInstance(2000, "0000000000000000");
        assertThat(late.isNewerThan(early)).isTrue();
        assertThat(early.isNewerThan(late)).isFalse();
        ManagerInstance a = new ManagerInstance(1000, "0000000000000001");
        ManagerInstance b = new ManagerInstance(1000, "0000000000000002");
        assertThat(b.isNewerThan(a)).isNotEqualTo(a.isNewerThan(b));
        assertThat(a.isNewerThan(a)).isFalse();
    }

    @Test
    void everyStartIsAnotherInstance() {
        assertThat(ManagerInstance.startingNow()).isNotEqualTo(ManagerInstance.startingNow());
        assertThat(ManagerInstance.parse(ManagerInstance.startingNow().toString())).isPresent();
    }

    private static StreamOpen frame(String header) throws Exception {
        List<StreamOpen> opens = new ArrayList<>();
        byte[] bytes = header.getBytes(StandardCharsets.UTF_8);
        new XmlStreamFramer(65536).feed(bytes, 0, bytes.length, new FramerListener() {
            @Override
            public void streamOpened(StreamOpen open) {
                opens.add(open);
            }

            @Override
            public void frame(StanzaFrame frame) {
            }

            @Override
            public void streamClosed() {
            }
        });
        assertThat(opens).hasSize(1);
        return opens.get(0);
    }
}
