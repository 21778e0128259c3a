package io.github.smtpletter.camel;

import java.io.IOException;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import javax.net.ssl.SSLContext;

import io.github.smtpletter.letter.Letter;
import io.github.smtpletter.smtp.SendResult;
import io.github.smtpletter.smtp.SendStatus;
import io.github.smtpletter.smtp.SmtpClient;
import io.github.smtpletter.testsupport.ScriptedSmtpPeer;
import io.github.smtpletter.testsupport.ScriptedSmtpPeer.Conn;
import io.github.smtpletter.testsupport.SmtpResponder;
import io.github.smtpletter.testsupport.TestTls;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;
import org.apache.camel.test.AvailablePortFinder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static io.github.smtpletter.camel.LetterSmtpTestHelper.describe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every fault, through a route, with the exact outcome of each letter and recipient.
 * <p>
 * Each row sends a batch of letters through {@code direct:send -> letter-smtp:} to a scripted SMTP peer that
 * misbehaves in one way, then checks: the status of every letter and recipient (written
 * {@code STATUS [retryable] [+accepted ...] [-refused:code ...]}), the LetterSendException carrying the same results,
 * the time it took, that no thread is left inside the SMTP client, that the pool holds no connection leased (and only
 * usable ones open), that the next exchange succeeds once the server behaves again, and that no thread of the
 * component is left once the context stopped. The endpoint's timeouts are 2 s. Letters: 1 to a and b, 2 to c, 3 to d (all {@code @t.test}); the next exchange sends one letter to next.
 */
@Timeout(90)
class LetterSmtpFaultsTest extends CamelTestSupport {

    private static final String OPTIONS = "?ehloName=client.test&readTimeout=2s&dataTimeout=2s&connectTimeout=2s";
    private static final long TIMEOUT_MS = 2000;
    private static final String AUTH = "&authMechanism=PLAIN&username=robot&password=RAW(s3cret)"
                                       + "&allowPlaintextAuth=true";
    private static final String STARTTLS = "&security=STARTTLS&sslContextParameters=#tls&verifyHostname=false";

    /** What a row's scripts can use: the peer's lenient server loop and a latch released after the send. */
    static final class Ctx {
        final SmtpResponder responder;
        final CountDownLatch sent = new CountDownLatch(1);

        Ctx(String... extensions) {
            responder = new SmtpResponder(extensions);
        }

        /** Holds the connection without reading until the faulty exchange is over, then drains it. */
        void holdUntilSent(Conn c) throws Exception {
            sent.await(30, TimeUnit.SECONDS);
            try {
                c.awaitClientClose();
            } catch (SocketException reset) {
                // the client gave up and closed the connection with data unread
            }
        }
    }

    @FunctionalInterface
    interface Step {
        void run(Conn c, Ctx x) throws Exception;
    }

    /**
     * One fault.
     *
     * @param name      what goes wrong
     * @param options   extra endpoint options
     * @param refused   nothing listens during the faulty exchange (connection refused)
     * @param scripts   the peer's first connections
     * @param back      every later connection: the server behaving again
     * @param letters   how many letters the batch has (2 or 3); {@code big}: letter 1 is 16 MB
     * @param expected  each letter's outcome
     * @param hint      a text the first letter not sent names in its error
     * @param openAfter connections the pool keeps open after the faulty exchange
     * @param silent    the peer stops answering: the exchange costs about one read timeout
     */
    record Fault(String name, String options, boolean refused, List<Step> scripts, Step back, int letters,
            boolean big, List<String> expected, String hint, int openAfter, boolean silent) {

        @Override
        public String toString() {
            return name;
        }
    }

    private static Fault row(String name, List<Step> scripts, int letters, List<String> expected, String hint,
                             int openAfter) {
        return new Fault(name, "", false, scripts, (c, x) -> x.responder.run(c), letters, false, expected, hint,
                openAfter, false);
    }

