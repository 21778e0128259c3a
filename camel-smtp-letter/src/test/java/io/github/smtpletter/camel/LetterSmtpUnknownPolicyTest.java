package io.github.smtpletter.camel;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

import com.icegreen.greenmail.Managers;
import com.icegreen.greenmail.store.StoredMessage;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.github.smtpletter.camel.ledger.InMemoryLetterLedger;
import io.github.smtpletter.camel.ledger.UnknownPolicy;
import io.github.smtpletter.letter.Letter;
import io.github.smtpletter.smtp.SendResult;
import io.github.smtpletter.smtp.SendStatus;
import io.github.smtpletter.testsupport.ScriptedSmtpPeer;
import io.github.smtpletter.testsupport.SmtpResponder;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.test.AvailablePortFinder;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * unknownPolicy: {@code report} (at most once) never sends an UNKNOWN letter again, {@code retry} (at least once)
 * sends it again like a FAILED one, through redelivery and through the ledger; and the server restarted twice under
 * load shows each policy's promise: report never delivers a letter twice, retry never loses one.
 */
@Timeout(300)
class LetterSmtpUnknownPolicyTest {

    /** A first connection that reads the letter's data and drops without a reply: its outcome is UNKNOWN. */
    private static ScriptedSmtpPeer.Script dropAfterData(String messageId) {
        return c -> {
            c.send("220 peer.test ESMTP");
            c.expect("EHLO client.test");
            c.send("250 peer.test");
            c.expect("MAIL FROM:<sender@example.test>");
            c.send("250 2.1.0 Ok");
            c.expect("RCPT TO:*");
            c.send("250 2.1.5 Ok");
            c.expect("DATA");
            c.send("354 go ahead");
            assertTrue(new String(c.readData()).contains(messageId));
            c.drop();
        };
    }

    private static Letter letter(String id) {
        return Letter.from("sender@example.test").to("rcpt@example.test").subject("s").text("t")
                .messageId(id + "@example.test").build();
    }

    private static SendResult only(Exchange out) {
        List<?> results = out.getMessage().getBody(List.class);
        return (SendResult) results.get(0);
    }

