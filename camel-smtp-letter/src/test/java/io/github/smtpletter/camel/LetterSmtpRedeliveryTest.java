package io.github.smtpletter.camel;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.smtpletter.letter.Letter;
import io.github.smtpletter.smtp.SendResult;
import io.github.smtpletter.smtp.SendStatus;
import io.github.smtpletter.testsupport.ScriptedSmtpPeer;
import io.github.smtpletter.testsupport.SmtpResponder;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.CamelEvent.ExchangeSendingEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static io.github.smtpletter.camel.LetterSmtpTestHelper.describe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Redelivery through Camel's own error handlers sends only what is still owed: a letter sent (or unknown, or
 * permanently rejected) in an earlier attempt of the same exchange is never sent again, and its earlier result is
 * kept. A new exchange, or the same exchange sent to the endpoint again after it got through, sends everything.
 * <p>
 * The peer's first connection refuses the second of three letters with 451 after its data; later connections take
 * everything (the endpoint closes a connection after three letters, so the redelivery uses a new one).
 */
@Timeout(60)
class LetterSmtpRedeliveryTest extends CamelTestSupport {

    private final SmtpResponder responder = new SmtpResponder();
    private final ScriptedSmtpPeer peer;
    /** Bodies and redelivery counters seen at each send to a letter-smtp endpoint. */
    private final List<Object[]> sends = new CopyOnWriteArrayList<>();

    LetterSmtpRedeliveryTest() throws IOException {
        peer = ScriptedSmtpPeer.serving(responder);
    }

    private String uri() {
        return "letter-smtp:127.0.0.1:" + peer.port() + "?ehloName=client.test&readTimeout=5s&connectTimeout=5s"
               + "&maxMessagesPerConnection=3";
    }

    @Override
    protected RoutesBuilder[] createRouteBuilders() {
        return new RoutesBuilder[] {
                new RouteBuilder() {
                    @Override
                    public void configure() {
                        errorHandler(defaultErrorHandler().maximumRedeliveries(3).redeliveryDelay(0));
                        from("direct:default").to(uri()).to("mock:after");
                        from("direct:twice").to(uri())
                                .process(e -> e.getIn().setBody(e.getProperty("original")))
                                .to(uri()).to("mock:after");
                    }
                },
                new RouteBuilder() {
                    @Override
                    public void configure() {
                        errorHandler(deadLetterChannel("mock:dead"));
                        onException(LetterSendException.class).maximumRedeliveries(3).redeliveryDelay(0);
                        from("direct:onException").to(uri()).to("mock:after");
                    }
                },
                new RouteBuilder() {
                    @Override
                    public void configure() {
                        // the example in letter-smtp-component.adoc ("Redelivery sends only what is still owed"):
                        // retry while something is retryable, at most 5 times
                        onException(LetterSendException.class)
                                .retryWhile(e -> e.getException(LetterSendException.class).isRetryable()
                                                 && e.getIn().getHeader(Exchange.REDELIVERY_COUNTER, 0,
                                                         Integer.class) <= 5)
                                .redeliveryDelay(0)
                                .handled(true)
                                .to("mock:notSent");
                        from("direct:readme").to(uri()).to("mock:after");
                    }
                },
                new RouteBuilder() {
                    @Override
                    public void configure() {
                        // the letters go out in a sub-route without an error handler; a later step fails once and
                        // the caller's error handler redelivers the whole sub-route
                        from("direct:outer").errorHandler(defaultErrorHandler().maximumRedeliveries(2).redeliveryDelay(
                                0))
                                .to("direct:inner").to("mock:after");
                        from("direct:inner").errorHandler(noErrorHandler())
                                .to(uri())
                                .process(e -> {
                                    if (failuresLeft.getAndDecrement() > 0) {
                                        throw new IllegalStateException("audit system down");
                                    }
                                });
                    }
                },
                new RouteBuilder() {
                    @Override
                    public void configure() {
                        errorHandler(defaultErrorHandler().maximumRedeliveries(3).redeliveryDelay(0));
                        from("direct:tolerant").to(uri() + "&failOnNotSent=false").to("mock:after");
                    }
                }
        };
    }

    private final AtomicInteger failuresLeft = new AtomicInteger();

