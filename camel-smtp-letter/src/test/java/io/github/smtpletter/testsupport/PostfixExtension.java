package io.github.smtpletter.testsupport;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Stream;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Postfix with Cyrus SASL on 127.0.0.1 for tests tagged {@code "postfix"} (see {@link PostfixTest}).
 *
 * <p>When the system property {@code postfix.tests} is {@code "true"}, the first test class that uses the
 * extension starts one Postfix for the whole JVM through {@code .ci/postfix/postfix-ctl.sh start} into
 * {@code camel-smtp-letter/target/postfix} (or, when the users {@code postfix} and {@code nobody} cannot reach that
 * folder, e.g. in a checkout below the 0700 {@code /root}, into the fallback {@code /tmp/camel-smtp-letter-postfix-<hash>}
 * that {@code postfix-ctl.sh resolve} names); it is stopped when JUnit closes its root store (after all tests),
 * with a JVM shutdown hook as a backstop. When the property is not {@code "true"}, every test of a class using
 * the extension is skipped with {@link #HOW_TO_RUN} (reported per test as skipped with that message: surefire
 * does not show an assumption that aborts a whole class, so the skip is an execution condition, with an
 * assumption in {@code beforeAll} as a second line).
 *
 * <p>What the instance offers (all on {@link #host()} = 127.0.0.1; see {@code postfix-ctl.sh} for the details):
 * <ul>
 *   <li>{@link #authPort()} (10025): AUTH required; mechanisms ANONYMOUS PLAIN LOGIN CRAM-MD5 DIGEST-MD5, all
 *       offered also without TLS; STARTTLS offered. Mail is accepted only after a successful AUTH with a real
 *       user: Postfix answers AUTH ANONYMOUS with 235 but then still refuses RCPT (554 5.7.1) here.</li>
 *   <li>{@link #anonymousPort()} (10026): same AUTH offer, but loopback clients may send without AUTH; this is
 *       where AUTH ANONYMOUS senders send.</li>
 *   <li>{@link #smtpsPort()} (10027): like the auth port, implicit TLS (SMTPS).</li>
 *   <li>one SASL user {@link #username()} / {@link #password()} ({@code alice} / {@code wonderland-secret}) in
 *       the realm {@link #realm()} ({@code postfix.smtpletter.test}, also Postfix' host name). PLAIN, LOGIN and
 *       CRAM-MD5 take {@code alice} (or {@code alice@postfix.smtpletter.test}); DIGEST-MD5 clients use the realm
 *       the server offers. A wrong password gives {@code 535 5.7.8}.</li>
 *   <li>TLS: a self-signed certificate ({@link #certificate()}, SAN: the host name, localhost, 127.0.0.1) that
 *       {@link #trustingSslContext()} trusts.</li>
 *   <li>policy on every port: RCPT at {@code reject.example} gets {@code 550 5.1.1}, at {@code busy.example}
 *       {@code 450 4.2.1}; MAIL FROM at {@code blocked.example} gets {@code 553 5.7.1}; recipients at
 *       {@code discard.example} are accepted and dropped. SIZE 10485760; PIPELINING, CHUNKING, 8BITMIME,
 *       SMTPUTF8, DSN, ENHANCEDSTATUSCODES are advertised.</li>
 *   <li>every other accepted message becomes one file {@code <queue id>.eml} in {@link #deliveredDirectory()}
 *       ({@link #deliveredMessages()}, {@link #awaitDeliveredContaining(String, Duration)}): LF line ends,
 *       starting with {@code X-Envelope-From: <sender>}, one {@code X-Envelope-To: <rcpt>} line per envelope
 *       recipient, {@code Return-Path:}, Postfix' {@code Received:}, then the message as sent.</li>
 * </ul>
 *
 * <p>System properties: {@code postfix.tests} (enable), {@code postfix.port.auth}, {@code postfix.port.anonymous},
 * {@code postfix.port.smtps} (other ports, e.g. when 10025-10027 are taken), {@code postfix.dir} (instance
 * folder), {@code postfix.script} (path of postfix-ctl.sh), {@code postfix.start.timeout} (seconds, 120).
 * Starting needs root and the packages of {@code .ci/postfix/install.sh}; when {@code postfix.tests=true} and
 * starting fails, the tests fail (they were asked for) with the script's output.
 */
public final class PostfixExtension implements ExecutionCondition, BeforeAllCallback {

    /** The JUnit tag of tests that need this Postfix. */
    public static final String TAG = "postfix";
    /** System property that enables the tests. */
    public static final String ENABLE_PROPERTY = "postfix.tests";
    /** The message of the skipped tests. */
    public static final String HOW_TO_RUN = "Postfix tests are off: run `bash .ci/run` or "
                                            + "`mvn -B verify -Dpostfix.tests=true` as root with Postfix installed (.ci/postfix/install.sh);"
                                            + " see .ci/postfix/README.md";

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(
            PostfixExtension.class);
    private static final String STORE_KEY = Instance.class.getName();
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(50);

    /** The one instance of this JVM (shared by every extension object); null until started. */
    private static volatile Instance current;

    /** @return whether {@code -Dpostfix.tests=true} was given */
    public static boolean isEnabled() {
        return Boolean.parseBoolean(System.getProperty(ENABLE_PROPERTY, "false").trim());
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        return isEnabled()
                ? ConditionEvaluationResult.enabled(ENABLE_PROPERTY + "=true")
                : ConditionEvaluationResult.disabled(HOW_TO_RUN);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        Assumptions.assumeTrue(isEnabled(), HOW_TO_RUN);
        current = context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(STORE_KEY, key -> Instance.start(Settings.fromSystemProperties()),
                        Instance.class);
    }

    private static Instance instance() {
        Instance i = current;
        if (i == null) {
            throw new IllegalStateException("Postfix is not started: register PostfixExtension with "
                                            + "@RegisterExtension on a static field and call it from tests ("
                                            + HOW_TO_RUN + ")");
        }
        return i;
    }

    // ---------------------------------------------------------------- connection facts

    /** @return the address every listener is bound to: {@code 127.0.0.1} */
    public String host() {
        return instance().property("host");
    }

    /** @return the port that requires AUTH (default 10025; STARTTLS offered) */
    public int authPort() {
        return Integer.parseInt(instance().property("auth.port"));
    }

    /** @return the port that accepts loopback clients without AUTH, for AUTH ANONYMOUS (default 10026) */
    public int anonymousPort() {
        return Integer.parseInt(instance().property("anonymous.port"));
    }

    /** @return the implicit-TLS port that requires AUTH (default 10027) */
    public int smtpsPort() {
        return Integer.parseInt(instance().property("smtps.port"));
    }

    /** @return Postfix' host name ({@code myhostname}, in its greeting and certificate) */
    public String hostname() {
        return instance().property("hostname");
    }

    /** @return the SASL realm of the users (equals {@link #hostname()}) */
    public String realm() {
        return instance().property("realm");
    }

    /** @return the SASL user name ({@code alice}) */
    public String username() {
        return instance().property("user.1");
    }

    /** @return the SASL user's password */
    public String password() {
        return instance().property("password.1");
    }

    /** @return the message size limit advertised with SIZE */
    public long messageSizeLimit() {
        return Long.parseLong(instance().property("message.size.limit"));
    }

    /** @return the folder of the instance ({@code camel-smtp-letter/target/postfix}, or its fallback under /tmp when
     *  the users postfix and nobody cannot reach that, see {@code postfix-ctl.sh resolve}) */
    public Path directory() {
        return instance().dir;
    }

    /** @return the PEM file of the server's self-signed certificate */
    public Path certificate() {
        return Paths.get(instance().property("certificate"));
    }

    /** @return an SSLContext that trusts exactly the server's self-signed certificate (hostname checks pass for
     *  127.0.0.1, localhost and {@link #hostname()}) */
    public SSLContext trustingSslContext() {
        try (InputStream in = Files.newInputStream(certificate())) {
            Certificate cert = CertificateFactory.getInstance("X.509").generateCertificate(in);
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            trust.setCertificateEntry("postfix-test", cert);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build an SSLContext for " + certificate(), e);
        }
    }

    // ---------------------------------------------------------------- what arrived

    /** @return the folder the delivered messages are written to */
    public Path deliveredDirectory() {
        return Paths.get(instance().property("delivered"));
    }

    /** @return the Postfix log file */
    public Path maillogFile() {
        return Paths.get(instance().property("maillog"));
    }

    /** @return every message delivered since the instance started, oldest first */
    public List<Path> deliveredMessages() {
        try (Stream<Path> files = Files.list(deliveredDirectory())) {
            List<Path> result = new ArrayList<>(files.filter(p -> p.getFileName().toString().endsWith(".eml"))
                    .toList());
            result.sort(Comparator.comparing(PostfixExtension::modified).thenComparing(p -> p.getFileName()
                    .toString()));
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Waits until a delivered message contains {@code needle} (e.g. a Message-ID or a unique subject).
     *
     * @return the whole delivered file (decoded as UTF-8) of the oldest such message, or empty after {@code timeout}
     */
    public Optional<String> awaitDeliveredContaining(String needle, Duration timeout) {
        return awaitDeliveredFile(needle, timeout).map(PostfixExtension::read);
    }

    /**
     * Waits until a delivered message contains {@code needle}.
     *
     * @return the oldest file whose content contains it, or empty after {@code timeout}
     */
    public Optional<Path> awaitDeliveredFile(String needle, Duration timeout) {
        byte[] wanted = needle.getBytes(StandardCharsets.UTF_8);
        Set<Path> without = new HashSet<>();  // delivered files never change: read each once
        return await(timeout, () -> {
            for (Path p : deliveredMessages()) {
                if (!without.contains(p)) {
                    if (contains(readBytes(p), wanted)) {
                        return Optional.of(p);
                    }
                    without.add(p);
                }
            }
            return Optional.empty();
        });
    }

    /**
     * Waits until the Postfix log satisfies {@code condition} (Postfix writes its log asynchronously through
     * postlogd, so a line may appear a little after the SMTP reply that it describes).
     *
     * @return the whole log at the moment the condition held, or empty after {@code timeout}
     */
    public Optional<String> awaitMaillog(Predicate<String> condition, Duration timeout) {
        return await(timeout, () -> {
            String log = maillog();
            return condition.test(log) ? Optional.of(log) : Optional.empty();
        });
    }

    /** Runs {@code probe} every {@link #POLL_INTERVAL} until it finds something, for at most {@code timeout}. */
    private static <T> Optional<T> await(Duration timeout, Supplier<Optional<T>> probe) {
        try {
            return Awaitility.await().atMost(timeout).pollDelay(Duration.ZERO).pollInterval(POLL_INTERVAL)
                    .until(probe::get, Optional::isPresent);
        } catch (ConditionTimeoutException e) {
            return Optional.empty();
        }
    }

    /** @return the Postfix log so far (for assertions on e.g. {@code sasl_method=CRAM-MD5} and for diagnosis) */
    public String maillog() {
        try {
            return read(maillogFile());
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof NoSuchFileException) {
                return "";
            }
            throw e;
        }
    }

    private static FileTime modified(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    private static byte[] readBytes(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path p) {
        return new String(readBytes(p), StandardCharsets.UTF_8);
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer : for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    // ---------------------------------------------------------------- lifecycle

    /**
     * Where and how to start; from system properties.
     *
     * @param dir     the instance folder: {@code postfix.dir} as given, else {@code target/postfix} when the users
     *                {@code postfix} and {@code nobody} can reach it, else the fallback folder under /tmp that
     *                {@code postfix-ctl.sh resolve} names (a checkout below a 0700 folder such as /root)
     * @param ctlLogs prefix of the files that take postfix-ctl.sh's output ({@code PREFIX-ctl.log},
     *                {@code PREFIX-ctl-stop.log}): {@code target/postfix} by default, next to {@code dir} when
     *                {@code postfix.dir} is given
     */
    record Settings(Path script, Path dir, Path ctlLogs, int authPort, int anonymousPort, int smtpsPort,
            Duration startTimeout) {

        static Settings fromSystemProperties() {
            Path base = Paths.get(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath()
                    .normalize();
            Path script = Optional.ofNullable(System.getProperty("postfix.script"))
                    .map(Paths::get)
                    .orElseGet(() -> findScript(base))
                    .toAbsolutePath().normalize();
            String explicit = System.getProperty("postfix.dir");
            Path dir;
            Path ctlLogs;
            if (explicit != null && !explicit.isBlank()) {
                dir = Paths.get(explicit).toAbsolutePath().normalize();
                ctlLogs = dir;
            } else {
                ctlLogs = base.resolve("target").resolve("postfix");
                dir = resolveDir(script, ctlLogs);
            }
            return new Settings(script, dir, ctlLogs,
                    Integer.getInteger("postfix.port.auth", 10025),
                    Integer.getInteger("postfix.port.anonymous", 10026),
                    Integer.getInteger("postfix.port.smtps", 10027),
                    Duration.ofSeconds(Long.getLong("postfix.start.timeout", 120)));
        }

        Path ctlLog(String suffix) {
            return ctlLogs.resolveSibling(ctlLogs.getFileName() + suffix);
        }

        /** Asks {@code postfix-ctl.sh resolve} where the instance for {@code wanted} goes (the same answer .ci/run gets). */
        private static Path resolveDir(Path script, Path wanted) {
            Path out = wanted.resolveSibling(wanted.getFileName() + "-ctl-resolve.log");
            ProcessBuilder pb = new ProcessBuilder("bash", script.toString(), "resolve", wanted.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            try {
                Files.createDirectories(out.getParent());
                Process p = pb.start();
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new IllegalStateException(script + " resolve " + wanted + " did not finish within 30 s");
                }
                String text = Files.readString(out, StandardCharsets.UTF_8).trim();
                if (p.exitValue() != 0 || !text.startsWith("/") || text.contains("\n")) {
                    throw new IllegalStateException(script + " resolve " + wanted + " failed (exit " + p.exitValue()
                                                    + "): " + text);
                }
                return Paths.get(text);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot run " + script + " resolve", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while running " + script + " resolve", e);
            }
        }

        private static Path findScript(Path base) {
            for (Path p = base; p != null; p = p.getParent()) {
                Path candidate = p.resolve(".ci").resolve("postfix").resolve("postfix-ctl.sh");
                if (Files.isRegularFile(candidate)) {
                    return candidate;
                }
            }
            throw new IllegalStateException("cannot find .ci/postfix/postfix-ctl.sh above " + base
                                            + " (set -Dpostfix.script=/path/to/postfix-ctl.sh)");
        }
    }

    /** The running Postfix; closed (stopped) by JUnit with the root store, or by the shutdown hook. */
    static final class Instance implements AutoCloseable {
        private final Settings settings;
        private final Path dir;
        private final Properties properties;
        private final Thread shutdownHook;
        private boolean stopped;

        private Instance(Settings settings, Properties properties) {
            this.settings = settings;
            this.dir = settings.dir();
            this.properties = properties;
            this.shutdownHook = new Thread(this::stopQuietly, "postfix-test-stop");
        }

        static Instance start(Settings s) {
            Path log = s.ctlLog("-ctl.log");
            try {
                Files.createDirectories(log.getParent());
                run(s, log, s.startTimeout(), "start", s.dir().toString(),
                        "--auth-port", String.valueOf(s.authPort()),
                        "--anonymous-port", String.valueOf(s.anonymousPort()),
                        "--smtps-port", String.valueOf(s.smtpsPort()));
                Properties props = new Properties();
                try (InputStream in = Files.newInputStream(s.dir().resolve("instance.properties"))) {
                    props.load(in);
                }
                Instance instance = new Instance(s, props);
                Runtime.getRuntime().addShutdownHook(instance.shutdownHook);
                return instance;
            } catch (IOException | RuntimeException e) {
                // never leave a half-started Postfix behind
                try {
                    run(s, s.ctlLog("-ctl-stop.log"), STOP_TIMEOUT, "stop", s.dir().toString());
                } catch (RuntimeException stopFailure) {
                    e.addSuppressed(stopFailure);
                }
                throw new IllegalStateException("could not start Postfix with " + s.script() + ": " + e.getMessage()
                                                + "\n(needs root and the packages of .ci/postfix/install.sh; ports " + s
                                                        .authPort() + "/"
                                                + s.anonymousPort() + "/" + s.smtpsPort()
                                                + " free, or other ones via -Dpostfix.port.auth=...)",
                        e);
            }
        }

        String property(String key) {
            String value = properties.getProperty(key);
            if (value == null) {
                throw new IllegalStateException("no '" + key + "' in " + dir.resolve("instance.properties"));
            }
            return value;
        }

        @Override
        public void close() {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs (or ran) anyway
            }
            stop();
            if (current == this) {
                current = null;
            }
        }

        private synchronized void stop() {
            if (!stopped) {
                stopped = true;
                run(settings, settings.ctlLog("-ctl-stop.log"), STOP_TIMEOUT, "stop", dir.toString());
            }
        }

        private void stopQuietly() {
            try {
                stop();
            } catch (RuntimeException e) {
                System.err.println("could not stop the test Postfix in " + dir + ": " + e.getMessage());
            }
        }

        /** Runs postfix-ctl.sh with a bounded wait; output goes to {@code log}. */
        private static void run(Settings s, Path log, Duration timeout, String... args) {
            List<String> command = new ArrayList<>();
            command.add("bash");
            command.add(s.script().toString());
            command.addAll(List.of(args));
            ProcessBuilder pb = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            try {
                Process p = pb.start();
                if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                    throw new IllegalStateException(String.join(" ", command) + " did not finish within " + timeout
                                                    + "; output:\n" + tail(log));
                }
                if (p.exitValue() != 0) {
                    throw new IllegalStateException(String.join(" ", command) + " failed (exit " + p.exitValue()
                                                    + "); output:\n" + tail(log));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot run " + command, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while running " + command, e);
            }
        }

        private static String tail(Path log) {
            try {
                List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
                return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
            } catch (IOException | RuntimeException e) {
                return "(no output: " + e + ")";
            }
        }
    }
}