    private static Fault with(Fault f, String options, Step back) {
        return new Fault(f.name, options, f.refused, f.scripts, back, f.letters, f.big, f.expected, f.hint,
                f.openAfter, f.silent);
    }

    private static Fault big(Fault f) {
        return new Fault(f.name, f.options, f.refused, f.scripts, f.back, f.letters, true, f.expected, f.hint,
                f.openAfter, f.silent);
    }

    private static Fault silent(Fault f) {
        return new Fault(f.name, f.options, f.refused, f.scripts, f.back, f.letters, f.big, f.expected, f.hint,
                f.openAfter, true);
    }

    // ------------------------------------------------------------------------------------------ script steps

    private static void greet(Conn c, String... extensions) throws IOException {
        c.send("220 peer.test ESMTP");
        c.expect("EHLO client.test");
        String[] texts = new String[extensions.length + 1];
        texts[0] = "peer.test";
        System.arraycopy(extensions, 0, texts, 1, extensions.length);
        c.reply(250, texts);
    }

    private static void mail(Conn c, String reply) throws IOException {
        c.expect("MAIL FROM:<sender@t.test>");
        c.send(reply);
    }

    private static void rcpt(Conn c, String rcpt, String reply) throws IOException {
        c.expect("RCPT TO:<" + rcpt + ">");
        c.send(reply);
    }

    private static void envelope(Conn c, String... rcpts) throws IOException {
        mail(c, "250 2.1.0 Ok");
        for (String r : rcpts) {
            rcpt(c, r, "250 2.1.5 Ok");
        }
    }

    private static void data(Conn c, String finalReply) throws IOException {
        c.expect("DATA");
        c.send("354 End data with <CR><LF>.<CR><LF>");
        c.readData();
        if (finalReply != null) {
            c.send(finalReply);
        }
    }

    private static void accept(Conn c, String... rcpts) throws IOException {
        envelope(c, rcpts);
        data(c, "250 2.0.0 Ok: queued as P1");
    }

    private static void rset(Conn c) throws IOException {
        c.expect("RSET");
        c.send("250 2.0.0 Ok");
    }

    private static final String A = "a@t.test";
    private static final String B = "b@t.test";
    private static final String C = "c@t.test";
    private static final String D = "d@t.test";

    private static final String SENT_1 = "SENT +a@t.test +b@t.test";
    private static final String SENT_2 = "SENT +c@t.test";
    private static final String SENT_3 = "SENT +d@t.test";
    private static final String FAILED = "FAILED retryable";

