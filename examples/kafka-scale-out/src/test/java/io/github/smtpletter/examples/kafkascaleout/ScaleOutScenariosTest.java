package io.github.smtpletter.examples.kafkascaleout;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import jakarta.mail.internet.MimeMessage;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import org.apache.camel.test.AvailablePortFinder;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The scale-out scenarios, each with exact counts: instances of the app share a letters topic on a real Kafka broker
 * (KRaft, in this JVM), send to GreenMail and record in the JDBC ledger on a private PostgreSQL. The results topic is
 * read as a {@code read_committed} reader does: exactly one result record per letter and per pass of a consumer
 * group over the letters (a replay by a new group is a second pass, on purpose: it re-emits each stored result once).
 */
class ScaleOutScenariosTest {

    private static final Logger LOG = LoggerFactory.getLogger(ScaleOutScenariosTest.class);
    private static final int PARTITIONS = 6;
    private static final int CONSUMERS = 2;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Letters per scenario (-Dscenario.letters; the replay and outage scenarios use a share of it). */
    private static final int LETTERS = Integer.getInteger("scenario.letters", 3_000);

    private static PrivatePostgres postgres;
    private static KafkaBroker kafka;
    private static int smtpPort;
    private static GreenMail smtp;

    private final List<AutoCloseable> running = new ArrayList<>();
    private String name;
    private long started;

    @BeforeAll
    static void startBrokerAndServer() throws Exception {
        assumeTrue(PrivatePostgres.enabled(), PrivatePostgres.HOW_TO_RUN);
        long t0 = System.nanoTime();
        postgres = PrivatePostgres.start();
        LOG.info("PostgreSQL up in {} ms at {}", (System.nanoTime() - t0) / 1_000_000, postgres.jdbcUrl());
        t0 = System.nanoTime();
        kafka = KafkaBroker.start();
        LOG.info("Kafka up in {} ms at {}", (System.nanoTime() - t0) / 1_000_000, kafka.bootstrapServers());
        smtpPort = AvailablePortFinder.getNextAvailable();
        startSmtp();
    }

