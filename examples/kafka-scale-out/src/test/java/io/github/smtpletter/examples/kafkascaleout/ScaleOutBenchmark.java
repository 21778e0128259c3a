package io.github.smtpletter.examples.kafkascaleout;

import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.github.smtpletter.examples.benchmark.LatencyProxy;
import org.apache.camel.test.AvailablePortFinder;

/**
 * Throughput of the scale-out app: letters per second for 1 and for 3 instances, with the JDBC ledger and without,
 * against GreenMail behind a {@link LatencyProxy} (a slow link: {@code benchmark.latencyMs} each way). A main, not a
 * test: it prints figures and asserts nothing. Run with
 * {@code mvn -B -pl examples/kafka-scale-out -am package -DskipTests -Dscale-out-benchmark -Dpostgres.tests=true}
 * (the ledger runs need the private PostgreSQL of {@code .ci/postgres/pg-ctl.sh}; without it only the runs without
 * a ledger are made).
 * <p>
 * Each run: fresh topics (6 partitions), the instances started, 60 warm-up letters sent and their results awaited,
 * then {@code benchmark.letters} letters sent; the time is from the first send to the last committed result on the
 * results topic (read_committed: each result is published in a transaction with its letter's offset). Every instance has {@code benchmark.consumers} consumers (2), each taking one letter at a time.
 */
public final class ScaleOutBenchmark {

    private static final int WARMUP = 60;

    private ScaleOutBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int letters = Integer.getInteger("benchmark.letters", 1_000);
        int latencyMs = Integer.getInteger("benchmark.latencyMs", 5);
        int consumers = Integer.getInteger("benchmark.consumers", 2);
        List<String> lines = new ArrayList<>();
        try (KafkaBroker kafka = KafkaBroker.start();
                Postgres postgres = Postgres.startIfEnabled()) {
            GreenMail smtp = new GreenMail(new ServerSetup(AvailablePortFinder.getNextAvailable(), "127.0.0.1",
                    ServerSetup.PROTOCOL_SMTP));
            smtp.start();
            try (LatencyProxy proxy = new LatencyProxy(new InetSocketAddress("127.0.0.1", smtp.getSmtp().getPort()),
                    Duration.ofMillis(latencyMs), 64)) {
                Properties base = new Properties();
                base.setProperty("scaleout.kafka.brokers", kafka.bootstrapServers());
                base.setProperty("scaleout.smtp.host", "127.0.0.1");
                base.setProperty("scaleout.smtp.port", String.valueOf(proxy.port()));
                base.setProperty("scaleout.consumers", String.valueOf(consumers));
                List<Boolean> ledgerModes = postgres.url() == null ? List.of(false) : List.of(false, true);
                int run = 0;
                for (boolean ledger : ledgerModes) {
                    for (int instances : new int[] { 1, 3 }) {
                        ScaleOutSettings settings = ScaleOutSettings.from(base);
                        if (ledger) {
                            settings = settings.with("scaleout.jdbc.url", postgres.url())
                                    .with("scaleout.jdbc.user", "letters").with("scaleout.jdbc.password", "letters");
                        }
                        double rate = run(kafka, settings, "bench" + (++run), instances, letters);
                        String line = String.format(
                                "%d instance(s) x %d consumers, %s: %,d letters in %.1f s = %.1f letters/s",
                                instances, consumers, ledger ? "JDBC ledger" : "no ledger", letters, letters / rate,
                                rate);
                        System.out.println(line);
                        lines.add(line);
                    }
                }
            } finally {
                smtp.stop();
            }
        }
        System.out.println();
        System.out.println("Scale-out benchmark, SMTP behind a " + latencyMs + " ms (one way) latency proxy,"
                           + " Kafka and PostgreSQL on this machine (" + Runtime.getRuntime().availableProcessors()
                           + " cores, load average " + loadAverage() + "):");
        lines.forEach(l -> System.out.println("  " + l));
    }

    /** One run; returns letters per second. */
    private static double run(KafkaBroker kafka, ScaleOutSettings base, String name, int instances, int letters)
            throws Exception {
        kafka.createTopic(name + "-letters", 6);
        kafka.createTopic(name + "-results", 6);
        ScaleOutSettings settings = base.with("scaleout.letters.topic", name + "-letters")
                .with("scaleout.results.topic", name + "-results").with("scaleout.group", name);
        List<ScaleOutApplication> apps = new ArrayList<>();
        try {
            for (int i = 1; i <= instances; i++) {
                apps.add(ScaleOutApplication.start(settings.with("scaleout.instance", name + "-i" + i)));
            }
            try (KafkaBroker.Tail results = kafka.tail(name + "-results")) {
                kafka.send(name + "-letters", letters(name + "-w", WARMUP));
                awaitCount(results, name + "-results", WARMUP);
                long t0 = System.nanoTime();
                kafka.send(name + "-letters", letters(name, letters));
                awaitCount(results, name + "-results", WARMUP + letters);
                return letters / ((System.nanoTime() - t0) / 1e9);
            }
        } finally {
            apps.forEach(ScaleOutApplication::close);
        }
    }

    /** Waits until the results topic holds that many committed records (one per letter, read_committed). */
    private static void awaitCount(KafkaBroker.Tail results, String topic, long count) {
        long deadline = System.nanoTime() + Duration.ofMinutes(15).toNanos();
        while (results.poll(Duration.ofMillis(100)) < count) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(topic + ": fewer than " + count + " results after 15 minutes");
            }
        }
    }

    private static Map<String, String> letters(String prefix, int count) {
        Map<String, String> letters = new LinkedHashMap<>();
        for (int i = 1; i <= count; i++) {
            String id = prefix + "-" + i + "@example.org";
            letters.put(id, "{\"from\":\"shop@example.org\",\"to\":[\"customer" + i + "@example.org\"],"
                            + "\"subject\":\"Order " + i + "\",\"text\":\"Your order " + i + " has shipped.\","
                            + "\"messageId\":\"" + id + "\"}");
        }
        return letters;
    }

    private static String loadAverage() {
        return String.format("%.1f", ManagementFactory.getOperatingSystemMXBean()
                .getSystemLoadAverage());
    }

    /** The private PostgreSQL when -Dpostgres.tests=true, else nothing. */
    private record Postgres(PrivatePostgres cluster) implements AutoCloseable {

        static Postgres startIfEnabled() throws Exception {
            return new Postgres(PrivatePostgres.enabled() ? PrivatePostgres.start() : null);
        }

        String url() {
            return cluster == null ? null : cluster.jdbcUrl();
        }

        @Override
        public void close() throws Exception {
            if (cluster != null) {
                cluster.close();
            }
        }
    }
}