    static Stream<Fault> faults() {
        Step tlsBack = (c, x) -> {
            greet(c, "STARTTLS");
            c.expect("STARTTLS");
            c.send("220 2.0.0 Ready to start TLS");
            c.startTls(SERVER_TLS);
            x.responder.serve(c);
        };
        Step authBack = (c, x) -> x.responder.run(c); // offers AUTH PLAIN (see the test)
        List<Fault> rows = new ArrayList<>();
        rows.add(new Fault("connection refused", "", true, List.of(), (c, x) -> x.responder.run(c), 2, false,
                List.of(FAILED, FAILED), "cannot connect", 0, false));
        rows.add(row("greeting 554", List.of((c, x) -> {
            c.send("554 5.3.2 No SMTP service here");
            c.awaitClientClose();
        }), 2, List.of("FAILED", "FAILED"), "554 5.3.2", 0));
        rows.add(row("greeting 421", List.of((c, x) -> {
            c.send("421 4.3.2 Service not available, closing");
            c.awaitClientClose();
        }), 2, List.of(FAILED, FAILED), "421 4.3.2", 0));
        rows.add(row("EHLO and HELO refused", List.of((c, x) -> {
            c.send("220 peer.test ESMTP");
            c.expect("EHLO client.test");
            c.send("550 5.5.2 Not with you");
            c.expect("HELO client.test");
            c.send("550 5.5.2 Not at all");
            c.awaitClientClose();
        }), 2, List.of("FAILED", "FAILED"), "refused EHLO and HELO", 0));
        rows.add(row("EHLO 421", List.of((c, x) -> {
            c.send("220 peer.test ESMTP");
            c.expect("EHLO client.test");
            c.send("421 4.3.2 Going down");
            c.awaitClientClose();
        }), 2, List.of(FAILED, FAILED), "421 4.3.2", 0));
        rows.add(with(row("STARTTLS refused (454)", List.of((c, x) -> {
            greet(c, "STARTTLS");
            c.expect("STARTTLS");
            c.send("454 4.7.0 TLS not available due to local problem");
            c.awaitClientClose();
        }), 2, List.of(FAILED, FAILED), "454 4.7.0", 0), STARTTLS, tlsBack));
        rows.add(with(row("STARTTLS not offered", List.of((c, x) -> {
            greet(c);
            c.awaitClientClose();
        }), 2, List.of("FAILED", "FAILED"), "does not offer STARTTLS", 0), STARTTLS, tlsBack));
        rows.add(with(row("AUTH 454", List.of((c, x) -> {
            greet(c, "AUTH PLAIN");
            c.expect("AUTH PLAIN *");
            c.send("454 4.7.0 Temporary authentication failure");
            c.awaitClientClose();
        }), 2, List.of(FAILED, FAILED), "454 4.7.0", 0), AUTH, authBack));
        rows.add(with(row("AUTH 535", List.of((c, x) -> {
            greet(c, "AUTH PLAIN");
            c.expect("AUTH PLAIN *");
            c.send("535 5.7.8 Authentication credentials invalid");
            c.awaitClientClose();
        }), 2, List.of("FAILED", "FAILED"), "535 5.7.8", 0), AUTH, authBack));
        rows.add(row("MAIL 451", List.of((c, x) -> {
            greet(c);
            mail(c, "451 4.3.0 Mailbox busy, try later");
            rset(c);
            accept(c, C);
            x.responder.serve(c);
        }), 2, List.of(FAILED, SENT_2), "451 4.3.0", 1));
        rows.add(row("MAIL 550", List.of((c, x) -> {
            greet(c);
            mail(c, "550 5.7.1 Sender refused");
            rset(c);
            accept(c, C);
            x.responder.serve(c);
        }), 2, List.of("REJECTED", SENT_2), "550 5.7.1", 1));
        rows.add(row("RCPT 550 / 452 for some recipients", List.of((c, x) -> {
            greet(c);
            mail(c, "250 2.1.0 Ok");
            rcpt(c, A, "250 2.1.5 Ok");
            rcpt(c, B, "550 5.1.1 No such user");
            data(c, "250 2.0.0 Ok: queued as P1");
            mail(c, "250 2.1.0 Ok");
            rcpt(c, C, "452 4.2.2 Mailbox full");
            rset(c);
            mail(c, "250 2.1.0 Ok");
            rcpt(c, D, "550 5.1.1 No such user");
            rset(c);
            x.responder.serve(c);
        }), 3, List.of("PARTIALLY_SENT +a@t.test -b@t.test:550", "FAILED retryable -c@t.test:452",
                "REJECTED -d@t.test:550"), "550 5.1.1", 1));
        rows.add(row("DATA 554", List.of((c, x) -> {
            greet(c);
            envelope(c, A, B);
            c.expect("DATA");
            c.send("554 5.5.1 Error: no valid recipients");
            rset(c);
            accept(c, C);
            x.responder.serve(c);
        }), 2, List.of("REJECTED", SENT_2), "refused DATA: 554 5.5.1", 1));
        rows.add(row("554 at the end of data", List.of((c, x) -> {
            greet(c);
            envelope(c, A, B);
            data(c, "554 5.7.1 Message refused: spam");
            accept(c, C);
            x.responder.serve(c);
        }), 2, List.of("REJECTED", SENT_2), "554 5.7.1", 1));
        rows.add(row("dropped after MAIL", List.of((c, x) -> {
            greet(c);
            c.expect("MAIL FROM:<sender@t.test>");
            c.drop();
        }), 2, List.of(FAILED, SENT_2), "lost before the message was sent", 1));
        rows.add(row("dropped after RCPT", List.of((c, x) -> {
            greet(c);
            mail(c, "250 2.1.0 Ok");
            c.expect("RCPT TO:<" + A + ">");
            c.drop();
        }), 2, List.of(FAILED, SENT_2), "lost before the message was sent", 1));
        rows.add(big(row("dropped in the middle of the body", List.of((c, x) -> {
            greet(c);
            envelope(c, A, B);
            c.expect("DATA");
            c.send("354 End data with <CR><LF>.<CR><LF>");
            c.readBytes(10_000);
            c.drop(); // unread data pending: the client gets a reset while it still writes
        }), 2, List.of(FAILED, SENT_2), "lost before the message was sent", 1)));
        rows.add(row("dropped after the final dot", List.of((c, x) -> {
            greet(c);
            envelope(c, A, B);
            data(c, null);
            c.drop();
        }), 2, List.of("UNKNOWN +a@t.test +b@t.test", SENT_2), "may have accepted", 1));
        rows.add(row("421 in the middle of a batch, server back at once", List.of((c, x) -> {
            greet(c);
            accept(c, A, B);
            mail(c, "421 4.3.2 Shutting down");
        }), 3, List.of(SENT_1, SENT_2, SENT_3), null, 1));
        rows.add(row("421 in the middle of a batch, server stays down", List.of((c, x) -> {
            greet(c);
            accept(c, A, B);
            mail(c, "421 4.3.2 Shutting down");
        }, (c, x) -> {
            c.send("421 4.3.2 Still down");
            c.awaitClientClose();
        }), 3, List.of(SENT_1, FAILED, FAILED), "421 4.3.2", 0));
        rows.add(silent(row("silent server (never greets)", List.of((c, x) -> c.awaitClientClose()), 2,
                List.of(FAILED, FAILED), "no reply within 2000 ms", 0)));
        rows.add(silent(row("server stops answering after the data", List.of((c, x) -> {
            greet(c);
            envelope(c, A, B);
            data(c, null);
            c.awaitClientClose();
        }), 2, List.of("UNKNOWN +a@t.test +b@t.test", SENT_2), "no reply within 2000 ms", 1)));
        rows.add(silent(big(row("server stops reading the body", List.of((c, x) -> {
            greet(c);
            envelope(c, A, B);
            c.expect("DATA");
            c.send("354 End data with <CR><LF>.<CR><LF>");
            x.holdUntilSent(c);
        }), 2, List.of(FAILED, SENT_2), "took no data for 2000 ms", 1))));
        return rows.stream();
    }

