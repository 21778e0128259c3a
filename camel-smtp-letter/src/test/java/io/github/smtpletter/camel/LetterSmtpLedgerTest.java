package io.github.smtpletter.camel;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.mail.MessagingException;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.github.smtpletter.camel.ledger.InMemoryLetterLedger;
import io.github.smtpletter.camel.ledger.LedgerClaim;
import io.github.smtpletter.camel.ledger.LedgerException;
import io.github.smtpletter.camel.ledger.LetterLedger;
import io.github.smtpletter.camel.ledger.UnknownPolicy;
import io.github.smtpletter.letter.Letter;
import io.github.smtpletter.smtp.SendResult;
import io.github.smtpletter.smtp.SendStatus;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.FailedToStartRouteException;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.Registry;
import org.apache.camel.test.AvailablePortFinder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Routes with a ledger deliver each letter once into GreenMail: across endpoints, CamelContexts, concurrent
 * exchanges, a processor that copies the body before a redelivery; and send nothing when the ledger says no or cannot
 * be reached.
 */
@Timeout(120)
class LetterSmtpLedgerTest extends CamelTestSupport {

    @RegisterExtension
    static final GreenMailExtension GREEN_MAIL = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    private final InMemoryLetterLedger ledger = new InMemoryLetterLedger();
    private final int deadPort = AvailablePortFinder.getNextAvailable();

    private static String uri(int port) {
        return "letter-smtp:127.0.0.1:" + port + "?ledger=#ledger&readTimeout=5s&connectTimeout=2s&failOnNotSent=false";
    }

    private String uri() {
        return uri(GREEN_MAIL.getSmtp().getPort());
    }

