package io.github.smtpletter.examples.benchmark;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

/**
 * An SMTP server the benchmark sends to, on 127.0.0.1: Postfix's {@code smtp-sink}, a real Postfix with Cyrus SASL
 * (through {@code .ci/postfix/postfix-ctl.sh}), or GreenMail in this JVM.
 */
abstract class BenchServer implements AutoCloseable {

    final String name;
    final int port;
    /** SASL user and password, {@code null} when the server needs no AUTH. */
    final String username;
    final String password;
    /** The recipient domain to use (Postfix discards mail to discard.example). */
    final String recipient;

    BenchServer(String name, int port, String username, String password, String recipient) {
        this.name = name;
        this.port = port;
        this.username = username;
        this.password = password;
        this.recipient = recipient;
    }

    boolean auth() {
        return username != null;
    }

    /** What the server announced in its EHLO reply (for the report). */
    String extensions() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            s.setSoTimeout(5_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(),
                    StandardCharsets.US_ASCII));
            OutputStream out = s.getOutputStream();
            in.readLine();
            out.write("EHLO benchmark.example\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            List<String> ext = new ArrayList<>();
            String line;
            boolean first = true;
            while ((line = in.readLine()) != null) {
                if (!first && line.length() > 4 && !line.substring(4).isBlank()) {
                    ext.add(line.substring(4).split(" ")[0]);
                }
                first = false;
                if (line.length() < 4 || line.charAt(3) == ' ') {
                    break;
                }
            }
            out.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return String.join(" ", ext);
        } catch (IOException e) {
            return "? (" + e.getMessage() + ")";
        }
    }

    @Override
    public abstract void close();

    // ------------------------------------------------------------------------------------------ smtp-sink

    /** @return the smtp-sink binary on PATH or in /usr/sbin, or {@code null} */
    static Path findSmtpSink() {
        List<Path> candidates = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                if (!dir.isEmpty()) {
                    candidates.add(Path.of(dir, "smtp-sink"));
                }
            }
        }
        candidates.add(Path.of("/usr/sbin/smtp-sink"));
        for (Path p : candidates) {
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /** Postfix's smtp-sink: accepts everything, PIPELINING, no CHUNKING, answers any AUTH with success. */
    static final class SmtpSink extends BenchServer {
        private final Process process;

        private SmtpSink(int port, Process process) {
            super("smtp-sink", port, null, null, "rcpt@example.org");
            this.process = process;
        }

        static SmtpSink start(Path binary, Path logDir) throws IOException, InterruptedException {
            int port = freePort();
            List<String> cmd = new ArrayList<>(List.of(binary.toString()));
            if ("root".equals(System.getProperty("user.name"))) {
                cmd.add("-u"); // as root it wants an unprivileged user to switch to
                cmd.add("nobody");
            }
            cmd.add("127.0.0.1:" + port);
            cmd.add("1024"); // listen backlog
            Files.createDirectories(logDir);
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(logDir.resolve("smtp-sink-" + port + ".log").toFile()).start();
            SmtpSink sink = new SmtpSink(port, p);
            try {
                awaitGreeting(port, p);
            } catch (IOException | RuntimeException e) {
                sink.close();
                throw e;
            }
            return sink;
        }

        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }

    // ------------------------------------------------------------------------------------------ Postfix

    /**
     * A real Postfix with Cyrus SASL, started with {@code .ci/postfix/postfix-ctl.sh}: AUTH required (PLAIN as
     * {@code alice}), CHUNKING, PIPELINING, SIZE. The letters go to {@code discard.example}, which that instance
     * accepts and discards (queued, then dropped: no delivery files).
     */
    static final class Postfix extends BenchServer {
        private final Path script;
        private final Path dir;

        private Postfix(Path script, Path dir, int port) {
            super("postfix", port, "alice", "wonderland-secret", "rcpt@discard.example");
            this.script = script;
            this.dir = dir;
        }

        /** @return the ctl script when this can run it (root, Postfix installed), else {@code null} */
        static Path findScript(Path repoRoot) {
            Path script = repoRoot.resolve(".ci/postfix/postfix-ctl.sh");
            if (!Files.isRegularFile(script) || !"root".equals(System.getProperty("user.name"))) {
                return null;
            }
            if (!Files.isExecutable(Path.of("/usr/sbin/postfix")) && !onPath("postfix")) {
                return null;
            }
            return script;
        }

        static Postfix start(Path script, Path dir, long sizeLimit) throws IOException, InterruptedException {
            int auth = freePort();
            int anon = freePort();
            int smtps = freePort();
            run(script, "start", dir.toString(), "--auth-port", String.valueOf(auth),
                    "--anonymous-port", String.valueOf(anon), "--smtps-port", String.valueOf(smtps),
                    "--message-size-limit", String.valueOf(sizeLimit));
            return new Postfix(script, dir, auth);
        }

        @Override
        public void close() {
            try {
                run(script, "stop", dir.toString());
                deleteInstance(dir);
            } catch (IOException e) {
                System.err.println("could not stop Postfix: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** Removes the stopped instance's directory (only one that the ctl script made: it has its marker). */
        private static void deleteInstance(Path dir) throws IOException {
            if (!Files.exists(dir.resolve(".letter-postfix-instance"))) {
                return;
            }
            try (var paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }

        private static void run(Path script, String... args) throws IOException, InterruptedException {
            List<String> cmd = new ArrayList<>(List.of("bash", script.toString()));
            cmd.addAll(List.of(args));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("postfix-ctl.sh " + args[0] + " did not finish");
            }
            if (p.exitValue() != 0) {
                throw new IOException("postfix-ctl.sh " + args[0] + " failed (" + p.exitValue() + "): " + out.trim());
            }
        }
    }

    // ------------------------------------------------------------------------------------------ GreenMail

    /** GreenMail in this JVM (keeps every message in memory: the benchmark purges it between runs). */
    static final class InProcessGreenMail extends BenchServer {
        final GreenMail greenMail;

        private InProcessGreenMail(GreenMail greenMail) {
            super("greenmail", greenMail.getSmtp().getPort(), "bench", "bench-secret", "rcpt@example.org");
            this.greenMail = greenMail;
        }

        static InProcessGreenMail start() {
            GreenMail gm = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort())
                    .withConfiguration(GreenMailConfiguration.aConfig().withUser("bench", "bench-secret"));
            gm.start();
            return new InProcessGreenMail(gm);
        }

        void purge() {
            try {
                greenMail.purgeEmailFromAllMailboxes();
            } catch (Exception e) {
                // best effort
            }
        }

        @Override
        public void close() {
            greenMail.stop();
        }
    }

    // ------------------------------------------------------------------------------------------ helpers

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }

    private static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    /** Waits (at most 10 s) until the port answers with a 220 greeting. */
    static void awaitGreeting(int port, Process process) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        IOException last = null;
        while (System.nanoTime() < deadline) {
            if (process != null && !process.isAlive()) {
                throw new IOException("server exited with " + process.exitValue());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
                s.setSoTimeout(2_000);
                String line = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII))
                        .readLine();
                if (line != null && line.startsWith("220")) {
                    s.getOutputStream().write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
                    return;
                }
            } catch (IOException e) {
                last = e;
            }
            Thread.sleep(50);
        }
        throw new IOException("no SMTP greeting on 127.0.0.1:" + port + (last != null ? ": " + last : ""));
    }
}
