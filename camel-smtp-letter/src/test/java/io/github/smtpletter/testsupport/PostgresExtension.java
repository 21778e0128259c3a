package io.github.smtpletter.testsupport;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A private PostgreSQL cluster on 127.0.0.1 for one test class, started through {@code .ci/postgres/pg-ctl.sh} on a
 * free port before the class's first test and stopped after its last (with a JVM shutdown hook as a backstop).
 * Register it on a static field of a failsafe {@code *IT} class:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final PostgresExtension POSTGRES = new PostgresExtension();
 * ... new JdbcLetterLedger(POSTGRES.dataSource()) ...
 * }</pre>
 *
 * Only with {@code -Dpostgres.tests=true} (what {@code .ci/run} passes); otherwise every test of the class is
 * skipped with {@link #HOW_TO_RUN}. Starting needs root and Debian's PostgreSQL server ({@code apt-get install
 * postgresql}); when the tests are asked for and the start fails, they fail with the script's output. The cluster's
 * folder is {@code target/pg-<class>} (or the {@code /tmp} fallback that {@code pg-ctl.sh resolve} names).
 * System properties: {@code postgres.tests}, {@code postgres.script} (path of pg-ctl.sh).
 */
public final class PostgresExtension implements ExecutionCondition, BeforeAllCallback, AfterAllCallback {

    /** System property that enables the tests. */
    public static final String ENABLE_PROPERTY = "postgres.tests";
    /** The message of the skipped tests. */
    public static final String HOW_TO_RUN = "PostgreSQL tests are off: run `bash .ci/run` or `mvn -B verify"
                                            + " -Dpostgres.tests=true` as root with PostgreSQL installed (apt-get"
                                            + " install postgresql); see .ci/postgres/pg-ctl.sh";
    private static final long START_SECONDS = 120;

    private volatile Path dir;
    private volatile Path script;
    private volatile int port;
    private volatile Thread shutdownHook;

    /** @return whether {@code -Dpostgres.tests=true} was given */
    public static boolean isEnabled() {
        return Boolean.parseBoolean(System.getProperty(ENABLE_PROPERTY, "false").trim());
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        return isEnabled() ? ConditionEvaluationResult.enabled(ENABLE_PROPERTY + "=true")
                : ConditionEvaluationResult.disabled(HOW_TO_RUN);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        Assumptions.assumeTrue(isEnabled(), HOW_TO_RUN);
        Path base = Paths.get(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath()
                .normalize();
        script = Optional.ofNullable(System.getProperty("postgres.script")).map(Paths::get)
                .orElseGet(() -> findScript(base)).toAbsolutePath().normalize();
        String name = context.getRequiredTestClass().getSimpleName();
        Path wanted = base.resolve("target").resolve("pg-" + name.substring(0, Math.min(24, name.length())));
        dir = Paths.get(run(wanted.resolveSibling(wanted.getFileName() + "-resolve.log"), 30, "resolve",
                wanted.toString()));
        port = AvailablePortFinder.getNextAvailable();
        Thread hook = new Thread(this::stopQuietly, "postgres-test-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        shutdownHook = hook;
        try {
            run(wanted.resolveSibling(wanted.getFileName() + "-start.log"), START_SECONDS, "start", dir.toString(),
                    "--port", String.valueOf(port));
        } catch (RuntimeException e) {
            stopQuietly();
            throw new IllegalStateException("could not start PostgreSQL with " + script + ": " + e.getMessage()
                                            + "\n(" + HOW_TO_RUN + ")", e);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        Thread hook = shutdownHook;
        if (hook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
            shutdownHook = null;
            stop();
        }
    }

    /** @return the JDBC URL of the test database */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/letters";
    }

    /** @return the test user (owner of the database) */
    public String username() {
        return "letters";
    }

    /** @return the test user's password */
    public String password() {
        return "letters";
    }

    /** @return a new data source for the test database (no pool: one connection per {@code getConnection()}) */
    public DataSource dataSource() {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(jdbcUrl());
        ds.setUser(username());
        ds.setPassword(password());
        ds.setConnectTimeout(10);
        ds.setSocketTimeout(60);
        return ds;
    }

    /**
     * A pooled data source for the test database, as applications give the JDBC ledger one; close it after use.
     *
     * @param  maxConnections the pool's size
     * @return                the pool
     */
    public HikariDataSource pooledDataSource(int maxConnections) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl());
        config.setUsername(username());
        config.setPassword(password());
        config.setMaximumPoolSize(maxConnections);
        config.setConnectionTimeout(10_000);
        config.setPoolName("postgres-test");
        return new HikariDataSource(config);
    }

    /** @return the cluster's port on 127.0.0.1 */
    public int port() {
        return port;
    }

    /** @return the script that starts and stops the cluster */
    public Path script() {
        return script;
    }

    /** @return the cluster's folder */
    public Path directory() {
        return dir;
    }

    /** Stops the cluster (for tests of "the database is down"); {@link #start()} starts it again, empty. */
    public void stop() {
        run(dir.resolveSibling(dir.getFileName() + "-stop.log"), 90, "stop", dir.toString());
    }

    /** Starts the cluster again on the same port, with a fresh, empty database. */
    public void start() {
        run(dir.resolveSibling(dir.getFileName() + "-start.log"), START_SECONDS, "start", dir.toString(), "--port",
                String.valueOf(port));
    }

    private void stopQuietly() {
        try {
            if (dir != null) {
                stop();
            }
        } catch (RuntimeException e) {
            System.err.println("PostgresExtension: could not stop the cluster in " + dir + ": " + e.getMessage());
        }
    }

    /** Runs the script and returns the last line of its standard output. */
    private String run(Path log, long seconds, String... args) {
        List<String> command = new ArrayList<>(List.of("bash", script.toString()));
        command.addAll(List.of(args));
        Path err = log.resolveSibling(log.getFileName() + ".err");
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(log.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        try {
            Files.createDirectories(log.getParent());
            Process p = pb.start();
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(command + " did not finish within " + seconds + " s");
            }
            List<String> out = Files.readAllLines(log, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IllegalStateException(command + " failed (exit " + p.exitValue() + "): "
                                                + Files.readString(err, StandardCharsets.UTF_8).trim());
            }
            return out.isEmpty() ? "" : out.get(out.size() - 1).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        }
    }

    private static Path findScript(Path base) {
        for (Path p = base; p != null; p = p.getParent()) {
            Path candidate = p.resolve(".ci").resolve("postgres").resolve("pg-ctl.sh");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("cannot find .ci/postgres/pg-ctl.sh above " + base
                                        + " (set -Dpostgres.script=/path/to/pg-ctl.sh)");
    }
}