    @Override
    protected void bindToRegistry(Registry registry) {
        registry.bind("ledger", ledger);
        registry.bind("downLedger", new DownLedger());
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:a").to(uri());
                from("direct:b").to(uri() + "&maxConnections=2");
                from("direct:dead").to(uri(deadPort));
                from("direct:byOrder").to(uri() + "&ledgerKey=${header.orderId}&from=shop@example.test"
                                          + "&to=ann@example.test&subject=Your order");
                from("direct:down").to(uri().replace("#ledger", "#downLedger"));
                // a processor copies the body on every attempt, so the exchange memory cannot recognize the letters
                from("direct:copying").errorHandler(defaultErrorHandler().maximumRedeliveries(2).redeliveryDelay(0))
                        .to("direct:copyThenSend");
                from("direct:copyThenSend").errorHandler(noErrorHandler())
                        .process(e -> e.getIn().setBody(new ArrayList<>(e.getIn().getBody(List.class))))
                        .to(uri().replace("failOnNotSent=false", "failOnNotSent=true"));
                from("direct:copyingWithoutLedger")
                        .errorHandler(defaultErrorHandler().maximumRedeliveries(2).redeliveryDelay(0))
                        .to("direct:copyThenSendWithoutLedger");
                from("direct:copyThenSendWithoutLedger").errorHandler(noErrorHandler())
                        .process(e -> e.getIn().setBody(new ArrayList<>(e.getIn().getBody(List.class))))
                        .to("letter-smtp:127.0.0.1:" + GREEN_MAIL.getSmtp().getPort() + "?readTimeout=5s");
            }
        };
    }

    private static Letter letter(String id) {
        return Letter.from("shop@example.test").to("ann@example.test").subject("letter " + id).text("text")
                .messageId(id + "@shop.example.test").build();
    }

    private static SendResult only(Exchange out) {
        List<?> results = out.getMessage().getBody(List.class);
        assertEquals(1, results.size());
        return (SendResult) results.get(0);
    }

    private SendResult send(ProducerTemplate t, String endpoint, Object body) {
        return only(t.send(endpoint, e -> e.getIn().setBody(body)));
    }

    private static long delivered(String messageId) {
        return Arrays.stream(GREEN_MAIL.getReceivedMessages()).filter(m -> {
            try {
                return ("<" + messageId + ">").equals(m.getMessageID());
            } catch (MessagingException e) {
                throw new IllegalStateException(e);
            }
        }).count();
    }

    private static void awaitDelivered(String messageId, long n) {
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> delivered(messageId) >= n);
    }

    @Test
    void twoEndpointsAndTwoContextsSharingALedgerDeliverOnce() throws Exception {
        Letter letter = letter("shared");
        SendResult first = send(template, "direct:a", letter);
        assertEquals(SendStatus.SENT, first.status());
        SendResult second = send(template, "direct:b", letter);
        assertEquals(first.toString(), second.toString(), "the stored result, not a second send");

        try (CamelContext other = new DefaultCamelContext()) {
            other.getRegistry().bind("ledger", ledger);
            other.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:other").to(uri());
                }
            });
            other.start();
            SendResult third = send(other.createProducerTemplate(), "direct:other", letter);
            assertEquals(first.toString(), third.toString());
        }
        awaitDelivered(letter.messageId(), 1);
        assertEquals(1, GREEN_MAIL.getReceivedMessages().length);
    }

    @Test
    void concurrentExchangesOfOneLetterDeliverItOnce() throws Exception {
        Letter letter = letter("race");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<SendResult>> futures = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String endpoint = i % 2 == 0 ? "direct:a" : "direct:b";
                futures.add(pool.submit(() -> {
                    start.await();
                    return send(template, endpoint, letter);
                }));
            }
            start.countDown();
            int sent = 0;
            for (Future<SendResult> f : futures) {
                SendResult r = f.get(60, TimeUnit.SECONDS);
                if (r.status() == SendStatus.FAILED) {
                    assertTrue(r.isRetryable());
                    assertTrue(r.error().contains("another attempt"), r.error());
                } else {
                    assertEquals(SendStatus.SENT, r.status());
                    sent++;
                }
            }
            assertTrue(sent >= 1);
        } finally {
            pool.shutdownNow();
        }
        awaitDelivered(letter.messageId(), 1);
        assertEquals(1, GREEN_MAIL.getReceivedMessages().length);
    }

    @Test
    void aBodyCopiedBeforeEachRedeliveryIsStillSentOnce() throws Exception {
        // the second element cannot become a letter: REJECTED, so failOnNotSent makes Camel redeliver twice
        List<Object> body = List.of(letter("copied"), "no sender, no recipient");
        Exchange out = template.send("direct:copying", e -> e.getIn().setBody(body));
        LetterSendException ex = assertInstanceOf(LetterSendException.class, out.getException());
        assertEquals(SendStatus.SENT, ex.getResults().get(0).status());
        assertEquals(SendStatus.REJECTED, ex.getResults().get(1).status());
        assertEquals(2, out.getIn().getHeader(Exchange.REDELIVERY_COUNTER, Integer.class));

        // the same route without a ledger sends the letter on each of the three attempts
        Exchange control = template.send("direct:copyingWithoutLedger",
                e -> e.getIn().setBody(List.of(letter("control"), "no sender, no recipient")));
        assertInstanceOf(LetterSendException.class, control.getException());
        awaitDelivered("control@shop.example.test", 3);
        assertEquals(1, delivered("copied@shop.example.test"));
    }

    @Test
    void aLetterWithoutItsOwnMessageIdIsRejectedWithoutAKey() {
        Letter generated = Letter.from("shop@example.test").to("ann@example.test").subject("s").text("t").build();
        SendResult r = send(template, "direct:a", generated);
        assertEquals(SendStatus.REJECTED, r.status());
        assertTrue(r.error().contains("no Message-ID of its own") && r.error().contains("ledgerKey"), r.error());
        // a copy made from it keeps being "generated"; given an id, it is its own
        assertTrue(generated.toBuilder().subject("other").build().hasGeneratedMessageId());
        assertFalse(generated.toBuilder().messageId("own@example.test").build().hasGeneratedMessageId());
        assertEquals(0, GREEN_MAIL.getReceivedMessages().length);
    }

    @Test
    void aLedgerKeyExpressionRecognizesBodiesWithoutMessageIds() {
        SendResult first = only(template.send("direct:byOrder", e -> {
            e.getIn().setBody("Thank you for order 42");
            e.getIn().setHeader("orderId", "order-42");
        }));
        assertEquals(SendStatus.SENT, first.status());
        SendResult replay = only(template.send("direct:byOrder", e -> {
            e.getIn().setBody("Thank you for order 42");
            e.getIn().setHeader("orderId", "order-42");
        }));
        assertEquals(first.toString(), replay.toString());
        assertEquals(first.messageId(), ledger.result("order-42").orElseThrow().messageId());
        SendResult noKey = only(template.send("direct:byOrder", e -> e.getIn().setBody("no order id")));
        assertEquals(SendStatus.REJECTED, noKey.status());
        assertTrue(noKey.error().contains("ledgerKey=${header.orderId}"), noKey.error());
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> GREEN_MAIL.getReceivedMessages().length == 1);
        assertEquals(1, GREEN_MAIL.getReceivedMessages().length);
    }

    @Test
    void aLetterHeldByAnotherAttemptIsFailedAndRetryable() {
        Letter letter = letter("held");
        LedgerClaim other = ledger.claim(letter.messageId(), letter.messageId(), Duration.ofMinutes(5),
                UnknownPolicy.REPORT);
        SendResult r = send(template, "direct:a", letter);
        assertEquals(SendStatus.FAILED, r.status());
        assertTrue(r.isRetryable());
        assertTrue(r.error().contains("another attempt holds the ledger claim"), r.error());
        assertEquals(0, GREEN_MAIL.getReceivedMessages().length);
        ledger.release(other);
        assertEquals(SendStatus.SENT, send(template, "direct:a", letter).status());
    }

    @Test
    void aFailedLetterIsReleasedSoALaterAttemptSendsIt() {
        Letter letter = letter("failed");
        SendResult failed = send(template, "direct:dead", letter);
        assertEquals(SendStatus.FAILED, failed.status());
        assertTrue(ledger.result(letter.messageId()).isEmpty());
        assertEquals(SendStatus.SENT, send(template, "direct:a", letter).status());
        awaitDelivered(letter.messageId(), 1);
    }

    @Test
    void anUnreachableLedgerSendsNothing() {
        SendResult r = send(template, "direct:down", letter("down"));
        assertEquals(SendStatus.FAILED, r.status());
        assertTrue(r.isRetryable());
        assertTrue(r.error().contains("the ledger cannot be used") && r.error().contains("database is down"),
                r.error());
        assertEquals(0, GREEN_MAIL.getReceivedMessages().length);
    }

    @Test
    void badLedgerOptionsFailTheRouteStart() throws Exception {
        for (String options : List.of("ledgerKey=${header.x}", "ledger=#ledger&ledgerLease=0",
                "unknownPolicy=sometimes")) {
            try (CamelContext other = new DefaultCamelContext()) {
                other.getRegistry().bind("ledger", ledger);
                other.addRoutes(new RouteBuilder() {
                    @Override
                    public void configure() {
                        from("direct:bad").to("letter-smtp:127.0.0.1:25?" + options);
                    }
                });
                Exception e = assertThrows(Exception.class, other::start);
                Throwable cause = e instanceof FailedToStartRouteException && e.getCause() != null ? e.getCause() : e;
                String text = String.valueOf(cause.getMessage()) + Optional.ofNullable(cause.getCause())
                        .map(Throwable::getMessage).orElse("");
                assertTrue(text.contains("ledger") || text.contains("unknownPolicy"), options + ": " + text);
            }
        }
    }

    /** A ledger whose database is down. */
    static final class DownLedger implements LetterLedger {
        @Override
        public LedgerClaim claim(String key, String messageId, Duration lease, UnknownPolicy policy) {
            throw new LedgerException("the database is down", null);
        }

        @Override
        public boolean complete(LedgerClaim claim, SendResult result) {
            throw new LedgerException("the database is down", null);
        }

        @Override
        public void release(LedgerClaim claim) {
            throw new LedgerException("the database is down", null);
        }

        @Override
        public Optional<SendResult> result(String key) {
            throw new LedgerException("the database is down", null);
        }
    }
}
