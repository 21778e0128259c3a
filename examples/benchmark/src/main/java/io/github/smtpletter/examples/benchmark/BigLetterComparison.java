package io.github.smtpletter.examples.benchmark;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One letter with a big file attachment, sent by camel-mail's {@code smtp:} (Angus Mail) and by {@code letter-smtp:}
 * alternately, each run in a fresh JVM of its own ({@link BigLetterRun}) with a small heap ({@code -Xmx64m}), and
 * the times and peak heaps printed side by side.
 */
final class BigLetterComparison {

    private static final Pattern RESULT = Pattern.compile(
            "RESULT (\\S+) in ([0-9.]+) s .*cpu ([0-9.]+) s, peak heap used (\\d+) MB.*");

    private final Path workDir;
    private final int megabytes;
    private final int rounds;
    private final List<String> extraJvmArgs;

    /**
     * @param workDir      where the attachment file is generated
     * @param megabytes    the attachment's size
     * @param rounds       rounds of runs (camel-mail, letter-smtp, letter-smtp with DKIM, in that order)
     * @param extraJvmArgs added to both child JVMs (for example a JFR recording)
     */
    BigLetterComparison(Path workDir, int megabytes, int rounds, List<String> extraJvmArgs) {
        this.workDir = workDir;
        this.megabytes = megabytes;
        this.rounds = rounds;
        this.extraJvmArgs = extraJvmArgs;
    }

    /** A run's figures; {@code seconds} is NaN when it did not send. */
    record Run(String status, double seconds, double cpuSeconds, long peakHeapMb, int exit) {
    }

    /** @return the markdown table of the runs against this server */
    String run(BenchServer server) throws IOException, InterruptedException {
        Path file = workDir.resolve("big-attachment-" + megabytes + "mb.bin");
        System.out.println();
        System.out.println("== one letter with a " + megabytes + " MB attachment to " + server.name + " ("
                           + server.extensions() + "), each client in a JVM with -Xmx64m, " + rounds
                           + " alternating round(s)");
        Map<String, List<Run>> runs = new LinkedHashMap<>();
        for (String client : BigLetterRun.CLIENTS) {
            runs.put(client, new ArrayList<>());
        }
        for (int round = 1; round <= rounds; round++) {
            for (String client : BigLetterRun.CLIENTS) {
                System.out.println("  round " + round + ", " + client + ":");
                runs.get(client).add(runOnce(client, server, file));
            }
        }
        return table(server, runs);
    }

    private Run runOnce(String client, BenchServer server, Path file) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx64m", "-XX:+ExitOnOutOfMemoryError"));
        cmd.addAll(extraJvmArgs.stream().map(a -> a.replace("{client}", client)).toList());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), BigLetterRun.class.getName(), client,
                "127.0.0.1", String.valueOf(server.port), file.toString(), String.valueOf(megabytes),
                server.recipient, server.auth() ? server.username : "", server.auth() ? server.password : ""));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        Run run = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                System.out.println("    " + line);
                Matcher m = RESULT.matcher(line);
                if (m.matches()) {
                    run = new Run(m.group(1), Double.parseDouble(m.group(2)), Double.parseDouble(m.group(3)),
                            Long.parseLong(m.group(4)), 0);
                }
            }
        }
        if (!p.waitFor(30, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        int exit = p.isAlive() ? -1 : p.exitValue();
        if (run == null || exit != 0) {
            return new Run(run == null ? "no result" : run.status(), Double.NaN, Double.NaN,
                    run == null ? -1 : run.peakHeapMb(), exit);
        }
        return run;
    }

    private String table(BenchServer server, Map<String, List<Run>> runs) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%nBig letter: one %d MB attachment to %s (%s), -Xmx64m, alternating"
                                             + " runs: wall seconds (CPU seconds of the sending JVM, peak heap used)"
                                             + "%n%n", megabytes, server.name, server.extensions()));
        sb.append("| run |");
        runs.keySet().forEach(c -> sb.append(' ').append(c).append(" |"));
        sb.append("\n| --- |");
        runs.keySet().forEach(c -> sb.append(" ---: |"));
        sb.append('\n');
        for (int i = 0; i < rounds; i++) {
            sb.append("| ").append(i + 1).append(" |");
            for (List<Run> r : runs.values()) {
                sb.append(' ').append(cell(r.get(i))).append(" |");
            }
            sb.append('\n');
        }
        sb.append("| median |");
        for (List<Run> r : runs.values()) {
            double median = median(r.stream().mapToDouble(Run::seconds).toArray());
            double cpu = median(r.stream().mapToDouble(Run::cpuSeconds).toArray());
            sb.append(' ').append(String.format(Locale.ROOT, "%.2f s (cpu %.2f s), %.0f MB/s", median, cpu,
                    megabytes / median)).append(" |");
        }
        sb.append('\n');
        return sb.toString();
    }

    private static String cell(Run r) {
        if (Double.isNaN(r.seconds())) {
            return r.status() + " (exit " + r.exit() + ")";
        }
        return String.format(Locale.ROOT, "%.2f s (cpu %.2f s, %d MB)", r.seconds(), r.cpuSeconds(), r.peakHeapMb());
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v); // NaN (failed runs) sort last
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