    @AfterAll
    static void stopBrokerAndServer() throws Exception {
        if (smtp != null) {
            smtp.stop();
        }
        if (kafka != null) {
            kafka.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    private static void startSmtp() {
        smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
    }

    @AfterEach
    void stopInstances() throws Exception {
        for (AutoCloseable c : running) {
            c.close();
        }
        LOG.info("Scenario {} took {} s", name, (System.nanoTime() - started) / 1_000_000_000.0);
    }

    private void begin(TestInfo info) throws Exception {
        name = info.getTestMethod().orElseThrow().getName().toLowerCase();
        started = System.nanoTime();
        kafka.createTopic(lettersTopic(), PARTITIONS);
        kafka.createTopic(resultsTopic(), PARTITIONS);
    }

    @Test
    void threeInstances(TestInfo info) throws Exception {
        begin(info);
        int letters = LETTERS;
        for (int i = 1; i <= 3; i++) {
            instance("i" + i);
        }
        kafka.send(lettersTopic(), letters(letters));
        awaitResultsFor(letters, Duration.ofMinutes(4));
        closeInstances();

        Results results = results();
        assertExactlyOneResultPerLetter(results, letters, "SENT");
        assertEquals(3, results.instances().size(), "every instance worked: " + results.perInstance());
        assertReceivedOnce(letters);
    }

    @Test
    void oneStoppedGracefullyMidway(TestInfo info) throws Exception {
        begin(info);
        int letters = LETTERS;
        ScaleOutApplication first = instance("i1");
        instance("i2");
        instance("i3");
        kafka.send(lettersTopic(), letters(letters));
        awaitResultsFor(letters / 3, Duration.ofMinutes(3));
        first.close();
        awaitResultsFor(letters, Duration.ofMinutes(4));
        closeInstances();

        assertExactlyOneResultPerLetter(results(), letters, "SENT");
        assertReceivedOnce(letters);
    }

    @Test
    void oneKilledMidway(TestInfo info) throws Exception {
        begin(info);
        int letters = LETTERS;
        ChildInstance child = ChildInstance.launch(settings("child"), Path.of("target", name + "-child.log"));
        running.add(child);
        child.awaitReady();
        kafka.send(lettersTopic(), letters(letters));
        // the child alone takes every partition; once it is busy, two survivors join and the child is killed
        await("the child instance sent some letters").atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> results().perInstance().getOrDefault("child", 0L) >= letters / 10);
        instance("i1");
        instance("i2");
        long before = results().letters();
        child.kill();
        LOG.info("{}: killed the child instance (kill -9) with {} of {} letters done", name, before, letters);
        long killedAt = System.nanoTime();
        awaitResultsFor(letters, Duration.ofMinutes(4));
        LOG.info("{}: every letter had a result {} ms after the kill", name, (System.nanoTime() - killedAt)
                / 1_000_000);
        closeInstances();

        Results results = results();
        assertEquals(letters, results.letters(), "letters with a result");
        assertEquals(letters, results.records(), "result records: exactly one per letter, the killed instance's"
                                                 + " unfinished transactions invisible");
        assertEquals(0, results.conflicting(), "letters with two different results: " + results.conflictingKeys());
        Map<String, Long> byStatus = results.finalByStatus();
        long unknown = byStatus.getOrDefault("UNKNOWN", 0L);
        assertEquals(letters, byStatus.getOrDefault("SENT", 0L) + unknown, "final results " + byStatus);
        assertTrue(unknown <= CONSUMERS, "UNKNOWN only for letters in the killed instance's hands (at most one per"
                                         + " consumer): " + byStatus);
        assertTrue(before < letters, "the child was killed midway");
        Map<String, Long> received = received();
        assertEquals(0, received.values().stream().filter(n -> n > 1).count(), "letters received twice");
        assertTrue(received.size() >= letters - unknown && received.size() <= letters,
                "received " + received.size() + " of " + letters + " with " + unknown + " UNKNOWN");
        LOG.info("{}: final results {}, result records {}, received {}, per instance {}", name, byStatus,
                results.records(), received.size(), results.perInstance());
    }

    @Test
    void replayFromOffsetZero(TestInfo info) throws Exception {
        begin(info);
        int letters = LETTERS / 2;
        instance("i1");
        instance("i2");
        kafka.send(lettersTopic(), letters(letters));
        awaitResultsFor(letters, Duration.ofMinutes(4));
        closeInstances();
        assertExactlyOneResultPerLetter(results(), letters, "SENT");
        assertReceivedOnce(letters);

        // a new consumer group reads the whole topic again, from offset 0: a second pass, which re-emits each
        // stored result once (its records come from r1 and r2)
        instance(settings("r1").with("scaleout.group", name + "-replay"));
        instance(settings("r2").with("scaleout.group", name + "-replay"));
        await(letters + " results re-emitted").atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500))
                .until(() -> results().replayedLetters() >= letters);
        closeInstances();