    @BeforeEach
    void recordSends() {
        context.getManagementStrategy().addEventNotifier(new EventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) {
                ExchangeSendingEvent e = (ExchangeSendingEvent) event;
                if (e.getEndpoint().getEndpointUri().startsWith("letter-smtp:")) {
                    Exchange x = e.getExchange();
                    sends.add(new Object[] { x.getIn().getBody(), x.getIn().getHeader(Exchange.REDELIVERY_COUNTER),
                            x.getExchangeId() });
                }
            }

            @Override
            public boolean isEnabled(CamelEvent event) {
                return event instanceof ExchangeSendingEvent;
            }
        });
    }

    @AfterEach
    void closePeer() throws Exception {
        peer.close();
    }

    private static List<Letter> threeLetters() {
        List<Letter> letters = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            letters.add(Letter.from("sender@example.test").to("rcpt" + i + "@example.test").subject("letter " + i)
                    .text("text " + i).build());
        }
        return letters;
    }

    /** The first connection refuses its second letter with 451 after the data. */
    private void firstConnectionRefusesSecondLetter() {
        responder.data((m, nth) -> m.connection() == 0 && nth == 2 ? "451 4.3.0 Temporary local problem" : null);
    }

    private void assertReceived(List<Letter> letters, long... times) {
        for (int i = 0; i < letters.size(); i++) {
            assertEquals(times[i], responder.received(letters.get(i).messageId()),
                    "letter " + (i + 1) + " received; peer saw " + responder.attempts().size() + " message(s)");
        }
    }

    @Test
    void defaultErrorHandlerRedeliversOnlyTheRefusedLetter() throws Exception {
        firstConnectionRefusesSecondLetter();
        List<Letter> letters = threeLetters();

        Exchange out = template.send("direct:default", e -> e.getIn().setBody(letters));

        assertNull(out.getException(), () -> String.valueOf(out.getException()));
        List<?> body = out.getMessage().getBody(List.class);
        assertEquals(List.of("SENT +rcpt1@example.test", "SENT +rcpt2@example.test", "SENT +rcpt3@example.test"),
                describe(body));
        assertReceived(letters, 1, 2, 1);
        assertEquals(1, responder.accepted(letters.get(1).messageId()), "letter 2 accepted once");
        assertEquals(451, responder.attempts().get(1).code(), "letter 2 was refused first");
        assertEquals(2, peer.connectionCount(), "the redelivery used a later connection");
        // letters 1 and 3 keep the results of the first attempt (queued on the first connection)
        assertEquals("R1", ((SendResult) body.get(0)).queueId());
        assertEquals("R2", ((SendResult) body.get(2)).queueId());
        assertEquals("R3", ((SendResult) body.get(1)).queueId());
        assertEquals(3, out.getMessage().getHeader(LetterSmtpConstants.SENT_COUNT));
        assertEquals(0, out.getMessage().getHeader(LetterSmtpConstants.NOT_SENT_COUNT));

        // what Camel hands the producer on redelivery: the original body (restored from its copy), counter 1
        assertEquals(2, sends.size());
        assertSame(letters, sends.get(0)[0]);
        assertNull(sends.get(0)[1]);
        assertSame(letters, sends.get(1)[0], "Camel restores the body the first attempt started from");
        assertEquals(1, sends.get(1)[1]);
    }

    @Test
    void onExceptionRedeliversOnlyTheRefusedLetterAndTheDeadLetterChannelStaysEmpty() throws Exception {
        firstConnectionRefusesSecondLetter();
        MockEndpoint dead = getMockEndpoint("mock:dead");
        dead.expectedMessageCount(0);
        MockEndpoint after = getMockEndpoint("mock:after");
        after.expectedMessageCount(1);
        List<Letter> letters = threeLetters();

        Exchange out = template.send("direct:onException", e -> e.getIn().setBody(letters));

        assertNull(out.getException());
        assertEquals(List.of("SENT +rcpt1@example.test", "SENT +rcpt2@example.test", "SENT +rcpt3@example.test"),
                describe(out.getMessage().getBody(List.class)));
        assertReceived(letters, 1, 2, 1);
        MockEndpoint.assertIsSatisfied(context);
    }

    @Test
    void exhaustedRedeliveriesEndInTheDeadLetterChannelWithEveryResult() throws Exception {
        List<Letter> letters = threeLetters();
        String second = letters.get(1).messageId();
        responder.data((m, nth) -> second.equals(m.messageId()) ? "451 4.3.0 Still busy" : null);
        MockEndpoint dead = getMockEndpoint("mock:dead");
        dead.expectedMessageCount(1);

        template.send("direct:onException", e -> e.getIn().setBody(letters));

        MockEndpoint.assertIsSatisfied(context);
        Exchange failed = dead.getReceivedExchanges().get(0);
        LetterSendException ex = assertInstanceOf(LetterSendException.class,
                failed.getProperty(Exchange.EXCEPTION_CAUGHT));
        assertEquals(List.of("SENT +rcpt1@example.test", "FAILED retryable", "SENT +rcpt3@example.test"),
                describe(ex.getResults()));
        assertTrue(ex.isRetryable());
        assertEquals(1, ex.getNotSent().size());
        assertEquals(List.of(letters.get(1)), ex.getFailedLetters(), "what a dead letter channel can send later");
        assertEquals(List.of("SENT +rcpt1@example.test", "FAILED retryable", "SENT +rcpt3@example.test"),
                describe(failed.getMessage().getBody(List.class)), "the dead letter channel gets the results");
        assertReceived(letters, 1, 4, 1); // letter 2: the first attempt and 3 redeliveries
        assertEquals(0, responder.accepted(second));
    }

    @Test
    void rejectedAndUnknownLettersAreNotSentAgain() throws Exception {
        List<Letter> letters = threeLetters();
        String first = letters.get(0).messageId();
        String second = letters.get(1).messageId();
        String third = letters.get(2).messageId();
        // first connection: letter 1 refused for good, letter 2 refused for now, letter 3: the connection breaks
        // after its end of data (the outcome is unknown); later connections take everything
        SmtpResponder later = new SmtpResponder();
        ScriptedSmtpPeer.Script firstConnection = c -> {
            c.send("220 peer.test ESMTP");
            c.expect("EHLO client.test");
            c.send("250 peer.test");
            for (String[] step : new String[][] { { first, "554 5.7.1 Spam" }, { second, "451 4.3.0 Later" } }) {
                c.expect("MAIL FROM:<sender@example.test>");
                c.send("250 2.1.0 Ok");
                c.expect("RCPT TO:*");
                c.send("250 2.1.5 Ok");
                c.expect("DATA");
                c.send("354 go ahead");
                assertTrue(new String(c.readData()).contains(step[0]));
                c.send(step[1]);
            }
            c.expect("MAIL FROM:<sender@example.test>");
            c.send("250 2.1.0 Ok");
            c.expect("RCPT TO:*");
            c.send("250 2.1.5 Ok");
            c.expect("DATA");
            c.send("354 go ahead");
            assertTrue(new String(c.readData()).contains(third));
            c.drop();
        };
        try (ScriptedSmtpPeer scripted = new ScriptedSmtpPeer(0, Duration.ofSeconds(10), later,
                List.of(firstConnection))) {
            String uri = "letter-smtp:127.0.0.1:" + scripted.port() + "?ehloName=client.test&readTimeout=5s";
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:mixed").errorHandler(defaultErrorHandler().maximumRedeliveries(2).redeliveryDelay(0))
                            .to(uri);
                }
            });

            Exchange out = template.send("direct:mixed", e -> e.getIn().setBody(letters));

            LetterSendException ex = assertInstanceOf(LetterSendException.class, out.getException());
            List<String> expected = List.of("REJECTED", "SENT +rcpt2@example.test", "UNKNOWN +rcpt3@example.test");
            assertEquals(expected, describe(ex.getResults()));
            assertEquals(expected, describe(out.getMessage().getBody(List.class)));
            assertEquals(List.of(second), later.messageIds(), "only letter 2 was sent again");
            assertEquals(2, scripted.connectionCount());
            var client = LetterSmtpTestHelper.client(context);
            context.stop(); // says QUIT on the pooled connection, so the peer's scripts end
            assertEquals(0, client.openConnections());
            scripted.assertNoErrors();
        }
    }

    @Test
    void theReadmeRouteRetriesWhileSomethingIsRetryable() throws Exception {
        firstConnectionRefusesSecondLetter();
        getMockEndpoint("mock:notSent").expectedMessageCount(0);
        getMockEndpoint("mock:after").expectedMessageCount(1);
        List<Letter> letters = threeLetters();

        Exchange out = template.send("direct:readme", e -> e.getIn().setBody(letters));

        assertNull(out.getException());
        assertReceived(letters, 1, 2, 1);
        MockEndpoint.assertIsSatisfied(context);
    }

    @Test
    void theReadmeRouteRetriesAtMostFiveTimes() throws Exception {
        List<Letter> letters = threeLetters();
        String second = letters.get(1).messageId();
        responder.data((m, nth) -> second.equals(m.messageId()) ? "451 4.3.0 Still busy" : null);
        MockEndpoint notSent = getMockEndpoint("mock:notSent");
        notSent.expectedMessageCount(1);

        template.send("direct:readme", e -> e.getIn().setBody(letters));

        MockEndpoint.assertIsSatisfied(context);
        assertReceived(letters, 1, 6, 1); // the first attempt and 5 redeliveries
        LetterSendException ex = notSent.getReceivedExchanges().get(0)
                .getProperty(Exchange.EXCEPTION_CAUGHT, LetterSendException.class);
        assertEquals(List.of(letters.get(1)), ex.getFailedLetters());
    }

    @Test
    void theReadmeRouteGivesUpAtOnceWhenNothingIsRetryable() throws Exception {
        List<Letter> letters = threeLetters();
        String second = letters.get(1).messageId();
        responder.data((m, nth) -> second.equals(m.messageId()) ? "550 5.7.1 Refused for good" : null);
        MockEndpoint notSent = getMockEndpoint("mock:notSent");
        notSent.expectedMessageCount(1);

        template.send("direct:readme", e -> e.getIn().setBody(letters));

        MockEndpoint.assertIsSatisfied(context);
        assertEquals(List.of("SENT +rcpt1@example.test", "REJECTED", "SENT +rcpt3@example.test"),
                describe(notSent.getReceivedExchanges().get(0).getMessage().getBody(List.class)));
        assertReceived(letters, 1, 1, 1);
    }

    @Test
    void aNewExchangeWithTheSameBodySendsEverythingAgain() throws Exception {
        List<Letter> letters = threeLetters();

        Exchange first = template.send("direct:default", e -> e.getIn().setBody(letters));
        Exchange second = template.send("direct:default", e -> e.getIn().setBody(letters));

        assertNull(first.getException());
        assertNull(second.getException());
        assertReceived(letters, 2, 2, 2);
    }

    @Test
    void theSameExchangeSentAgainAfterSuccessSendsEverythingAgain() throws Exception {
        List<Letter> letters = threeLetters();

        Exchange out = template.send("direct:twice", e -> {
            e.getIn().setBody(letters);
            e.setProperty("original", letters);
        });

        assertNull(out.getException());
        assertReceived(letters, 2, 2, 2);
        assertEquals(List.of("SENT +rcpt1@example.test", "SENT +rcpt2@example.test", "SENT +rcpt3@example.test"),
                describe(out.getMessage().getBody(List.class)));
    }

    @Test
    void redeliveryOfAnEnclosingStepAfterSuccessSendsNothingAgain() throws Exception {
        failuresLeft.set(1);
        getMockEndpoint("mock:after").expectedMessageCount(1);
        List<Letter> letters = threeLetters();

        Exchange out = template.send("direct:outer", e -> e.getIn().setBody(letters));

        assertNull(out.getException());
        MockEndpoint.assertIsSatisfied(context);
        assertReceived(letters, 1, 1, 1);
        assertEquals(2, sends.size(), "the sub-route ran twice");
    }

    @Test
    void withoutFailOnNotSentThereIsNoExceptionAndNoRedelivery() throws Exception {
        firstConnectionRefusesSecondLetter();
        List<Letter> letters = threeLetters();

        Exchange out = template.send("direct:tolerant", e -> e.getIn().setBody(letters));

        assertNull(out.getException());
        assertEquals(List.of("SENT +rcpt1@example.test", "FAILED retryable", "SENT +rcpt3@example.test"),
                describe(out.getMessage().getBody(List.class)));
        assertEquals(1, out.getMessage().getHeader(LetterSmtpConstants.NOT_SENT_COUNT));
        assertReceived(letters, 1, 1, 1);
    }

    @Test
    void aSingleLetterBodyIsRedeliveredToo() throws Exception {
        AtomicInteger n = new AtomicInteger();
        responder.data((m, nth) -> n.incrementAndGet() == 1 ? "452 4.3.1 Insufficient system storage" : null);
        Letter letter = threeLetters().get(0);

        Exchange out = template.send("direct:default", e -> e.getIn().setBody(letter));

        assertNull(out.getException());
        SendResult r = (SendResult) out.getMessage().getBody(List.class).get(0);
        assertEquals(SendStatus.SENT, r.status());
        assertNotNull(r.queueId());
        assertEquals(2, responder.received(letter.messageId()));
        assertEquals(1, responder.accepted(letter.messageId()));
    }
}
