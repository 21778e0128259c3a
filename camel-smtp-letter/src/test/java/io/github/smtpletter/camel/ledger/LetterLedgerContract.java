package io.github.smtpletter.camel.ledger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.smtpletter.letter.MailAddress;
import io.github.smtpletter.smtp.RecipientFailure;
import io.github.smtpletter.smtp.SendResult;
import io.github.smtpletter.smtp.SendStatus;
import io.github.smtpletter.smtp.SmtpReply;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every {@link LetterLedger} promises, run against each implementation by a subclass.
 */
abstract class LetterLedgerContract {

    static final Duration LONG = Duration.ofMinutes(5);
    static final Duration SHORT = Duration.ofMillis(300);
    private static final AtomicInteger KEYS = new AtomicInteger();

    /** @return the ledger under test; state may be shared between tests, every test uses its own keys */
    abstract LetterLedger ledger();

    static String key(String what) {
        return what + "-" + KEYS.incrementAndGet() + "-" + System.nanoTime() + "@example.test";
    }

    static SendResult partiallySent(String messageId) {
        return SendResult.sent(messageId, List.of(MailAddress.of("ann@example.test"), MailAddress.of(
                "bob@example.test")),
                List.of(new RecipientFailure(MailAddress.of("carl@reject.example"), 550, "5.1.1",
                        "No such user\\here\twith tab"),
                        new RecipientFailure(MailAddress.of("dora@busy.example"), 450, null, null)),
                new SmtpReply(250, "2.0.0", List.of("Ok: queued as 4BX2", "second line")));
    }

    @Test
    void aFreeKeyIsNewOnceThenInProgress() {
        String k = key("free");
        LedgerClaim first = ledger().claim(k, k, LONG, UnknownPolicy.REPORT);
        assertEquals(LedgerClaim.State.NEW, first.state());
        assertNotNull(first.token());
        assertEquals(LedgerClaim.State.IN_PROGRESS, ledger().claim(k, k, LONG, UnknownPolicy.REPORT).state());
        assertEquals(LedgerClaim.State.IN_PROGRESS, ledger().claim(k, k, LONG, UnknownPolicy.RETRY).state());
        assertTrue(ledger().result(k).isEmpty());
    }

    @Test
    void concurrentClaimsOfOneKeyGiveExactlyOneNew() throws Exception {
        int threads = 16;
        for (int round = 0; round < 5; round++) {
            String k = key("race");
            List<LedgerClaim.State> states = race(threads, () -> ledger().claim(k, k, LONG, UnknownPolicy.REPORT)
                    .state());
            assertEquals(1, states.stream().filter(s -> s == LedgerClaim.State.NEW).count(), states.toString());
            assertEquals(threads - 1, states.stream().filter(s -> s == LedgerClaim.State.IN_PROGRESS).count());
        }
    }