    private static final SSLContext SERVER_TLS;

    static {
        try {
            SERVER_TLS = TestTls.serverContext();
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final String BIG_TEXT = ("x".repeat(76) + "\r\n").repeat(210_000); // 16 MB

    private ScriptedSmtpPeer peer;

    @AfterEach
    void closePeer() throws IOException {
        if (peer != null) {
            peer.close();
        }
    }

    @Override
    protected void bindToRegistry(Registry registry) {
        KeyStoreParameters store = new KeyStoreParameters();
        store.setResource("classpath:greenmail.p12");
        store.setType("PKCS12");
        store.setPassword("changeit");
        TrustManagersParameters trust = new TrustManagersParameters();
        trust.setKeyStore(store);
        SSLContextParameters tls = new SSLContextParameters();
        tls.setTrustManagers(trust);
        registry.bind("tls", tls);
    }

    private static List<Letter> batch(int n, boolean big) {
        List<Letter> letters = new ArrayList<>();
        letters.add(Letter.from("sender@t.test").to(A, B).subject("letter 1").text(big ? BIG_TEXT : "one").build());
        letters.add(Letter.from("sender@t.test").to(C).subject("letter 2").text("two").build());
        if (n > 2) {
            letters.add(Letter.from("sender@t.test").to(D).subject("letter 3").text("three").build());
        }
        return letters;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("faults")
    void everyLetterIsAccountedFor(Fault fault) throws Exception {
        Ctx x = fault.options.contains("authMechanism") ? new Ctx("AUTH PLAIN") : new Ctx();
        List<ScriptedSmtpPeer.Script> scripts = new ArrayList<>();
        for (Step s : fault.scripts) {
            scripts.add(c -> s.run(c, x));
        }
        ScriptedSmtpPeer.Script back = c -> fault.back.run(c, x);
        int port = fault.refused ? AvailablePortFinder.getNextAvailable() : 0;
        if (!fault.refused) {
            peer = new ScriptedSmtpPeer(0, Duration.ofSeconds(10), back, scripts);
            port = peer.port();
        }
        String uri = "letter-smtp:127.0.0.1:" + port + OPTIONS + fault.options;
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:send").to(uri);
            }
        });
        SmtpClient client = LetterSmtpTestHelper.client(context);

        // the faulty exchange
        List<Letter> letters = batch(fault.letters, fault.big);
        long t0 = System.nanoTime();
        Exchange out = assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> template.send("direct:send", e -> e.getIn().setBody(letters)));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        x.sent.countDown();

