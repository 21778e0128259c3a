package io.github.smtpletter.examples.benchmark;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import io.github.smtpletter.camel.LetterSmtpConstants;
import io.github.smtpletter.letter.Letter;
import io.github.smtpletter.mime.LetterMimeWriter;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * Sends the same letters through the same route shape ({@code from("direct:...").to(smtp endpoint)}) with
 * camel-mail's {@code smtp:} producer and with {@code letter-smtp:}, against the same servers, on loopback and
 * through a {@link LatencyProxy} that adds a one-way delay (5 ms by default), with 1 and 8 concurrent senders, and
 * prints letters/s per configuration and the ratio. Then one letter with a 200 MB file attachment is sent by each
 * client alternately, each time from a JVM of its own started with {@code -Xmx64m} ({@link BigLetterComparison}).
 * <p>
 * Every run is bounded by time and count; all traffic goes to 127.0.0.1. Settings (system properties):
 * {@code benchmark.seconds} (3), {@code benchmark.warmupSeconds} (1.5, before every run),
 * {@code benchmark.jitWarmupSeconds} (5, each client once per server before the first run), {@code benchmark.maxLetters} (200000 per
 * run), {@code benchmark.rounds} (3; the table shows the median), {@code benchmark.senders} (1,8),
 * {@code benchmark.latencyMs} (5), {@code benchmark.servers} (auto: smtp-sink and Postfix when available, else
 * GreenMail; or a list of smtp-sink, postfix, greenmail), {@code benchmark.batch} (50 letters per exchange for the
 * batch rows; 0 = no batch rows), {@code benchmark.bigMb} (200; 0 = skip), {@code benchmark.only} ({@code big}:
 * only the big-letter comparison, against the first server that starts), {@code benchmark.bigJvmArgs} (more options
 * for the big-letter JVMs, {@code {client}} replaced by the client's name), {@code benchmark.repoRoot},
 * {@code benchmark.workDir} (target directory for the generated file and server state), {@code benchmark.postfixDir}
 * (where the Postfix instance lives; default on tmpfs, /dev/shm, when there is one).
 */
public final class Benchmark {

    static final String FROM = "bench@example.org";
    static final String SUBJECT = "Benchmark letter";

    private final double seconds = Double.parseDouble(System.getProperty("benchmark.seconds", "3"));
    private final double warmupSeconds = Double.parseDouble(System.getProperty("benchmark.warmupSeconds", "1.5"));
    private final double jitWarmupSeconds = Double.parseDouble(System.getProperty("benchmark.jitWarmupSeconds", "5"));
    private final long maxLetters = Long.parseLong(System.getProperty("benchmark.maxLetters", "200000"));
    private final int rounds = Integer.parseInt(System.getProperty("benchmark.rounds", "3"));
    private final int[] senders = Arrays.stream(System.getProperty("benchmark.senders", "1,8").split(","))
            .map(String::trim).mapToInt(Integer::parseInt).toArray();
    private final int latencyMs = Integer.parseInt(System.getProperty("benchmark.latencyMs", "5"));
    private final String servers = System.getProperty("benchmark.servers", "auto");
    /** Extra letter-smtp endpoint options, e.g. {@code &maxConnections=8}; none: the defaults. */
    private final String letterOptions = System.getProperty("benchmark.letterOptions", "");
    private final int batch = Integer.parseInt(System.getProperty("benchmark.batch", "50"));
    private final int bigMb = Integer.parseInt(System.getProperty("benchmark.bigMb", "200"));
    private final String bigJvmArgs = System.getProperty("benchmark.bigJvmArgs", "");
    private final boolean bigOnly = "big".equals(System.getProperty("benchmark.only", "").trim());
    private final Path repoRoot = Path.of(System.getProperty("benchmark.repoRoot", ".")).toAbsolutePath().normalize();
    private final Path workDir = Path.of(System.getProperty("benchmark.workDir", "target")).toAbsolutePath()
            .normalize();
    private final String body = letterText();
    private final List<Row> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        new Benchmark().run();
    }

    private void run() throws Exception {
        System.out.printf(Locale.ROOT, "camel-smtp-letter benchmark: %.1f s per run (after %.1f s warm-up, at most %d"
                                       + " letters), %d round(s), senders %s, proxy delay %d ms each way, %.0f s JIT warm-up per client and"
                                       + " server%n", seconds, warmupSeconds, maxLetters, rounds, Arrays.toString(
                                               senders), latencyMs,
                jitWarmupSeconds);
        System.out.println("machine: " + Runtime.getRuntime().availableProcessors() + " cores, java "
                           + System.getProperty("java.version") + ", " + System.getProperty("os.name") + " "
                           + System.getProperty("os.arch"));
        letterSizes();
        Files.createDirectories(workDir);

        List<String> wanted = "auto".equals(servers) ? List.of("smtp-sink", "postfix")
                : Arrays.stream(servers.split(",")).map(String::trim).toList();
        boolean any = false;
        BenchServer sinkForBig = null;
        try {
            for (String s : wanted) {
                BenchServer server = startServer(s);
                if (server == null) {
                    continue;
                }
                any = true;
                try {
                    System.out.println();
                    System.out.println("== " + server.name + " on 127.0.0.1:" + server.port + " (" + server.extensions()
                                       + ")" + (server.auth() ? ", AUTH PLAIN as " + server.username : ", no AUTH"));
                    if (!bigOnly) {
                        benchmarkServer(server);
                    }
                    if (bigMb > 0 && sinkForBig == null && !(server instanceof BenchServer.InProcessGreenMail)) {
                        bigLetter(server);
                        sinkForBig = server;
                    }
                } finally {
                    server.close();
                }
            }
            if (!any && !bigOnly) {
                BenchServer gm = BenchServer.InProcessGreenMail.start();
                notes.add("neither smtp-sink nor Postfix could be started: measured against GreenMail in this JVM");
                try {
                    System.out.println();
                    System.out.println("== greenmail (in this JVM) on 127.0.0.1:" + gm.port);
                    benchmarkServer(gm);
                } finally {
                    gm.close();
                }
            }
        } finally {
            printTable();
        }
    }

    private BenchServer startServer(String name) throws Exception {
        switch (name) {
            case "smtp-sink" -> {
                Path sink = BenchServer.findSmtpSink();
                if (sink == null) {
                    notes.add("smtp-sink not found on PATH or in /usr/sbin: skipped");
                    return null;
                }
                return BenchServer.SmtpSink.start(sink, workDir);
            }
            case "postfix" -> {
                Path script = BenchServer.Postfix.findScript(repoRoot);
                if (script == null) {
                    notes.add("Postfix skipped: needs root, Postfix and " + repoRoot.resolve(
                            ".ci/postfix/postfix-ctl.sh"));
                    return null;
                }
                try {
                    // big enough for the 200 MB attachment run when smtp-sink is missing
                    return BenchServer.Postfix.start(script, postfixDir(), 1L << 30);
                } catch (IOException e) {
                    notes.add("Postfix could not be started: " + e.getMessage());
                    return null;
                }
            }
            case "greenmail" -> {
                return BenchServer.InProcessGreenMail.start();
            }
            default -> throw new IllegalArgumentException("unknown server " + name);
        }
    }

    /**
     * Where the Postfix instance lives: on tmpfs (/dev/shm) when there is one, because Postfix syncs every queue
     * file to disk before it says 250, and the benchmark is about the SMTP client, not about the disk.
     */
    private Path postfixDir() {
        String configured = System.getProperty("benchmark.postfixDir");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath();
        }
        Path shm = Path.of("/dev/shm");
        if (Files.isDirectory(shm) && Files.isWritable(shm)) {
            return shm.resolve("camel-smtp-letter-benchmark-postfix");
        }
        return workDir.resolve("postfix");
    }

    // ------------------------------------------------------------------------------------------ measuring

    private void benchmarkServer(BenchServer server) throws Exception {
        for (boolean proxied : new boolean[] { false, true }) {
            LatencyProxy proxy = proxied
                    ? new LatencyProxy(new InetSocketAddress("127.0.0.1", server.port), Duration.ofMillis(latencyMs),
                            512)
                    : null;
            int port = proxied ? proxy.port() : server.port;
            String network = proxied ? "proxy " + latencyMs + " ms" : "loopback";
            CamelContext camel = camel(server, port);
            try {
                ProducerTemplate template = camel.createProducerTemplate(1000);
                if (!proxied && jitWarmupSeconds > 0) {
                    // both clients' code paths compiled by the JIT before anything is measured
                    System.out.printf(Locale.ROOT, "  warming up both clients (%.0f s each)%n", jitWarmupSeconds);
                    timed(template, "direct:camel-mail", 1, 1, jitWarmupSeconds, server);
                    timed(template, "direct:letter-smtp", 1, 1, jitWarmupSeconds, server);
                }
                for (int n : senders) {
                    double[] mail = new double[rounds];
                    double[] letter = new double[rounds];
                    double[][] lat = new double[4][rounds]; // camel-mail p50, p99, letter-smtp p50, p99 (ms)
                    long mailErrors = 0;
                    long letterErrors = 0;
                    for (int r = 0; r < rounds; r++) {
                        Result m = measure(template, "direct:camel-mail", n, 1, server);
                        Result l = measure(template, "direct:letter-smtp", n, 1, server);
                        mail[r] = m.rate();
                        letter[r] = l.rate();
                        lat[0][r] = m.p50;
                        lat[1][r] = m.p99;
                        lat[2][r] = l.p50;
                        lat[3][r] = l.p99;
                        mailErrors += m.errors;
                        letterErrors += l.errors;
                        System.out.printf(Locale.ROOT, "  %-14s %d sender(s) round %d: camel-mail %8.1f/s (%d err,"
                                                       + " p50 %.1f p99 %.1f ms)  letter-smtp %8.1f/s (%d err, p50 %.1f"
                                                       + " p99 %.1f ms)  x%.1f%n", network, n, r + 1, m.rate(),
                                m.errors, m.p50, m.p99, l.rate(), l.errors, l.p50, l.p99, l.rate() / m.rate());
                        if (m.firstError != null) {
                            System.out.println("    camel-mail error: " + m.firstError);
                        }
                        if (l.firstError != null) {
                            System.out.println("    letter-smtp error: " + l.firstError);
                        }
                    }
                    rows.add(new Row(server.name, network, n + " sender" + (n > 1 ? "s" : ""), median(mail),
                            median(letter), mailErrors, letterErrors, target(server, proxied, n), median(lat[0]),
                            median(lat[1]), median(lat[2]), median(lat[3])));
                }
                if (batch > 1) {
                    double[] letter = new double[rounds];
                    long errors = 0;
                    for (int r = 0; r < rounds; r++) {
                        Result l = measure(template, "direct:letter-smtp", 1, batch, server);
                        letter[r] = l.rate();
                        errors += l.errors;
                        System.out.printf(Locale.ROOT, "  %-14s 1 sender, %d letters per exchange round %d: "
                                                       + "letter-smtp %8.1f/s (%d err)%n", network, batch, r + 1, l
                                                               .rate(), l.errors);
                    }
                    rows.add(new Row(server.name, network, "1 sender, batches of " + batch, Double.NaN,
                            median(letter), 0, errors, null, Double.NaN, Double.NaN, Double.NaN, Double.NaN));
                }
            } finally {
                camel.close(); // letter-smtp: QUIT on the pooled connections
                if (proxy != null) {
                    proxy.close();
                }
            }
        }
    }

    private static Double target(BenchServer server, boolean proxied, int senders) {
        if (proxied && senders == 64) {
            return 3.0;
        }
        if (proxied && senders == 8 && server instanceof BenchServer.Postfix) {
            return 6.0;
        }
        if (proxied && (senders == 1 || senders == 8)) {
            return senders == 1 ? 6.0 : null;
        }
        if (!proxied && senders == 1) {
            return 2.0;
        }
        return null;
    }

    private CamelContext camel(BenchServer server, int port) throws Exception {
        DefaultCamelContext camel = new DefaultCamelContext();
        Properties mailProps = new Properties();
        mailProps.setProperty("mail.smtp.auth.mechanisms", "PLAIN"); // the same single round trip as letter-smtp
        mailProps.setProperty("mail.smtp.timeout", "30000");
        mailProps.setProperty("mail.smtp.connectiontimeout", "10000");
        mailProps.setProperty("mail.smtp.writetimeout", "30000");
        camel.getRegistry().bind("benchMailProps", mailProps);
        String common = "from=" + FROM + "&to=" + server.recipient + "&subject=RAW(" + SUBJECT + ")";
        String mailUri = "smtp://127.0.0.1:" + port + "?" + common
                         + "&contentType=text/plain&additionalJavaMailProperties=#benchMailProps"
                         + (server.auth() ? "&username=" + server.username + "&password=RAW(" + server.password + ")"
                                 : "");
        String letterUri = "letter-smtp:127.0.0.1:" + port + "?" + common
                           + "&failOnNotSent=true" + letterOptions
                           + (server.auth() ? "&authMechanism=PLAIN&allowPlaintextAuth=true&username=" + server.username
                                              + "&password=RAW(" + server.password + ")" : "");
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:camel-mail").routeId("camel-mail").to(mailUri);
                from("direct:letter-smtp").routeId("letter-smtp").to(letterUri);
            }
        });
        camel.start();
        return camel;
    }

    /** The outcome of one timed run. */
    private record Result(long letters, long errors, double seconds, String firstError, double p50, double p99) {
        double rate() {
            return letters / seconds;
        }
    }

    /**
     * Warms up, then runs {@code senders} threads that each send exchanges (of {@code perExchange} letters) for
     * {@link #seconds} or until {@link #maxLetters} letters went, and counts the letters that were sent.
     */
    private Result measure(ProducerTemplate template, String endpoint, int senders, int perExchange,
                           BenchServer server) throws Exception {
        timed(template, endpoint, senders, perExchange, warmupSeconds, server);
        if (server instanceof BenchServer.InProcessGreenMail gm) {
            gm.purge();
        }
        return timed(template, endpoint, senders, perExchange, seconds, server);
    }

    private Result timed(ProducerTemplate template, String endpoint, int senders, int perExchange, double secs,
                         BenchServer server) throws Exception {
        Object payload = perExchange == 1 ? body : batchOf(perExchange, server);
        AtomicLong sent = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicReference<String> firstError = new AtomicReference<>();
        List<long[]> latencies = new ArrayList<>(); // per sender: exchange latencies in microseconds
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(senders);
        List<Future<?>> futures = new ArrayList<>();
        long[] deadline = new long[1];
        for (int i = 0; i < senders; i++) {
            long[] own = new long[1 << 16];
            latencies.add(own);
            futures.add(pool.submit(() -> {
                start.await();
                int k = 0;
                while (System.nanoTime() < deadline[0] && sent.get() + errors.get() < maxLetters) {
                    long s0 = System.nanoTime();
                    Exchange ex = template.send(endpoint, e -> e.getMessage().setBody(payload));
                    if (k < own.length - 1) {
                        own[++k] = (System.nanoTime() - s0) / 1000;
                        own[0] = k;
                    }
                    if (ex.getException() != null) {
                        errors.addAndGet(perExchange);
                        firstError.compareAndSet(null, ex.getException().toString());
                        if (errors.get() > 100 && sent.get() == 0) {
                            break; // nothing works: stop early
                        }
                    } else if (endpoint.contains("letter-smtp")) {
                        Integer ok = ex.getMessage().getHeader(LetterSmtpConstants.SENT_COUNT, Integer.class);
                        sent.addAndGet(ok == null ? 0 : ok);
                        errors.addAndGet(perExchange - (ok == null ? 0 : ok));
                    } else {
                        sent.addAndGet(1);
                    }
                }
                return null;
            }));
        }
        long t0 = System.nanoTime();
        deadline[0] = t0 + (long) (secs * 1e9);
        start.countDown();
        for (Future<?> f : futures) {
            f.get((long) (secs + 120), TimeUnit.SECONDS);
        }
        double elapsed = (System.nanoTime() - t0) / 1e9;
        pool.shutdown();
        long[] all = latencies.stream().flatMapToLong(l -> Arrays.stream(l, 1, (int) l[0] + 1)).sorted().toArray();
        double p50 = all.length == 0 ? Double.NaN : all[(int) Math.min(all.length - 1, all.length * 0.50)] / 1000.0;
        double p99 = all.length == 0 ? Double.NaN : all[(int) Math.min(all.length - 1, all.length * 0.99)] / 1000.0;
        return new Result(sent.get(), errors.get(), elapsed, firstError.get(), p50, p99);
    }

    private List<Letter> batchOf(int n, BenchServer server) {
        List<Letter> letters = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            letters.add(Letter.from(FROM).to(server.recipient).subject(SUBJECT).text(body).build());
        }
        return letters;
    }

    // ------------------------------------------------------------------------------------------ the big letter

    private void bigLetter(BenchServer server) throws Exception {
        List<String> jvmArgs = bigJvmArgs.isBlank() ? List.of() : List.of(bigJvmArgs.trim().split("\\s+"));
        big = new BigLetterComparison(workDir, bigMb, rounds, jvmArgs).run(server); // printed with the table
    }

    private String big;

    // ------------------------------------------------------------------------------------------ report

    private record Row(String server, String network, String load, double mail, double letter, long mailErrors,
            long letterErrors, Double target, double mailP50, double mailP99, double letterP50, double letterP99) {
    }

    private void printTable() {
        StringBuilder sb = new StringBuilder();
        if (bigOnly) {
            sb.append(big != null ? big : "\nBig letter: no server for it\n");
            System.out.println(sb);
            return;
        }
        sb.append("\n## Results (letters/s, median of ").append(rounds).append(" run(s) of ")
                .append(String.format(Locale.ROOT, "%.1f", seconds)).append(" s, ").append(new Date()).append(")\n\n");
        sb.append("| server | network | load | camel-mail smtp: | letter-smtp: | ratio | target "
                  + "| camel-mail p50/p99 ms | letter-smtp p50/p99 ms |\n");
        sb.append("| --- | --- | --- | ---: | ---: | ---: | --- | ---: | ---: |\n");
        for (Row r : rows) {
            double ratio = r.letter / r.mail;
            String target = r.target == null ? ""
                    : String.format(Locale.ROOT, ">= %.0fx: %s", r.target, ratio >= r.target ? "met" : "NOT met");
            sb.append("| ").append(r.server).append(" | ").append(r.network).append(" | ").append(r.load)
                    .append(" | ").append(Double.isNaN(r.mail) ? "-" : fmt(r.mail) + errs(r.mailErrors))
                    .append(" | ").append(fmt(r.letter)).append(errs(r.letterErrors))
                    .append(" | ").append(Double.isNaN(ratio) ? "-" : String.format(Locale.ROOT, "%.1fx", ratio))
                    .append(" | ").append(target).append(" | ").append(ms(r.mailP50, r.mailP99)).append(" | ")
                    .append(ms(r.letterP50, r.letterP99)).append(" |\n");
        }
        if (big != null) {
            sb.append(big);
        }
        for (String n : notes) {
            sb.append("\nNote: ").append(n).append('\n');
        }
        System.out.println(sb);
        try {
            Files.writeString(workDir.resolve("benchmark-results.md"), sb.toString());
        } catch (IOException e) {
            // printed above anyway
        }
    }

    private static String ms(double p50, double p99) {
        return Double.isNaN(p50) ? "-" : String.format(Locale.ROOT, "%.1f / %.1f", p50, p99);
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, v >= 100 ? "%.0f" : "%.1f", v);
    }

    private static String errs(long n) {
        return n == 0 ? "" : " (" + n + " failed)";
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    // ------------------------------------------------------------------------------------------ the letters

    /** About 2 KB of plain ASCII text in lines of 70 characters. */
    static String letterText() {
        String words = "The quick brown fox jumps over the lazy dog while the benchmark counts letters. ";
        StringBuilder sb = new StringBuilder();
        StringBuilder line = new StringBuilder();
        int i = 0;
        while (sb.length() < 2000) {
            String w = words.split(" ")[i++ % 14] + " ";
            if (line.length() + w.length() > 70) {
                sb.append(line.toString().stripTrailing()).append("\r\n");
                line.setLength(0);
            }
            line.append(w);
        }
        return sb.toString();
    }

    /** Prints the on-the-wire size of the letter both ways, to show they send the same. */
    private void letterSizes() {
        try {
            Letter l = Letter.from(FROM).to("rcpt@example.org").subject(SUBJECT).text(body).build();
            long letterSize = new LetterMimeWriter().size(l);
            MimeMessage m = new MimeMessage(Session.getInstance(new Properties()));
            m.setFrom(new InternetAddress(FROM));
            m.setRecipient(Message.RecipientType.TO, new InternetAddress("rcpt@example.org"));
            m.setSubject(SUBJECT);
            m.setText(body);
            m.setSentDate(new Date());
            m.saveChanges();
            long[] count = new long[1];
            m.writeTo(new OutputStream() {
                @Override
                public void write(int b) {
                    count[0]++;
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    count[0] += len;
                }
            });
            System.out.println("letter: " + body.length() + " characters of text, one recipient; message "
                               + letterSize + " bytes (letter-smtp) / " + count[0]
                               + " bytes (camel-mail, approximately)");
        } catch (Exception e) {
            System.out.println("letter: " + body.length() + " characters of text (size unknown: " + e + ")");
        }
    }
}
