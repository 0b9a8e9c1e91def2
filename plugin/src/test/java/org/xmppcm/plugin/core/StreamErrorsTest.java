package org.xmppcm.plugin.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.dom4j.Element;
import org.junit.jupiter.api.Test;
import org.xmppcm.protocol.cm.XmlDom;
import org.xmppcm.protocol.xml.StreamErrorCondition;

class StreamErrorsTest {
    private static Element error(String inner) throws Exception {
        return XmlDom.parse("<stream:error xmlns:stream='http://etherx.jabber.org/streams'>" + inner
                + "</stream:error>", null);
    }

    /** Verifies that the defined condition is found whether or not a text element comes first. */
    @Test
    void findsTheConditionBesideText() throws Exception {
        assertThat(StreamErrors.conditionOf(error("<conflict xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>")))
                .isEqualTo(StreamErrorCondition.CONFLICT);
        assertThat(StreamErrors.conditionOf(error("<text xmlns='urn:ietf:params:xml:ns:xmpp-streams'>bye</text>"
                + "<not-authorized xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>")))
                .isEqualTo(StreamErrorCondition.NOT_AUTHORIZED);
    }

    /** Verifies that RFC 3920's name for a not-well-formed stream maps to RFC 6120's. */
    @Test
    void mapsTheRfc3920Name() throws Exception {
        assertThat(StreamErrors.conditionOf(error("<xml-not-well-formed xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>")))
                .isEqualTo(StreamErrorCondition.NOT_WELL_FORMED);
    }

    /** Verifies that an unknown, foreign or missing condition becomes undefined-condition. */
    @Test
    void unknownOrMissingConditionsAreUndefined() throws Exception {
        assertThat(StreamErrors.conditionOf(error("<invalid-id xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>")))
                .isEqualTo(StreamErrorCondition.UNDEFINED_CONDITION);
        assertThat(StreamErrors.conditionOf(error("<conflict xmlns='urn:example:app'/>")))
                .isEqualTo(StreamErrorCondition.UNDEFINED_CONDITION);
        assertThat(StreamErrors.conditionOf(error(""))).isEqualTo(StreamErrorCondition.UNDEFINED_CONDITION);
    }

    /** Verifies that a session Openfire ends without an error is reported as a policy violation. */
    @Test
    void serverCloseWithoutErrorIsPolicyViolation() throws Exception {
        assertThat(StreamErrors.forServerClose(null)).isEqualTo(StreamErrorCondition.POLICY_VIOLATION);
        assertThat(StreamErrors.forServerClose(error("<system-shutdown xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>")))
                .isEqualTo(StreamErrorCondition.SYSTEM_SHUTDOWN);
    }
}
