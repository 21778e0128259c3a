package io.github.smtpletter.smtp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.smtpletter.letter.Letter;
import io.github.smtpletter.testsupport.ScriptedSmtpPeer;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Whose threads the client runs on, and who stops them. */
class SmtpClientThreadsTest extends ScriptedTestSupport {

    /** Four pipelined DATA transactions, then QUIT. */
    private static final ScriptedSmtpPeer.Script FOUR_LETTERS = c -> {
        c.greetAndEhlo("PIPELINING");
        for (int i = 0; i < 4; i++) {
            c.expect("MAIL FROM:<sender@example.test>");
            c.expect("RCPT TO:*");
            c.expect("DATA");
            c.send("250 ok", "250 ok", "354 go");
            c.readData();
            c.send("250 ok");
        }
        c.expectQuit();
    };

    private static List<Letter> eightLetters() {
        List<Letter> letters = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            letters.add(letter("letter " + i, "r" + i + "@example.test"));
        }
        return letters;
    }

    private static Set<Thread> threadsNamedLikeOurs() {
        Set<Thread> threads = new HashSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("smtp-letter-")) {
                threads.add(t);
            }
        }
        return threads;
    }

    @Test
    void aPlainClientRunsOnDaemonThreadsOfItsOwnAndCloseStopsThem() throws Exception {
        Set<Thread> before = threadsNamedLikeOurs();
        peer(FOUR_LETTERS, FOUR_LETTERS);
        client();
        List<SendResult> results = client.send(params().maxConnections(2).build(), eightLetters());
        assertEquals(8, results.stream().filter(r -> r.status() == SendStatus.SENT).count(), results::toString);

        Set<Thread> created = threadsNamedLikeOurs();
        created.removeAll(before);
        List<String> names = created.stream().map(Thread::getName).toList();
        assertTrue(names.stream().anyMatch(n -> n.matches("smtp-letter-\\d+-sender-\\d+")), names::toString);
        assertTrue(names.stream().anyMatch(n -> n.matches("smtp-letter-\\d+-timer")), names::toString);
        assertTrue(created.stream().allMatch(Thread::isDaemon), names::toString);

        client.close();
        await("the client's threads to end").atMost(Duration.ofSeconds(5)).until(() -> created.stream().noneMatch(
                Thread::isAlive));
        peer.assertNoErrors();
    }

    @Test
    void aClientOnTheCallersThreadsUsesThemAndLeavesThemRunning() throws Exception {
        AtomicInteger senderThreads = new AtomicInteger();
        ExecutorService senders = Executors.newCachedThreadPool(r -> {
            senderThreads.incrementAndGet();
            return new Thread(r, "caller-sender");
        });
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> new Thread(r, "caller-timer"));
        timer.setRemoveOnCancelPolicy(true);
        try {
            Set<Thread> before = threadsNamedLikeOurs();
            peer(FOUR_LETTERS, FOUR_LETTERS);
            client = new SmtpClient(senders, timer);
            List<SendResult> results = client.send(params().maxConnections(2).build(), eightLetters());
            assertEquals(8, results.stream().filter(r -> r.status() == SendStatus.SENT).count(), results::toString);
            assertTrue(senderThreads.get() > 0, "the second slice ran on the caller's sender pool");
            assertFalse(timer.getQueue().isEmpty(), "eviction and write watchdog are scheduled on the caller's timer");
            Set<Thread> created = threadsNamedLikeOurs();
            created.removeAll(before);
            assertTrue(created.isEmpty(), () -> "threads of its own: " + created);

            client.close();
            assertFalse(senders.isShutdown(), "the caller's sender pool is the caller's to stop");
            assertFalse(timer.isShutdown(), "the caller's timer is the caller's to stop");
            // every connection is closed: the eviction is cancelled and the write watchdog stops itself
            await("no task of the client left on the timer").atMost(Duration.ofSeconds(5)).until(() -> timer.getQueue()
                    .isEmpty());
            peer.assertNoErrors();
        } finally {
            senders.shutdownNow();
            timer.shutdownNow();
        }
    }

    @Test
    void aPlainClientThatNeverSentStartsNoThread() {
        Set<Thread> before = threadsNamedLikeOurs();
        try (SmtpClient unused = new SmtpClient()) {
            Set<Thread> created = threadsNamedLikeOurs();
            created.removeAll(before);
            assertTrue(created.isEmpty(), () -> "started: " + created);
        }
    }
}