    @ParameterizedTest
    @ValueSource(strings = { "report", "retry" })
    void redeliveryOfAnUnknownLetterFollowsThePolicy(String policy) throws Exception {
        Letter letter = letter("redelivery-" + policy);
        SmtpResponder later = new SmtpResponder();
        try (ScriptedSmtpPeer peer = new ScriptedSmtpPeer(0, Duration.ofSeconds(10), later,
                List.of(dropAfterData(letter.messageId())));
                CamelContext context = new DefaultCamelContext()) {
            String uri = "letter-smtp:127.0.0.1:" + peer.port() + "?ehloName=client.test&readTimeout=5s"
                         + "&unknownPolicy=" + policy;
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:send").errorHandler(defaultErrorHandler().maximumRedeliveries(2).redeliveryDelay(0))
                            .to(uri);
                }
            });
            context.start();
            Exchange out = context.createProducerTemplate().send("direct:send", e -> e.getIn().setBody(letter));
            if (policy.equals("report")) {
                assertEquals(SendStatus.UNKNOWN, only(out).status());
                assertEquals(List.of(), later.messageIds(), "report: not sent again");
            } else {
                assertEquals(SendStatus.SENT, only(out).status());
                assertEquals(List.of(letter.messageId()), later.messageIds(), "retry: sent again");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "report", "retry" })
    void theLedgerKeepsOrReleasesAnUnknownLetterByThePolicy(String policy) throws Exception {
        Letter letter = letter("ledger-" + policy);
        SmtpResponder later = new SmtpResponder();
        InMemoryLetterLedger ledger = new InMemoryLetterLedger();
        try (ScriptedSmtpPeer peer = new ScriptedSmtpPeer(0, Duration.ofSeconds(10), later,
                List.of(dropAfterData(letter.messageId())));
                CamelContext context = new DefaultCamelContext()) {
            context.getRegistry().bind("ledger", ledger);
            String uri = "letter-smtp:127.0.0.1:" + peer.port() + "?ehloName=client.test&readTimeout=5s"
                         + "&failOnNotSent=false&ledger=#ledger&unknownPolicy=" + policy;
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:send").to(uri);
                }
            });
            context.start();
            ProducerTemplate template = context.createProducerTemplate();
            assertEquals(SendStatus.UNKNOWN, only(template.send("direct:send", e -> e.getIn().setBody(letter)))
                    .status());
            SendResult replay = only(template.send("direct:send", e -> e.getIn().setBody(letter)));
            if (policy.equals("report")) {
                assertEquals(SendStatus.UNKNOWN, replay.status(), "report: the stored UNKNOWN, nothing sent");
                assertEquals(List.of(), later.messageIds());
            } else {
                assertEquals(SendStatus.SENT, replay.status(), "retry: released, so sent again");
                assertEquals(List.of(letter.messageId()), later.messageIds());
                assertEquals(SendStatus.SENT, ledger.result(letter.messageId()).orElseThrow().status());
            }
        }
    }

    /**
     * 4 senders x 60 letters, one letter an exchange, Camel redelivery; GreenMail is stopped twice under load and
     * started again (a new instance on the same port each time). Report: every letter ends SENT or UNKNOWN, none is
     * delivered twice, each SENT one exactly once. Retry: every letter ends SENT and is delivered at least once; a
     * letter whose reply was lost is delivered twice.
     */
    @ParameterizedTest
    @ValueSource(strings = { "report", "retry" })
    void serverRestartedTwiceUnderLoad(String policy) throws Exception {
        int port = AvailablePortFinder.getNextAvailable();
        ServerSetup setup = new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP);
        List<GreenMail> servers = new ArrayList<>();
        List<Managers> stores = new ArrayList<>(); // GreenMail forgets its messages when stopped: keep its store
        servers.add(start(setup, stores));
        AtomicInteger redeliveries = new AtomicInteger();
        Map<String, SendResult> finals = new ConcurrentHashMap<>();
        int senders = 4;
        int perSender = 60;
        ExecutorService pool = Executors.newFixedThreadPool(senders);
        long started = System.nanoTime();
        try (CamelContext context = new DefaultCamelContext()) {
            String uri = "letter-smtp:127.0.0.1:" + port + "?readTimeout=5s&connectTimeout=2s&maxConnections=4"
                         + "&unknownPolicy=" + policy;
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    // redeliver while a letter is owed: FAILED, or UNKNOWN under retry
                    onException(LetterSendException.class).maximumRedeliveries(200).redeliveryDelay(50)
                            .retryWhile(e -> owed(e, policy)).onRedelivery(e -> redeliveries.incrementAndGet());
                    from("direct:send").to(uri);
                }
            });
            context.start();
            ProducerTemplate template = context.createProducerTemplate();
            List<Future<?>> futures = new ArrayList<>();
            for (int s = 0; s < senders; s++) {
                int sender = s;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < perSender; i++) {
                        Letter l = letter(policy + "-" + sender + "-" + i);
                        finals.put(l.messageId(), only(template.send("direct:send", e -> e.getIn().setBody(l))));
                    }
                    return null;
                }));
            }
            for (int restart = 1; restart <= 2; restart++) {
                int total = senders * perSender;
                int atLeast = total * restart / 3;
                Awaitility.await().atMost(Duration.ofSeconds(120)).until(() -> finals.size() >= atLeast);
                servers.get(servers.size() - 1).stop();
                int before = redeliveries.get();
                Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> redeliveries.get() >= before + senders);
                servers.add(start(setup, stores));
            }
            for (Future<?> f : futures) {
                f.get(240, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
            for (GreenMail g : servers) {
                g.stop();
            }
        }
        Map<String, Integer> delivered = new HashMap<>();
        for (Managers store : stores) {
            for (StoredMessage m : store.getImapHostManager().getAllMessages()) {
                delivered.merge(id(m.getMimeMessage()), 1, Integer::sum);
            }
        }
        long sent = finals.values().stream().filter(r -> r.status() == SendStatus.SENT).count();
        long unknown = finals.values().stream().filter(r -> r.status() == SendStatus.UNKNOWN).count();
        long twice = delivered.values().stream().filter(n -> n > 1).count();
        long lost = finals.keySet().stream().filter(id -> !delivered.containsKey(id)).count();
        System.out.printf("unknownPolicy=%s, GreenMail restarted twice under load: %d letters, %d SENT, %d UNKNOWN,"
                          + " %d delivered twice, %d not delivered, %d redeliveries, %d ms%n", policy, finals.size(),
                sent, unknown, twice, lost, redeliveries.get(), (System.nanoTime() - started) / 1_000_000);

        assertEquals(senders * perSender, finals.size(), "every letter has one final result");
        if (policy.equals("report")) {
            assertEquals(finals.size(), sent + unknown, "report: SENT or UNKNOWN, nothing else");
            assertEquals(0, twice, "report: never delivered twice " + delivered);
            finals.forEach((id, r) -> {
                if (r.status() == SendStatus.SENT) {
                    assertEquals(1, delivered.getOrDefault(id, 0), id + " SENT is delivered exactly once");
                }
            });
        } else {
            assertEquals(finals.size(), sent, "retry: every letter ends SENT " + finals.values().stream()
                    .filter(r -> r.status() != SendStatus.SENT).toList());
            assertEquals(0, lost, "retry: no letter lost");
        }
    }

    private static GreenMail start(ServerSetup setup, List<Managers> stores) {
        GreenMail g = new GreenMail(setup);
        g.start();
        stores.add(g.getManagers());
        return g;
    }

    private static boolean owed(Exchange e, String policy) {
        LetterSendException ex = e.getException(LetterSendException.class);
        return ex != null && ex.getResults().stream().anyMatch(r -> r.status() == SendStatus.FAILED
                                                                    || policy.equals("retry")
                                                                       && r.status() == SendStatus.UNKNOWN);
    }

    private static String id(MimeMessage m) {
        try {
            String id = m.getMessageID();
            return id.substring(1, id.length() - 1);
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theOptionIsReadIgnoringCase() {
        assertEquals(List.of(UnknownPolicy.REPORT, UnknownPolicy.RETRY), List.of(UnknownPolicy.of("Report"),
                UnknownPolicy.of(" retry ")));
    }
}
