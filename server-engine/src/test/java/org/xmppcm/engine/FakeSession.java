package org.xmppcm.engine;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.dom4j.Element;
import org.xmppcm.engine.host.ClientChannel;
import org.xmppcm.engine.host.ClientDescriptor;
import org.xmppcm.engine.host.HostSession;
import org.xmppcm.engine.testing.CmTestClient;

/** Records one session's callbacks. */
final class FakeSession implements HostSession {
    final ClientDescriptor client;
    final ClientChannel channel;
    final BlockingQueue<Element> received = new LinkedBlockingQueue<>();
    final BlockingQueue<Element> failed = new LinkedBlockingQueue<>();
    final AtomicInteger closedCalls = new AtomicInteger();
    private final CountDownLatch closed = new CountDownLatch(1);

    FakeSession(ClientDescriptor client, ClientChannel channel) {
        this.client = client;
        this.channel = channel;
    }

    @Override
    public void received(Element stanza) {
        received.add(stanza.createCopy());
    }

    @Override
    public void closed() {
        closedCalls.incrementAndGet();
        closed.countDown();
    }

    @Override
    public void deliveryFailed(Element stanza) {
        failed.add(stanza.createCopy());
    }

    Element awaitReceived() throws InterruptedException {
        return await(received, "received stanza");
    }

    Element awaitFailed() throws InterruptedException {
        return await(failed, "undeliverable stanza");
    }

    boolean awaitClosed() throws InterruptedException {
        return closed.await(CmTestClient.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    boolean isClosed() {
        return closedCalls.get() > 0;
    }

    private static Element await(BlockingQueue<Element> queue, String what) throws InterruptedException {
        Element e = queue.poll(CmTestClient.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (e == null) {
            throw new AssertionError("no " + what + " within " + CmTestClient.TIMEOUT);
        }
        return e;
    }
}
