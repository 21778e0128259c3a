package io.github.smtpletter.camel;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.smtpletter.letter.Letter;
import io.github.smtpletter.smtp.SendResult;
import io.github.smtpletter.smtp.SendStatus;
import io.github.smtpletter.testsupport.ScriptedSmtpPeer;
import io.github.smtpletter.testsupport.SmtpResponder;
import org.apache.camel.AsyncProcessor;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Producer;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.config.Configurator;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Threads held by 1,000 exchanges waiting at once for a server that holds its replies: the producer is asynchronous,
 * so the exchanges wait without a thread each; only the threads driving the pooled connections are busy. Prints the
 * figure (a measurement, not a timed assertion).
 */
class LetterSmtpWaitingThreadsTest {

    private static final int EXCHANGES = 1_000;

    @Test
    void thousandWaitingExchangesHoldOnlyTheConnectionsThreads() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger held = new AtomicInteger();
        SmtpResponder responder = new SmtpResponder("PIPELINING").data((message, nth) -> {
            held.incrementAndGet();
            try {
                assertTrue(release.await(60, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        });
        Level before = LogManager.getLogger("io.github.smtpletter").getLevel();
        Configurator.setLevel("io.github.smtpletter", Level.INFO);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        try (ScriptedSmtpPeer peer = new ScriptedSmtpPeer(0, Duration.ofSeconds(60), responder, List.of())) {
            CamelContext context = new DefaultCamelContext();
            context.start();
            try {
                String uri = "letter-smtp:127.0.0.1:" + peer.port() + "?ehloName=client.test&connectTimeout=60000";
                Producer producer = context.getEndpoint(uri).createProducer();
                producer.start();
                int maxConnections = ((LetterSmtpEndpoint) producer.getEndpoint()).getConfiguration()
                        .getMaxConnections();
                int peerThreads = maxConnections; // the scripted peer serves each connection on a thread of its own
                int baseline = threads.getThreadCount();
                List<Exchange> exchanges = new ArrayList<>();
                CountDownLatch done = new CountDownLatch(EXCHANGES);
                for (int i = 0; i < EXCHANGES; i++) {
                    Exchange exchange = new DefaultExchange(context);
                    exchange.getIn().setBody(Letter.from("sender@example.test").to("r" + i + "@example.test")
                            .subject("s").text("letter " + i).build());
                    exchanges.add(exchange);
                    ((AsyncProcessor) producer).process(exchange, sync -> done.countDown());
                }
                // every connection holds a letter at its end of data; the others wait
                await("every connection to hold a letter").atMost(Duration.ofSeconds(60))
                        .until(() -> held.get() >= maxConnections);
                int waiting = threads.getThreadCount() - baseline;
                System.out.printf("threads: %d exchanges waiting (%d connections) hold %d thread(s) beyond the "
                                  + "%d before, of which %d serve the scripted peer's connections%n",
                        EXCHANGES, maxConnections, waiting, baseline, peerThreads);
                assertTrue(waiting - peerThreads < EXCHANGES / 10,
                        () -> "waiting exchanges hold threads: " + waiting);
                release.countDown();
                assertTrue(done.await(120, TimeUnit.SECONDS), "every exchange completed");
                for (Exchange e : exchanges) {
                    @SuppressWarnings("unchecked")
                    List<SendResult> results = e.getMessage().getBody(List.class);
                    assertEquals(SendStatus.SENT, results.get(0).status(), results::toString);
                }
                producer.stop();
            } finally {
                release.countDown();
                context.stop();
            }
        } finally {
            Configurator.setLevel("io.github.smtpletter", before);
        }
    }
}