        Results results = results();
        LOG.info("{}: result records {} (first pass {}, replay {}), per instance {}", name, results.records(),
                results.records() - results.replayedRecords(), results.replayedRecords(), results.perInstance());
        assertEquals(2L * letters, results.records(), "result records: one per letter in each of the two passes");
        assertEquals(letters, results.replayedRecords(), "result records the replaying instances re-emitted");
        assertEquals(letters, results.replayedLetters(), "letters whose result the replaying instances re-emitted");
        assertEquals(Map.of("SENT", 2L * letters), results.byStatus(), "the replay re-emits the stored results");
        assertEquals(0, results.conflicting(), "letters with two different results: " + results.conflictingKeys());
        assertReceivedOnce(letters);
    }

    @Test
    void smtpServerDownForAWhile(TestInfo info) throws Exception {
        begin(info);
        int letters = Math.max(20, LETTERS / 5);
        smtp.stop();
        try {
            instance("i1");
            instance("i2");
            kafka.send(lettersTopic(), letters(letters));
            await("no result while the server is down").during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> results().records() == 0);
        } finally {
            startSmtp();
        }
        awaitResultsFor(letters, Duration.ofMinutes(4));
        closeInstances();

        assertExactlyOneResultPerLetter(results(), letters, "SENT");
        assertReceivedOnce(letters);
    }

    @Test
    void finalFailedPastTheGiveUpTime(TestInfo info) throws Exception {
        begin(info);
        int letters = 12;
        int nobodyListens = AvailablePortFinder.getNextAvailable();
        instance(settings("i1").with("scaleout.smtp.port", nobodyListens).with("scaleout.give.up.ms", 1_500)
                .with("scaleout.consumers", PARTITIONS));
        Map<String, String> records = letters(letters);
        records.put(name + "-broken@example.org", "{\"from\": \"shop@example.org\", \"to\": [");
        kafka.send(lettersTopic(), records);
        awaitResultsFor(letters + 1, Duration.ofMinutes(3));
        closeInstances();

        Results results = results();
        assertEquals(letters + 1, results.records(), "result records");
        assertEquals(Map.of("FAILED", (long) letters, "REJECTED", 1L), results.byStatus(),
                "the letters FAILED for good, the record that is no letter REJECTED");
        assertEquals(Map.of(), received(), "nothing received");
    }

    // ------------------------------------------------------------------------------------------------------------

    private ScaleOutSettings settings(String instance) {
        Properties p = new Properties();
        p.setProperty("scaleout.kafka.brokers", kafka.bootstrapServers());
        p.setProperty("scaleout.letters.topic", lettersTopic());
        p.setProperty("scaleout.results.topic", resultsTopic());
        p.setProperty("scaleout.group", name + "-senders");
        p.setProperty("scaleout.instance", instance);
        p.setProperty("scaleout.session.timeout.ms", "6000");
        p.setProperty("scaleout.consumers", String.valueOf(CONSUMERS));
        p.setProperty("scaleout.smtp.host", "127.0.0.1");
        p.setProperty("scaleout.smtp.port", String.valueOf(smtpPort));
        p.setProperty("scaleout.retry.delay.ms", "200");
        p.setProperty("scaleout.retry.max.delay.ms", "2000");
        p.setProperty("scaleout.ledger.lease.ms", "5000");
        p.setProperty("scaleout.jdbc.url", postgres.jdbcUrl());
        p.setProperty("scaleout.jdbc.user", postgres.user());
        p.setProperty("scaleout.jdbc.password", postgres.password());
        return ScaleOutSettings.from(p);
    }

    private String lettersTopic() {
        return name + "-letters";
    }

    private String resultsTopic() {
        return name + "-results";
    }

    private ScaleOutApplication instance(String instance) throws Exception {
        return instance(settings(instance));
    }

    private ScaleOutApplication instance(ScaleOutSettings settings) throws Exception {
        ScaleOutApplication app = ScaleOutApplication.start(settings);
        running.add(app);
        return app;
    }

    private void closeInstances() throws Exception {
        for (AutoCloseable c : running) {
            c.close();
        }
        running.clear();
    }

    private Map<String, String> letters(int count) {
        Map<String, String> letters = new LinkedHashMap<>();
        for (int i = 1; i <= count; i++) {
            String id = name + "-" + i + "@example.org";
            letters.put(id, "{\"from\":\"shop@example.org\",\"to\":[\"customer" + i + "@example.org\"],"
                            + "\"subject\":\"Order " + i + "\",\"text\":\"Your order " + i + " has shipped.\","
                            + "\"messageId\":\"" + id + "\"}");
        }
        return letters;
    }

    private void awaitResultsFor(int letters, Duration atMost) {
        await(letters + " letters with a result on " + resultsTopic()).atMost(atMost)
                .pollInterval(Duration.ofMillis(500))
                .until(() -> results().letters() >= letters);
    }

    private Results results() throws Exception {
        List<ConsumerRecord<String, String>> records = kafka.readAll(resultsTopic());
        List<Map<?, ?>> parsed = new ArrayList<>();
        for (ConsumerRecord<String, String> r : records) {
            Map<?, ?> m = JSON.readValue(r.value(), Map.class);
            assertEquals(r.key(), m.get("messageId"), "a result is keyed by its letter's Message-ID");
            parsed.add(m);
        }
        return new Results(parsed);
    }

    /** Message-ID -> how many times GreenMail received that letter, for this scenario's letters. */
    private Map<String, Long> received() throws Exception {
        Map<String, Long> counts = new TreeMap<>();
        for (MimeMessage m : smtp.getReceivedMessages()) {
            String id = m.getMessageID().replaceAll("[<>]", "");
            if (id.startsWith(name + "-")) {
                counts.merge(id, 1L, Long::sum);
            }
        }
        return counts;
    }

    /**
     * Every letter has exactly one result record (read_committed): a result is published in the Kafka transaction
     * that commits its letter's offset, so a record read again after a rebalance or a crash had no visible result.
     */
    private void assertExactlyOneResultPerLetter(Results results, int letters, String status) {
        LOG.info("{}: result records {}, letters with a result {}, per instance {}", name, results.records(),
                results.letters(), results.perInstance());
        assertEquals(letters, results.letters(), "letters with a result");
        assertEquals(letters, results.records(), "result records: exactly one per letter");
        assertEquals(Map.of(status, (long) letters), results.byStatus(), "results");
    }

    private void assertReceivedOnce(int letters) throws Exception {
        Map<String, Long> received = received();
        assertEquals(letters, received.size(), "letters received");
        assertEquals(letters, received.values().stream().mapToLong(Long::longValue).sum(), "deliveries");
    }

    /** The records of a results topic. */
    record Results(List<Map<?, ?>> all) {

        int records() {
            return all.size();
        }

        /** Letters with a result from a replaying instance (named r1, r2). */
        long replayedLetters() {
            return all.stream().filter(Results::replayed).map(m -> m.get("messageId")).distinct().count();
        }

        /** Result records from a replaying instance. */
        long replayedRecords() {
            return all.stream().filter(Results::replayed).count();
        }

        private static boolean replayed(Map<?, ?> result) {
            return ((String) result.get("instance")).startsWith("r");
        }

        long letters() {
            return all.stream().map(m -> m.get("messageId")).distinct().count();
        }

        Map<String, Long> byStatus() {
            return all.stream().collect(Collectors.groupingBy(m -> (String) m.get("status"), TreeMap::new,
                    Collectors.counting()));
        }

        /** Status of each letter's last result -> how many letters. */
        Map<String, Long> finalByStatus() {
            Map<Object, Map<?, ?>> last = new HashMap<>();
            all.forEach(m -> last.put(m.get("messageId"), m));
            return last.values().stream().collect(Collectors.groupingBy(m -> (String) m.get("status"), TreeMap::new,
                    Collectors.counting()));
        }

        Set<Object> instances() {
            return perInstance().keySet().stream().collect(Collectors.toSet());
        }

        Map<String, Long> perInstance() {
            return all.stream().collect(Collectors.groupingBy(m -> (String) m.get("instance"), TreeMap::new,
                    Collectors.counting()));
        }

        List<Object> conflictingKeys() {
            Map<Object, Set<Object>> statuses = new HashMap<>();
            all.forEach(m -> statuses.computeIfAbsent(m.get("messageId"), k -> new HashSet<>())
                    .add(m.get("status")));
            return statuses.entrySet().stream().filter(e -> e.getValue().size() > 1).map(e -> (Object) e.getKey())
                    .toList();
        }

        long conflicting() {
            return conflictingKeys().size();
        }
    }
}
