package io.github.smtpletter.smtp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.github.smtpletter.testsupport.ScriptedSmtpPeer;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Letters of separate calls streaming over one pooled connection: a call that finds every connection busy joins a
 * connection's stream, first come first served, and its first letter's commands go in the same flight as the end of
 * the letter before it, whichever call that came from. While the pool may open more connections, concurrent calls
 * go out in parallel on connections of their own.
 */
class SmtpClientStreamTest extends ScriptedTestSupport {

    /** MAIL, RCPT, DATA of one letter, read but not answered yet. */
    private static void envelope(ScriptedSmtpPeer.Conn c, String rcpt) throws IOException {
        c.expect("MAIL FROM:<sender@example.test>");
        c.expect("RCPT TO:<" + rcpt + ">");
        c.expect("DATA");
    }

    private SmtpConnectionParameters oneConnection() {
        return params().maxConnections(1).build();
    }

    /** Calls b, c, d, e ... queued (in this order) while letter a holds the only connection. */
    private List<CompletableFuture<List<SendResult>>> callsWhileTheFirstHoldsTheConnection(
                                                                                           SmtpConnectionParameters p,
                                                                                           CountDownLatch firstInData,
                                                                                           String... rcpts)
            throws Exception {
        List<CompletableFuture<List<SendResult>>> calls = new ArrayList<>();
        calls.add(client.sendAsync(p, List.of(letter("a\r\n", "a@example.test"))));
        assertTrue(firstInData.await(10, TimeUnit.SECONDS));
        for (String r : rcpts) {
            calls.add(client.sendAsync(p, List.of(letter(r + "\r\n", r + "@example.test"))));
        }
        return calls;
    }

    @Test
    void callsWaitingForABusyConnectionJoinItsStreamInArrivalOrderEachWithItsOwnResult() throws Exception {
        CountDownLatch firstInData = new CountDownLatch(1);
        SmtpConnectionParameters[] p = new SmtpConnectionParameters[1];
        peer(c -> {
            c.greetAndEhlo("PIPELINING");
            envelope(c, "a@example.test");
            c.send("250 ok", "250 ok", "354 go");
            c.readData();
            firstInData.countDown();
            await("three calls waiting").atMost(Duration.ofSeconds(10))
                    .until(() -> client.waitingCalls(p[0]) == 3);
            c.send("250 ok: queued as A");
            envelope(c, "b@example.test");
            c.send("250 ok", "250 ok", "354 go");
            c.readData();
            // b's end and c's commands in one flight: the peer answers b only once c's DATA came (else deadlock)
            envelope(c, "c@example.test");
            c.send("250 ok: queued as B", "250 ok", "250 ok", "354 go");
            c.readData();
            envelope(c, "d@example.test");
            c.send("250 ok: queued as C", "250 ok", "250 ok", "354 go");
            c.readData();
            c.send("250 ok: queued as D");
            c.expectQuit();
        });
        client();
        p[0] = oneConnection();
        List<CompletableFuture<List<SendResult>>> calls = callsWhileTheFirstHoldsTheConnection(p[0], firstInData,
                "b", "c", "d");
        List<String> queueIds = new ArrayList<>();
        for (CompletableFuture<List<SendResult>> call : calls) {
            List<SendResult> r = call.get(10, TimeUnit.SECONDS);
            assertStatuses(r, SendStatus.SENT);
            queueIds.add(r.get(0).queueId());
        }
        client.close();
        peer.assertNoErrors();
        assertEquals(List.of("A", "B", "C", "D"), queueIds);
        assertEquals(1, peer.connectionCount());
    }

    @Test
    void concurrentCallsTakeConnectionsOfTheirOwnWhileThePoolMayOpenMore() throws Exception {
        // every connection holds its letter's final reply until all three letters are in DATA at once: a call
        // that joined a busy connection's stream instead would never reach the others, and the test would time out
        CountDownLatch allInData = new CountDownLatch(3);
        ScriptedSmtpPeer.Script script = c -> {
            c.greetAndEhlo("PIPELINING");
            envelope(c, "x@example.test");
            c.send("250 ok", "250 ok", "354 go");
            c.readData();
            allInData.countDown();
            assertTrue(allInData.await(10, TimeUnit.SECONDS), "three letters in DATA on three connections");
            c.send("250 ok: queued as Q" + c.index());
            c.expectQuit();
        };
        peer(script, script, script);
        client();
        SmtpConnectionParameters p = params().maxConnections(16).build();
        List<CompletableFuture<List<SendResult>>> calls = new ArrayList<>();
        for (String text : List.of("a", "b", "c")) {
            calls.add(client.sendAsync(p, List.of(letter(text + "\r\n", "x@example.test"))));
        }
        for (CompletableFuture<List<SendResult>> call : calls) {
            assertStatuses(call.get(15, TimeUnit.SECONDS), SendStatus.SENT);
        }
        client.close();
        peer.assertNoErrors();
        assertEquals(3, peer.connectionCount());
    }

