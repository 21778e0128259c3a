package io.github.smtpletter.camel;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import com.zaxxer.hikari.HikariDataSource;
import io.github.smtpletter.camel.ledger.JdbcLetterLedger;
import io.github.smtpletter.letter.Letter;
import io.github.smtpletter.smtp.SendResult;
import io.github.smtpletter.smtp.SendStatus;
import io.github.smtpletter.testsupport.PostgresExtension;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three CamelContexts (as three instances of an application would) share a {@link JdbcLetterLedger} on a real
 * PostgreSQL: the same letters offered to all of them concurrently, and again later (a replay), are delivered once;
 * with the database down nothing is sent and the letters are FAILED (retryable).
 */
@Timeout(300)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LetterSmtpJdbcLedgerIT {

    @RegisterExtension
    static final PostgresExtension POSTGRES = new PostgresExtension();
    @RegisterExtension
    static final GreenMailExtension GREEN_MAIL = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
            .withPerMethodLifecycle(false);

    private static HikariDataSource pool;

    @BeforeAll
    static void createTable() {
        pool = POSTGRES.pooledDataSource(12);
        new JdbcLetterLedger(pool).createTable();
    }

    @AfterAll
    static void closePool() {
        if (pool != null) {
            pool.close();
        }
    }

    private static CamelContext instance(String name) throws Exception {
        CamelContext context = new DefaultCamelContext();
        context.getCamelContextExtension().setName(name);
        context.getRegistry().bind("ledger", new JdbcLetterLedger(pool)); // each instance its own ledger object
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:send").to("letter-smtp:127.0.0.1:" + GREEN_MAIL.getSmtp().getPort()
                                       + "?ledger=#ledger&ledgerLease=1m&readTimeout=5s&failOnNotSent=false");
            }
        });
        context.start();
        return context;
    }

    private static SendResult send(ProducerTemplate template, Letter letter) {
        List<?> results = template.requestBody("direct:send", letter, List.class);
        return (SendResult) results.get(0);
    }

    @Test
    @Order(1)
    void threeInstancesOfferedTheSameLettersDeliverEachOnce() throws Exception {
        int letters = 60;
        List<Letter> all = new ArrayList<>();
        for (int i = 0; i < letters; i++) {
            all.add(Letter.from("shop@example.test").to("ann@example.test").subject("letter " + i).text("t")
                    .messageId("jdbc-" + i + "@shop.example.test").build());
        }
        List<CamelContext> instances = List.of(instance("one"), instance("two"), instance("three"));
        ExecutorService threads = Executors.newFixedThreadPool(instances.size());
        try {
            List<Future<List<SendResult>>> futures = new ArrayList<>();
            for (CamelContext c : instances) {
                ProducerTemplate t = c.createProducerTemplate();
                futures.add(threads.submit(() -> {
                    List<SendResult> out = new ArrayList<>();
                    for (Letter l : all) {
                        out.add(send(t, l));
                    }
                    return out;
                }));
            }
            int failedHeld = 0;
            for (Future<List<SendResult>> f : futures) {
                for (SendResult r : f.get(240, TimeUnit.SECONDS)) {
                    if (r.status() == SendStatus.FAILED) {
                        assertTrue(r.error().contains("another attempt"), r.error());
                        failedHeld++;
                    } else {
                        assertEquals(SendStatus.SENT, r.status(), r.toString());
                    }
                }
            }
            Awaitility.await().atMost(Duration.ofSeconds(30))
                    .until(() -> GREEN_MAIL.getReceivedMessages().length >= letters);
            assertEquals(letters, GREEN_MAIL.getReceivedMessages().length, "each letter delivered once");

            // a replay (a restarted instance, the topic read again): every result comes from the ledger
            try (CamelContext restarted = instance("restarted")) {
                ProducerTemplate t = restarted.createProducerTemplate();
                for (Letter l : all) {
                    assertEquals(SendStatus.SENT, send(t, l).status());
                }
            }
            assertEquals(letters, GREEN_MAIL.getReceivedMessages().length, "nothing sent again by the replay");
            System.out.printf("3 instances x %d letters through one JDBC ledger: %d delivered, %d answered FAILED"
                              + " (held by another instance)%n", letters, GREEN_MAIL.getReceivedMessages().length,
                    failedHeld);
        } finally {
            threads.shutdownNow();
            for (CamelContext c : instances) {
                c.close();
            }
        }
    }

    @Test
    @Order(2)
    void withTheDatabaseDownNothingIsSent() throws Exception {
        int before = GREEN_MAIL.getReceivedMessages().length;
        try (CamelContext context = instance("down")) {
            POSTGRES.stop();
            Letter letter = Letter.from("shop@example.test").to("ann@example.test").subject("down").text("t")
                    .messageId("down@shop.example.test").build();
            SendResult r = send(context.createProducerTemplate(), letter);
            assertEquals(SendStatus.FAILED, r.status());
            assertTrue(r.isRetryable());
            assertTrue(r.error().contains("the ledger cannot be used"), r.error());
            assertEquals(before, GREEN_MAIL.getReceivedMessages().length, "nothing sent");
            assertTrue(!r.error().contains(POSTGRES.password() + "@"), r.error());
        } finally {
            POSTGRES.start();
        }
    }
}
