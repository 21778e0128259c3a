package io.github.smtpletter.examples.kafkascaleout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * An instance of the app in a JVM of its own (the test's class path, {@link ScaleOutApplication#main(String[])}), so
 * that it can be killed the hard way: {@link Process#destroyForcibly()} is SIGKILL on Linux, {@code kill -9}.
 */
final class ChildInstance implements AutoCloseable {

    private final Process process;
    private final Path log;

    private ChildInstance(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static ChildInstance launch(ScaleOutSettings settings, Path log) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.addAll(settings.asJvmArguments());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(ScaleOutApplication.class.getName());
        Files.createDirectories(log.getParent());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new ChildInstance(process, log);
    }

    /** Waits until the instance printed that it started (its consumer then joins the group). */
    void awaitReady() {
        await("child instance ready (log " + log + ")").atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("the child instance ended with " + process.exitValue()
                                                        + "; its output: " + log);
                    }
                    return Files.exists(log) && Files.readString(log).contains("READY ");
                });
    }

    /** kill -9: no shutdown hook, no graceful stop, nothing committed or recorded after this point. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the child instance did not end within 30 s of SIGKILL");
        }
    }

    int exitValue() {
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
