package org.xmppcm.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.dom4j.Element;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ConcurrencyTest {
    private static final int PER_THREAD = 500;
    private final ExecutorService pool = Executors.newFixedThreadPool(4);

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    /** Checks that every thread's messages arrived, all of them, in the order that thread sent them. */
    private static void assertPerSenderOrder(List<Element> messages, List<String> threads) {
        Map<String, Integer> next = new HashMap<>();
        for (Element message : messages) {
            String[] body = message.elementText("body").split(":");
            int expected = next.getOrDefault(body[0], 0);
            assertThat(Integer.parseInt(body[1])).as("message from %s", body[0]).isEqualTo(expected);
            next.put(body[0], expected + 1);
        }
        for (String thread : threads) {
            assertThat(next.get(thread)).as("messages from %s", thread).isEqualTo(PER_THREAD);
        }
    }

    private Future<?> sender(CountDownLatch start, TestClient from, String name, String to) {
        return pool.submit(() -> {
            start.await();
            for (int i = 0; i < PER_THREAD; i++) {
                from.send("<message type='chat' to='" + to + "'><body>" + name + ":" + i + "</body></message>");
            }
            return null;
        });
    }

    @Test
    void messagesSentFromSeveralThreadsBetweenTwoSessionsAllArriveInPerSenderOrder() throws Exception {
        DemoHost host = DemoHost.withDemoDefaults();
        TestClient alice = new TestClient(host).login("alice", "home").online();
        TestClient bob = new TestClient(host).login("bob", "desk").online();
        alice.take();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> senders = new ArrayList<>();
        senders.add(sender(start, alice, "a1", "bob@localhost/desk"));
        senders.add(sender(start, alice, "a2", "bob@localhost"));
        senders.add(sender(start, bob, "b1", "alice@localhost/home"));
        senders.add(sender(start, bob, "b2", "alice@localhost"));

        start.countDown();
        for (Future<?> f : senders) {
            f.get(30, TimeUnit.SECONDS);
        }

        assertPerSenderOrder(bob.take("message"), List.of("a1", "a2"));
        assertPerSenderOrder(alice.take("message"), List.of("b1", "b2"));
    }

    @Test
    void noMessageIsLostOrReorderedWhileTheRecipientComesOnline() throws Exception {
        DemoHost host = DemoHost.builder().maxOfflineMessages(PER_THREAD).build();
        TestClient alice = new TestClient(host).login("alice", "home");
        TestClient bob = new TestClient(host).login("bob", "desk");
        CountDownLatch start = new CountDownLatch(1);
        Future<?> sending = sender(start, alice, "a", "bob@localhost");

        start.countDown();
        Thread.sleep(2);
        bob.send("<presence/>");
        sending.get(30, TimeUnit.SECONDS);

        assertPerSenderOrder(bob.take("message"), List.of("a"));
        assertThat(alice.take("message")).as("no bounces").isEmpty();
    }
}