    @Test
    void aStreamBrokenAfterTheEndOfOneCallsLetterMakesItUnknownAndTheLaterCallsFailedToRetry() throws Exception {
        CountDownLatch firstInData = new CountDownLatch(1);
        SmtpConnectionParameters[] p = new SmtpConnectionParameters[1];
        ScriptedSmtpPeer.Script first = c -> {
            c.greetAndEhlo("PIPELINING");
            envelope(c, "a@example.test");
            c.send("250 ok", "250 ok", "354 go");
            c.readData();
            firstInData.countDown();
            await("four calls waiting").atMost(Duration.ofSeconds(10))
                    .until(() -> client.waitingCalls(p[0]) == 4);
            c.send("250 ok: queued as A");
            envelope(c, "b@example.test");
            c.send("250 ok", "250 ok", "354 go");
            c.readData(); // b's end of data arrived
            envelope(c, "c@example.test"); // and c's commands in the same flight
            c.drop(); // before any reply: b may have been taken, c was not
        };
        ScriptedSmtpPeer.Script refuse = c -> {
            c.send("421 4.3.2 shutting down");
            c.awaitClientClose();
        };
        peer = new ScriptedSmtpPeer(0, Duration.ofSeconds(10), refuse, List.of(first));
        client();
        p[0] = oneConnection();
        List<CompletableFuture<List<SendResult>>> calls = callsWhileTheFirstHoldsTheConnection(p[0], firstInData,
                "b", "c", "d", "e");
        List<SendResult> results = new ArrayList<>();
        for (CompletableFuture<List<SendResult>> call : calls) {
            List<SendResult> r = call.get(10, TimeUnit.SECONDS);
            assertEquals(1, r.size());
            results.add(r.get(0));
        }
        client.close();
        peer.assertNoErrors();
        assertStatuses(results, SendStatus.SENT, SendStatus.UNKNOWN, SendStatus.FAILED, SendStatus.FAILED,
                SendStatus.FAILED);
        assertEquals("A", results.get(0).queueId());
        assertTrue(results.get(1).error().contains("lost after the end of the message"), results.get(1)::toString);
        for (int i = 2; i < 5; i++) {
            assertTrue(results.get(i).isRetryable(), results.get(i)::toString);
        }
        String wire = new String(peer.connections().get(0).received(), StandardCharsets.US_ASCII);
        assertFalse(wire.contains("\r\nd\r\n") || wire.contains("<d@example.test>"), "d never went");
        for (int i = 1; i < peer.connections().size(); i++) {
            String other = new String(peer.connections().get(i).received(), StandardCharsets.US_ASCII);
            assertFalse(other.contains("MAIL FROM"), "nothing went on a refused connection");
        }
    }

    @Test
    void aConnectionRefusedWith421ShrinksThePoolAndTheLetterWaitsForTheOpenOne() throws Exception {
        CountDownLatch firstInData = new CountDownLatch(1);
        SmtpConnectionParameters[] params = new SmtpConnectionParameters[1];
        peer(c -> {
            c.greetAndEhlo("PIPELINING");
            envelope(c, "a@example.test");
            c.send("250 ok", "250 ok", "354 go");
            c.readData();
            firstInData.countDown();
            await("the pool to shrink after the 421").atMost(Duration.ofSeconds(10))
                    .until(() -> client.connectionLimit(params[0]) == 1 && client.waitingCalls(params[0]) == 1);
            c.send("250 ok: queued as A");
            envelope(c, "b@example.test");
            c.send("250 ok", "250 ok", "354 go");
            c.readData();
            c.send("250 ok: queued as B");
            c.expectQuit();
        }, c -> {
            c.send("421 4.7.0 too many connections from your host");
            c.awaitClientClose();
        });
        client();
        SmtpConnectionParameters p = params().maxConnections(2).build();
        params[0] = p;
        CompletableFuture<List<SendResult>> a = client.sendAsync(p, List.of(letter("a\r\n", "a@example.test")));
        assertTrue(firstInData.await(10, TimeUnit.SECONDS));
        CompletableFuture<List<SendResult>> b = client.sendAsync(p, List.of(letter("b\r\n", "b@example.test")));
        List<SendResult> ra = a.get(10, TimeUnit.SECONDS);
        List<SendResult> rb = b.get(10, TimeUnit.SECONDS);
        assertEquals(1, client.connectionLimit(p), "the pool keeps to one connection for a while");
        client.close();
        peer.assertNoErrors();
        assertStatuses(ra, SendStatus.SENT);
        assertStatuses(rb, SendStatus.SENT);
        assertEquals("B", rb.get(0).queueId());
        assertEquals(2, peer.connectionCount());
    }

    @Test
    void aSynchronousCallerWaitingForTheStreamGetsItsResultAndTheConnectionIsIdleAfterwards() throws Exception {
        CountDownLatch firstInData = new CountDownLatch(1);
        SmtpConnectionParameters[] p = new SmtpConnectionParameters[1];
        peer(c -> {
            c.greetAndEhlo("PIPELINING");
            envelope(c, "a@example.test");
            c.send("250 ok", "250 ok", "354 go");
            c.readData();
            firstInData.countDown();
            await("a call waiting").atMost(Duration.ofSeconds(10)).until(() -> client.waitingCalls(p[0]) == 1);
            c.send("250 ok: queued as A");
            envelope(c, "b@example.test");
            c.send("250 ok", "250 ok", "354 go");
            c.readData();
            c.send("250 ok: queued as B");
            c.expectQuit();
        });
        client();
        p[0] = oneConnection();
        CompletableFuture<List<SendResult>> a = client.sendAsync(p[0], List.of(letter("a\r\n", "a@example.test")));
        assertTrue(firstInData.await(10, TimeUnit.SECONDS));
        List<SendResult> b = client.send(p[0], letter("b\r\n", "b@example.test"));
        assertStatuses(b, SendStatus.SENT);
        assertEquals(new ConnectionPool.Stats(1, 1, 0), client.poolStats(p[0]));
        assertStatuses(a.get(10, TimeUnit.SECONDS), SendStatus.SENT);
        client.close();
        peer.assertNoErrors();
    }
}