    @Test
    void concurrentClaimsOfManyKeysGiveOneNewPerKey() throws Exception {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            keys.add(key("many"));
        }
        Map<String, AtomicInteger> news = new ConcurrentHashMap<>();
        race(6, () -> {
            for (String k : keys) {
                LedgerClaim c = ledger().claim(k, k, LONG, UnknownPolicy.REPORT);
                if (c.state() == LedgerClaim.State.NEW) {
                    news.computeIfAbsent(k, x -> new AtomicInteger()).incrementAndGet();
                    assertTrue(ledger().complete(c, SendResult.sent(k, List.of(MailAddress.of("a@example.test")),
                            List.of(), SmtpReply.of(250, "ok"))));
                }
            }
            return null;
        });
        assertEquals(keys.size(), news.size());
        news.forEach((k, n) -> assertEquals(1, n.get(), k));
        for (String k : keys) {
            assertEquals(SendStatus.SENT, ledger().claim(k, k, LONG, UnknownPolicy.REPORT).result().status());
        }
    }

    @Test
    void aCompletedKeyIsDoneWithItsResultFaithfully() {
        String k = key("done");
        LedgerClaim c = ledger().claim(k, "mid-" + k, LONG, UnknownPolicy.REPORT);
        SendResult stored = partiallySent("mid-" + k);
        assertTrue(ledger().complete(c, stored));
        for (UnknownPolicy p : UnknownPolicy.values()) {
            LedgerClaim again = ledger().claim(k, "mid-" + k, LONG, p);
            assertEquals(LedgerClaim.State.DONE, again.state());
            assertNull(again.token());
            assertSameResult(stored, again.result());
        }
        assertSameResult(stored, ledger().result(k).orElseThrow());
    }

    @Test
    void rejectedAndUnknownResultsRoundTrip() {
        for (SendResult r : List.of(
                SendResult.rejected("r@x.test", "554 refused", new SmtpReply(554, "5.7.1", List.of("Spam")),
                        List.of(new RecipientFailure(MailAddress.of("a@x.test"), 550, "5.1.1", "no"))),
                SendResult.unknown("u@x.test", "connection reset after the end of data",
                        List.of(MailAddress.of("b@x.test")), List.of()))) {
            String k = key("trip");
            assertTrue(ledger().complete(ledger().claim(k, null, LONG, UnknownPolicy.REPORT), r));
            assertSameResult(r, ledger().claim(k, null, LONG, UnknownPolicy.REPORT).result());
        }
    }

    @Test
    void aReleasedClaimLetsTheNextAttemptSend() {
        String k = key("release");
        LedgerClaim c = ledger().claim(k, k, LONG, UnknownPolicy.REPORT);
        ledger().release(c);
        assertTrue(ledger().result(k).isEmpty());
        LedgerClaim next = ledger().claim(k, k, LONG, UnknownPolicy.REPORT);
        assertEquals(LedgerClaim.State.NEW, next.state());
        ledger().release(c); // the old claim is gone: releasing it again changes nothing
        assertEquals(LedgerClaim.State.IN_PROGRESS, ledger().claim(k, k, LONG, UnknownPolicy.REPORT).state());
        assertFalse(ledger().complete(c, partiallySent(k)), "a stale claim cannot store a result");
        assertTrue(ledger().complete(next, partiallySent(k)));
    }

    @Test
    void anExpiredClaimBecomesUnknownUnderReport() {
        String k = key("expired");
        LedgerClaim c = ledger().claim(k, "mid-" + k, SHORT, UnknownPolicy.REPORT);
        LedgerClaim found = awaitNotInProgress(k, UnknownPolicy.REPORT);
        assertEquals(LedgerClaim.State.DONE, found.state());
        assertEquals(SendStatus.UNKNOWN, found.result().status());
        assertEquals("mid-" + k, found.result().messageId());
        assertTrue(found.result().error().contains("lease"), found.result().error());
        // stored: every later claim answers the same, nothing is sent again
        assertEquals(SendStatus.UNKNOWN, ledger().claim(k, k, LONG, UnknownPolicy.REPORT).result().status());
        assertEquals(SendStatus.UNKNOWN, ledger().result(k).orElseThrow().status());
        // the attempt that held it finishes late: its true result replaces the guess
        assertTrue(ledger().complete(c, partiallySent("mid-" + k)));
        assertEquals(SendStatus.PARTIALLY_SENT, ledger().claim(k, k, LONG, UnknownPolicy.REPORT).result().status());
    }

    @Test
    void anExpiredClaimIsTakenOverUnderRetry() {
        String k = key("retry");
        LedgerClaim old = ledger().claim(k, k, SHORT, UnknownPolicy.RETRY);
        LedgerClaim taken = awaitNotInProgress(k, UnknownPolicy.RETRY);
        assertEquals(LedgerClaim.State.NEW, taken.state());
        assertFalse(taken.token().equals(old.token()));
        assertFalse(ledger().complete(old, partiallySent(k)), "the old attempt lost its claim");
        ledger().release(old);
        assertEquals(LedgerClaim.State.IN_PROGRESS, ledger().claim(k, k, LONG, UnknownPolicy.REPORT).state());
        assertTrue(ledger().complete(taken, partiallySent(k)));
    }

    @Test
    void aStoredUnknownIsDoneUnderReportAndTakenOverUnderRetry() {
        String k = key("unknown");
        assertTrue(ledger().complete(ledger().claim(k, k, LONG, UnknownPolicy.REPORT),
                SendResult.unknown(k, "broke after the end of data", List.of(), List.of())));
        assertEquals(LedgerClaim.State.DONE, ledger().claim(k, k, LONG, UnknownPolicy.REPORT).state());
        LedgerClaim retry = ledger().claim(k, k, LONG, UnknownPolicy.RETRY);
        assertEquals(LedgerClaim.State.NEW, retry.state());
        assertEquals(LedgerClaim.State.IN_PROGRESS, ledger().claim(k, k, LONG, UnknownPolicy.RETRY).state());
        assertTrue(ledger().result(k).isEmpty());
    }

    @Test
    void concurrentTakeOversOfAnExpiredClaimGiveOneNew() throws Exception {
        String k = key("takeover");
        ledger().claim(k, k, SHORT, UnknownPolicy.RETRY);
        // a probe key claimed after it with the same lease expires after it: wait on the probe, leaving k untouched
        String probe = key("probe");
        ledger().claim(probe, probe, SHORT, UnknownPolicy.REPORT);
        awaitNotInProgress(probe, UnknownPolicy.REPORT);
        List<LedgerClaim.State> states = race(12, () -> ledger().claim(k, k, LONG, UnknownPolicy.RETRY).state());
        assertEquals(1, states.stream().filter(s -> s == LedgerClaim.State.NEW).count(), states.toString());
        assertEquals(11, states.stream().filter(s -> s == LedgerClaim.State.IN_PROGRESS).count(), states.toString());
    }

    @Test
    void badArgumentsAreRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> ledger().claim(" ", null, LONG, UnknownPolicy.REPORT));
        assertThrows(IllegalArgumentException.class,
                () -> ledger().claim(key("bad"), null, Duration.ZERO, UnknownPolicy.REPORT));
        assertThrows(IllegalArgumentException.class,
                () -> ledger().complete(LedgerClaim.held("x"), partiallySent("x")));
    }

    private LedgerClaim awaitNotInProgress(String k, UnknownPolicy policy) {
        return Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> ledger().claim(k, k, LONG, policy), c -> c.state() != LedgerClaim.State.IN_PROGRESS);
    }

    static <T> List<T> race(int threads, Callable<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return task.call();
                }));
            }
            start.countDown();
            List<T> out = new ArrayList<>();
            for (Future<T> f : futures) {
                out.add(f.get(60, TimeUnit.SECONDS));
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    static void assertSameResult(SendResult expected, SendResult actual) {
        assertEquals(expected.status(), actual.status());
        assertEquals(expected.messageId(), actual.messageId());
        assertEquals(expected.acceptedRecipients(), actual.acceptedRecipients());
        assertEquals(expected.rejectedRecipients(), actual.rejectedRecipients());
        assertEquals(String.valueOf(expected.serverReply()), String.valueOf(actual.serverReply()));
        assertEquals(expected.queueId(), actual.queueId());
        assertEquals(expected.error(), actual.error());
        assertEquals(expected.isRetryable(), actual.isRetryable());
        assertEquals(expected.toString(), actual.toString());
    }
}
