package io.github.smtpletter.examples.kafkascaleout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.camel.test.AvailablePortFinder;

/**
 * The private PostgreSQL cluster of the scenarios, started and stopped through the repository's
 * {@code .ci/postgres/pg-ctl.sh} (root and Debian's PostgreSQL server needed) in {@code target/pg-scale-out} on a
 * free loopback port. Only with {@code -Dpostgres.tests=true}, as {@code .ci/run} passes it.
 */
final class PrivatePostgres implements AutoCloseable {

    static final String HOW_TO_RUN = "PostgreSQL tests are off: the scale-out scenarios need the JDBC ledger; run"
                                     + " `bash .ci/run` or `mvn -B verify -Dpostgres.tests=true` as root with"
                                     + " PostgreSQL installed (apt-get install postgresql); see .ci/postgres/pg-ctl.sh";

    private final Path script;
    private final Path dir;
    private final int port;

    private PrivatePostgres(Path script, Path dir, int port) {
        this.script = script;
        this.dir = dir;
        this.port = port;
    }

    static boolean enabled() {
        return Boolean.parseBoolean(System.getProperty("postgres.tests", "false").trim());
    }

    static PrivatePostgres start() throws Exception {
        Path base = Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath();
        String configured = System.getProperty("postgres.script");
        Path script = configured != null ? Path.of(configured)
                : base.resolve("../../.ci/postgres/pg-ctl.sh").normalize();
        Path wanted = base.resolve("target/pg-scale-out");
        Path dir = Path.of(run(script, wanted.resolveSibling("pg-scale-out-resolve.log"), "resolve",
                wanted.toString()));
        int port = AvailablePortFinder.getNextAvailable();
        PrivatePostgres postgres = new PrivatePostgres(script, dir, port);
        try {
            run(script, wanted.resolveSibling("pg-scale-out-start.log"), "start", dir.toString(), "--port",
                    String.valueOf(port));
        } catch (Exception e) {
            postgres.close();
            throw e;
        }
        return postgres;
    }

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/letters";
    }

    String user() {
        return "letters";
    }

    String password() {
        return "letters";
    }

    @Override
    public void close() throws Exception {
        run(script, dir.resolveSibling(dir.getFileName() + "-stop.log"), "stop", dir.toString());
    }

    /** Runs pg-ctl.sh (at most 120 s) and returns the last line it printed on standard output. */
    private static String run(Path script, Path log, String... args) throws Exception {
        Files.createDirectories(log.getParent());
        List<String> command = new ArrayList<>(List.of("bash", script.toString()));
        command.addAll(List.of(args));
        Path out = log.resolveSibling(log.getFileName() + ".out");
        Process p = new ProcessBuilder(command).redirectError(log.toFile()).redirectOutput(out.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("pg-ctl.sh " + args[0] + " did not finish within 120 s; see " + log);
        }
        List<String> lines = Files.readAllLines(out);
        if (p.exitValue() != 0 || lines.isEmpty() && !"stop".equals(args[0])) {
            throw new IOException("pg-ctl.sh " + args[0] + " failed (exit " + p.exitValue() + "): "
                                  + String.join("\n", Files.readAllLines(log)));
        }
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1).trim();
    }
}
