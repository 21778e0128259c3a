package io.github.smtpletter.quarkus.it;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The project's real Postfix with Cyrus SASL ({@code .ci/postfix/postfix-ctl.sh}, see {@code .ci/postfix/README.md})
 * for {@code @QuarkusTest} classes: started in the instance folder the component's Postfix tests use
 * ({@code camel-smtp-letter/target/postfix}, or the fallback {@code postfix-ctl.sh resolve} names), so
 * {@code .ci/run} stops it too; the application authenticates with CRAM-MD5 on the AUTH port.
 */
public class PostfixResource implements QuarkusTestResourceLifecycleManager {

    private static final long START_TIMEOUT_SECONDS = 120;
    private static final long STOP_TIMEOUT_SECONDS = 60;

    private static volatile Path instanceDir;

    private Path script;
    private Path logs;

    /** The running instance's folder (its {@code delivered/} holds what Postfix accepted). */
    static Path instanceDir() {
        Path dir = instanceDir;
        if (dir == null) {
            throw new IllegalStateException("Postfix is not running");
        }
        return dir;
    }

    @Override
    public Map<String, String> start() {
        Path root = repositoryRoot();
        script = root.resolve(".ci/postfix/postfix-ctl.sh");
        Path wanted = root.resolve("camel-smtp-letter/target/postfix");
        logs = Paths.get("target").toAbsolutePath();
        Path dir = Paths.get(run(30, "resolve", wanted.toString()).trim());
        try {
            run(START_TIMEOUT_SECONDS, "start", dir.toString());
        } catch (RuntimeException e) {
            stopQuietly(dir, e);
            throw e;
        }
        instanceDir = dir;
        Properties facts = new Properties();
        try (InputStream in = Files.newInputStream(dir.resolve("instance.properties"))) {
            facts.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir.resolve("instance.properties"), e);
        }
        return Map.of(
                "smtp.host", "127.0.0.1",
                "smtp.port", required(facts, "auth.port"),
                "smtp.auth", "CRAM-MD5",
                "smtp.username", required(facts, "user.1"),
                "smtp.password", required(facts, "password.1"));
    }

    @Override
    public void stop() {
        Path dir = instanceDir;
        instanceDir = null;
        if (dir != null) {
            run(STOP_TIMEOUT_SECONDS, "stop", dir.toString());
        }
    }

    private void stopQuietly(Path dir, RuntimeException failure) {
        try {
            run(STOP_TIMEOUT_SECONDS, "stop", dir.toString());
        } catch (RuntimeException stopFailure) {
            failure.addSuppressed(stopFailure);
        }
    }

    private static String required(Properties facts, String key) {
        String value = facts.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("no '" + key + "' in the Postfix instance.properties");
        }
        return value.trim();
    }

    /** Runs postfix-ctl.sh with a bounded wait; returns its output (which never holds the password). */
    private String run(long timeoutSeconds, String... args) {
        List<String> command = new ArrayList<>(List.of("bash", script.toString()));
        command.addAll(List.of(args));
        Path out = logs.resolve("postfix-ctl-" + args[0] + ".log");
        try {
            Files.createDirectories(logs);
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish within "
                                                + timeoutSeconds + " s; see " + out);
            }
            String output = Files.readString(out, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed (exit " + process.exitValue()
                                                + "); see " + out);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        }
    }

    private static Path repositoryRoot() {
        for (Path p = Paths.get("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve(".ci/postfix/postfix-ctl.sh"))) {
                return p;
            }
        }
        throw new IllegalStateException("cannot find .ci/postfix/postfix-ctl.sh above " + Paths.get("")
                .toAbsolutePath());
    }
}