        List<?> body = out.getMessage().getBody(List.class);
        assertEquals(fault.expected, describe(body), () -> fault.name + ": " + body);
        for (int i = 0; i < letters.size(); i++) {
            assertEquals(letters.get(i).messageId(), ((SendResult) body.get(i)).messageId());
        }
        List<SendResult> results = body.stream().map(SendResult.class::cast).toList();
        if (results.stream().allMatch(r -> r.status() == SendStatus.SENT)) {
            assertNull(out.getException());
        } else {
            LetterSendException ex = assertInstanceOf(LetterSendException.class, out.getException());
            assertEquals(fault.expected, describe(ex.getResults()));
            SendResult firstNotSent = results.stream().filter(r -> r.status() != SendStatus.SENT).findFirst()
                    .orElseThrow();
            assertTrue(firstNotSent.error().contains(fault.hint), firstNotSent::error);
            assertTrue(ex.getMessage().contains(fault.hint), ex::getMessage);
        }
        if (fault.silent) {
            // about one read timeout, not two (plus, for the 16 MB body, producing it until the buffers are full)
            long bound = TIMEOUT_MS + (fault.big ? 3000 : 1500);
            assertTrue(ms < bound, "a silent server cost " + ms + " ms");
        }

        // nothing left behind
        LetterSmtpTestHelper.assertNoThreadInSmtpClient();
        LetterSmtpTestHelper.assertPool(context, context.getEndpoint(uri), fault.openAfter);

        // the server behaves again: the next exchange goes through
        if (fault.refused) {
            peer = new ScriptedSmtpPeer(port, Duration.ofSeconds(10), back, List.of());
        }
        Letter next = Letter.from("sender@t.test").to("next@t.test").subject("next").text("next").build();
        Exchange again = template.send("direct:send", e -> e.getIn().setBody(next));
        assertNull(again.getException(), () -> String.valueOf(again.getException()));
        assertEquals(List.of("SENT +next@t.test"), describe(again.getMessage().getBody(List.class)));
        assertTrue(x.responder.messageIds().contains(next.messageId()), "the server got the next letter");
        LetterSmtpTestHelper.assertNoThreadInSmtpClient();

        context.stop();
        assertEquals(0, client.openConnections(), "connections open after the context stopped");
        LetterSmtpTestHelper.awaitNoComponentThreads(context);
        peer.assertNoErrors();
    }
}
