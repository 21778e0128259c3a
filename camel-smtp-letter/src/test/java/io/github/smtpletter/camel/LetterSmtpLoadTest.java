package io.github.smtpletter.camel;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.mail.internet.MimeMessage;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.github.smtpletter.letter.Letter;
import io.github.smtpletter.smtp.SendResult;
import io.github.smtpletter.smtp.SendStatus;
import io.github.smtpletter.smtp.SmtpClient;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.config.Configurator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Load: 8 producers send 5,000 letters each, concurrently, through one route into GreenMail, in exchanges of 1, 9, 40
 * and 100 letters (the larger ones spread over several pooled connections). Exactly 40,000 letters arrive, each
 * Message-ID once; every exchange holds one SENT result per letter, in order; the pool is empty once the context
 * stopped.
 */
class LetterSmtpLoadTest extends CamelTestSupport {

    private static final Logger LOG = LoggerFactory.getLogger(LetterSmtpLoadTest.class);
    private static final int PRODUCERS = 8;
    private static final int LETTERS_PER_PRODUCER = 5_000;
    private static final int[] BATCHES = { 1, 9, 40, 100 };

    @RegisterExtension
    static final GreenMailExtension GREEN_MAIL = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    /**
     * Jakarta Mail 2.1 looks its StreamProvider up with a ServiceLoader (scanning the class path) on every
     * MimeBodyPart.writeTo, MimeUtility.encode and InternetHeaders.load: a third of this test's CPU, on both sides.
     * Naming the provider skips the scan (same provider); it is read on every lookup, so setting it here works.
     */
    private static final String STREAM_PROVIDER = "jakarta.mail.util.StreamProvider";

    private Level before;
    private String providerBefore;

    @BeforeEach
    void quiet() {
        // 40,000 letters at DEBUG would write some 600,000 log lines
        before = LogManager.getLogger("io.github.smtpletter").getLevel();
        Configurator.setLevel("io.github.smtpletter", Level.INFO);
        providerBefore = System.getProperty(STREAM_PROVIDER);
        System.setProperty(STREAM_PROVIDER, "org.eclipse.angus.mail.util.MailStreamProvider");
    }

    @AfterEach
    void restore() {
        Configurator.setLevel("io.github.smtpletter", before);
        if (providerBefore == null) {
            System.clearProperty(STREAM_PROVIDER);
        } else {
            System.setProperty(STREAM_PROVIDER, providerBefore);
        }
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:load").to("letter-smtp:127.0.0.1:" + GREEN_MAIL.getSmtp().getPort()
                                       + "?ehloName=client.test&connectTimeout=30s&readTimeout=30s");
            }
        };
    }

    private static List<Integer> batchSizes() {
        List<Integer> sizes = new ArrayList<>();
        int left = LETTERS_PER_PRODUCER;
        for (int i = 0; left > 0; i++) {
            int n = Math.min(left, BATCHES[i % BATCHES.length]);
            sizes.add(n);
            left -= n;
        }
        return sizes;
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void fortyThousandLettersArriveExactlyOnce() throws Exception {
        SmtpClient client = LetterSmtpTestHelper.client(context);
        Set<String> sent = ConcurrentHashMap.newKeySet();
        ExecutorService producers = Executors.newFixedThreadPool(PRODUCERS);
        long t0 = System.nanoTime();
        int exchanges;
        try {
            List<Future<Integer>> done = new ArrayList<>();
            for (int p = 0; p < PRODUCERS; p++) {
                int producer = p;
                Callable<Integer> task = () -> {
                    ProducerTemplate template = context.createProducerTemplate();
                    int count = 0;
                    int letterNo = 0;
                    for (int size : batchSizes()) {
                        List<Letter> letters = new ArrayList<>(size);
                        for (int i = 0; i < size; i++) {
                            letters.add(Letter.from("load@t.test").to("p" + producer + "@t.test")
                                    .subject("load " + producer + "-" + letterNo).text("letter " + letterNo++)
                                    .build());
                        }
                        Exchange out = template.send("direct:load", e -> e.getIn().setBody(letters));
                        assertNull(out.getException(), () -> String.valueOf(out.getException()));
                        List<?> results = out.getMessage().getBody(List.class);
                        assertEquals(size, results.size(), "one result per letter");
                        for (int i = 0; i < size; i++) {
                            SendResult r = (SendResult) results.get(i);
                            assertEquals(SendStatus.SENT, r.status(), r::toString);
                            assertEquals(letters.get(i).messageId(), r.messageId(), "results in letter order");
                            assertTrue(sent.add(r.messageId()), "Message-ID used twice: " + r.messageId());
                        }
                        count++;
                    }
                    template.stop();
                    return count;
                };
                done.add(producers.submit(task));
            }
            exchanges = 0;
            for (Future<Integer> f : done) {
                exchanges += f.get(5, TimeUnit.MINUTES);
            }
        } finally {
            producers.shutdownNow();
        }
        long sendMs = (System.nanoTime() - t0) / 1_000_000;
        int total = PRODUCERS * LETTERS_PER_PRODUCER;
        assertEquals(total, sent.size());
        assertEquals(PRODUCERS * batchSizes().size(), exchanges);

        assertTrue(GREEN_MAIL.waitForIncomingEmail(60_000, total), "GreenMail got every letter");
        MimeMessage[] received = GREEN_MAIL.getReceivedMessages();
        long allMs = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(total, received.length, "exactly 40,000 letters arrived");
        Set<String> ids = new HashSet<>();
        for (MimeMessage m : received) {
            String id = m.getMessageID();
            assertTrue(ids.add(id), "duplicate Message-ID " + id);
        }
        Set<String> expected = new HashSet<>();
        sent.forEach(id -> expected.add("<" + id + ">"));
        assertEquals(expected, ids, "the letters that arrived are the letters sent");

        context.stop();
        assertEquals(0, client.openConnections(), "pool empty after the context stopped");
        LOG.info("load: {} letters in {} exchanges from {} producers sent in {} ms ({} letters/s), all arrived after"
                 + " {} ms", total, exchanges, PRODUCERS, sendMs, total * 1000L / Math.max(1, sendMs), allMs);
    }
}
