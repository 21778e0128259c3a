package io.github.smtpletter.smtp;

import java.time.Duration;

import io.github.smtpletter.testsupport.TestParameters;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The read timeout bounds a whole reply, not each read: a server that trickles a reply (a byte or a continuation line
 * at a time, each well within the timeout) is cut off when the bound runs out, for every reply of the dialogue. The
 * peer would go on trickling for 20 s; the bound is 1 s, the assertions allow several seconds for a busy machine.
 */
class SmtpReplyDeadlineTest extends ScriptedTestSupport {

    private static final Duration PAUSE = Duration.ofMillis(250);
    private static final int PIECES = 80; // 80 pauses: 20 s of trickle
    private static final long BOUND_MS = 1000;
    private static final long MAX_MS = 8000;

    @Test
    void aGreetingTrickledByteByByteEndsWithinTheReadTimeout() throws Exception {
        peer(c -> c.trickle(PAUSE, bytes("220-" + "x".repeat(PIECES - 4))));
        SendResult r = timedSend(params().readTimeout(Duration.ofMillis(BOUND_MS)));
        assertEquals(SendStatus.FAILED, r.status(), r::toString);
        assertTrue(r.isRetryable());
        assertTrue(r.error().contains("no reply within " + BOUND_MS + " ms"), r.error());
    }

    @Test
    void anEhloReplyTrickledLineByLineEndsWithinTheReadTimeout() throws Exception {
        peer(c -> {
            c.send("220 peer.test ESMTP");
            c.expect("EHLO *");
            c.trickle(PAUSE, lines("250-"));
        });
        SendResult r = timedSend(params().readTimeout(Duration.ofMillis(BOUND_MS)));
        assertEquals(SendStatus.FAILED, r.status(), r::toString);
        assertTrue(r.error().contains("no reply within " + BOUND_MS + " ms"), r.error());
    }

    @Test
    void anAuthChallengeTrickledByteByByteEndsWithinTheReadTimeout() throws Exception {
        peer(c -> {
            c.greetAndEhlo("AUTH LOGIN");
            c.expect("AUTH LOGIN");
            c.trickle(PAUSE, bytes("334 " + "V".repeat(PIECES - 4)));
        });
        SendResult r = timedSend(params().readTimeout(Duration.ofMillis(BOUND_MS)).authMechanism("LOGIN")
                .username("u").password("p4ss").allowPlaintextAuth(true));
        assertEquals(SendStatus.FAILED, r.status(), r::toString);
        assertTrue(r.error().contains("no reply within " + BOUND_MS + " ms"), r.error());
    }

    @Test
    void aRcptReplyTrickledLineByLineEndsWithinTheReadTimeout() throws Exception {
        peer(c -> {
            c.greetAndEhlo();
            c.expect("MAIL FROM:<sender@example.test>");
            c.send("250 ok");
            c.expect("RCPT TO:<a@example.test>");
            c.trickle(PAUSE, lines("250-"));
        });
        SendResult r = timedSend(params().readTimeout(Duration.ofMillis(BOUND_MS)));
        assertEquals(SendStatus.FAILED, r.status(), r::toString);
        assertTrue(r.isRetryable(), "nothing of the message went over");
        assertTrue(r.error().contains("no reply within " + BOUND_MS + " ms"), r.error());
    }

    @Test
    void theReplyToTheEndOfDataTrickledLineByLineEndsWithinTheDataTimeout() throws Exception {
        peer(c -> {
            c.greetAndEhlo();
            c.expect("MAIL FROM:<sender@example.test>");
            c.send("250 ok");
            c.expect("RCPT TO:<a@example.test>");
            c.send("250 ok");
            c.expect("DATA");
            c.send("354 go");
            c.readData();
            c.trickle(PAUSE, lines("250-"));
        });
        SendResult r = timedSend(params().dataTimeout(Duration.ofMillis(BOUND_MS)));
        assertEquals(SendStatus.UNKNOWN, r.status(), r::toString);
        assertFalse(r.isRetryable());
        assertTrue(r.error().contains("no reply within " + BOUND_MS + " ms"), r.error());
    }

    @Test
    void theReplyToBdatLastTrickledByteByByteEndsWithinTheDataTimeout() throws Exception {
        peer(c -> {
            c.greetAndEhlo("CHUNKING");
            c.expect("MAIL FROM:<sender@example.test>");
            c.send("250 ok");
            c.expect("RCPT TO:<a@example.test>");
            c.send("250 ok");
            c.expectBdat(true);
            c.trickle(PAUSE, bytes("250-" + "x".repeat(PIECES - 4)));
        });
        SendResult r = timedSend(params().dataTimeout(Duration.ofMillis(BOUND_MS)));
        assertEquals(SendStatus.UNKNOWN, r.status(), r::toString);
        assertFalse(r.isRetryable());
        assertTrue(r.error().contains("no reply within " + BOUND_MS + " ms"), r.error());
    }

    private SendResult timedSend(TestParameters p) throws Exception {
        client();
        long t0 = System.nanoTime();
        SendResult r = client.send(p.build(), letter("x", "a@example.test")).get(0);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        peer.assertNoErrors();
        assertTrue(ms < MAX_MS, "send took " + ms + " ms with a bound of " + BOUND_MS + " ms");
        assertEquals(1, peer.connectionCount());
        return r;
    }

    private static String[] bytes(String s) {
        return s.chars().mapToObj(ch -> String.valueOf((char) ch)).toArray(String[]::new);
    }

    private static String[] lines(String prefix) {
        String[] lines = new String[PIECES];
        for (int i = 0; i < PIECES; i++) {
            lines[i] = prefix + "line " + i + "\r\n";
        }
        return lines;
    }
}
