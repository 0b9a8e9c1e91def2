package org.xmppcm.engine;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmppcm.protocol.ack.AckElements;
import org.xmppcm.protocol.ack.SentLedger;

/**
 * {@code <resume previd='LINK' h='N'/>} on an acknowledged link: the CM lost link {@code LINK} (or gave up on it,
 * while we still think it is up) and this link takes it over. In this order, so that each client's stanzas stay in
 * order and none is handled twice or lost:
 * <ol>
 * <li>the old link is taken out of routing and fenced: nothing more of it is handled, and the count of what we took
 *     from it is final; it is answered as {@code <resumed h='M'/>}, after which the CM sends what we did not take;</li>
 * <li>what the CM did not take of ours (after its {@code N}) goes again on this link, in the order it first went;</li>
 * <li>the sessions pinned to the old link move to this one, each sending first what it held meanwhile.</li>
 * </ol>
 * An unknown link, one already settled, or one of another manager gets {@code <failed/>}: the CM then asks after its
 * sessions one by one.
 */
final class LinkTakeover {
    private static final Logger LOG = LoggerFactory.getLogger(LinkTakeover.class);

    void resume(CmLink link, String previd, long h) {
        ManagerEntry manager = link.manager();
        CmLink old = manager.takeOver(previd, link);
        if (old == null) {
            LOG.info("connection manager link {} asked to take over unknown link {}", link, previd);
            link.sendControl(AckElements.failed(previd));
            return;
        }
        if (!old.isGone()) {
            LOG.info("connection manager link {} takes over {}, which we had not seen fail", link, old);
            old.abort(LinkCloseReason.RESUMED);
        }
        long taken = old.fence();
        List<SentLedger.Entry<CmLink.Sent>> resend = taken < 0 ? null : old.unacknowledgedAfter(h);
        if (resend == null) {
            // Stuck handling an element, or the CM counts more than we sent: give it back to the host instead.
            LOG.warn("connection manager link {} cannot take over {} (h={}, ours {})", link, old, h, taken);
            ManagerRegistry.abandon(manager, old);
            link.sendControl(AckElements.failed(previd));
            return;
        }
        link.sendControl(AckElements.resumed(previd, taken));
        for (SentLedger.Entry<CmLink.Sent> sent : resend) {
            link.send(sent.item().xml(), sent.item().session());
        }
        manager.release(old, link);
        LOG.info("connection manager link {} took over {}: {} element(s) sent again, {} taken from it", link, previd,
                resend.size(), taken);
    }
}
