package io.github.smtpletter.smtp;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.smtpletter.letter.Attachment;
import io.github.smtpletter.letter.Letter;
import io.github.smtpletter.mime.dkim.DkimAlgorithm;
import io.github.smtpletter.mime.dkim.DkimSettings;
import io.github.smtpletter.testsupport.TestParameters;

/**
 * Run by {@link DkimConstantMemoryTest} in a JVM of its own with a small heap: generates a file of the given size,
 * signs and sends a letter with it attached to a counting sink server in the same JVM (SIZE offered, DATA), deletes
 * the file and prints {@code RESULT <status> <seconds> <peak heap MB> <SIZE declared> <bytes received> <signed>}.
 * Arguments: folder megabytes algorithm (rsa-sha256, ed25519-sha256 or none).
 */
public final class DkimBigLetterMain {

    private DkimBigLetterMain() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]).resolve("big.bin");
        long bytes = Long.parseLong(args[1]) << 20;
        String algorithm = args[2];
        generate(file, bytes);
        AtomicLong declared = new AtomicLong(-1);
        AtomicLong received = new AtomicLong(-1);
        StringBuilder head = new StringBuilder();
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread sink = new Thread(() -> sink(server, declared, received, head), "sink");
            sink.setDaemon(true);
            sink.start();
            DkimSettings dkim = null;
            if (!algorithm.equals("none")) {
                DkimAlgorithm a = DkimAlgorithm.of(algorithm);
                KeyPairGenerator g = KeyPairGenerator.getInstance(a == DkimAlgorithm.RSA_SHA256 ? "RSA" : "Ed25519");
                dkim = DkimSettings.builder("example.org", "big", g.generateKeyPair().getPrivate()).algorithm(a)
                        .build();
            }
            SmtpConnectionParameters params = TestParameters.builder().host("127.0.0.1").port(server.getLocalPort())
                    .readTimeout(Duration.ofSeconds(120)).build().toBuilder().dkim(dkim).build();
            Letter letter = Letter.from("sender@example.org").to("big@example.test").subject("big")
                    .text("a big attachment").attach(Attachment.of(file, "big.bin", "application/octet-stream"))
                    .build();
            resetPeaks();
            long t0 = System.nanoTime();
            SendResult r;
            try (SmtpClient client = new SmtpClient()) {
                r = client.send(params, letter).get(0);
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            sink.join(30_000);
            System.out.printf(Locale.ROOT, "RESULT %s %.1f %d %d %d %s%n", r.status(), secs, peakHeapUsed() >> 20,
                    declared.get(), received.get(), head.toString().startsWith("DKIM-Signature: v=1; a=" + algorithm));
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** One connection: SIZE and 8BITMIME offered; the message is counted (CRLF.CRLF excluded), not kept. */
    private static void sink(ServerSocket server, AtomicLong declared, AtomicLong received, StringBuilder head) {
        Pattern size = Pattern.compile("SIZE=(\\d+)");
        try (Socket s = server.accept()) {
            InputStream in = new BufferedInputStream(s.getInputStream(), 64 * 1024);
            OutputStream out = s.getOutputStream();
            reply(out, "220 sink ESMTP");
            String line;
            while ((line = readLine(in)) != null) {
                String upper = line.toUpperCase(Locale.ROOT);
                if (upper.startsWith("EHLO")) {
                    reply(out, "250-sink\r\n250-SIZE 2000000000\r\n250 8BITMIME");
                } else if (upper.startsWith("MAIL")) {
                    Matcher m = size.matcher(upper);
                    declared.set(m.find() ? Long.parseLong(m.group(1)) : -1);
                    reply(out, "250 ok");
                } else if (upper.startsWith("RCPT")) {
                    reply(out, "250 ok");
                } else if (upper.equals("DATA")) {
                    reply(out, "354 go");
                    received.set(countData(in, head));
                    reply(out, "250 ok: queued as SINK");
                } else if (upper.equals("QUIT")) {
                    reply(out, "221 bye");
                    return;
                } else {
                    reply(out, "250 ok");
                }
            }
        } catch (IOException e) {
            System.out.println("sink: " + e);
        }
    }

    /** @return the bytes of the message before CRLF . CRLF (dot-stuffing not undone: nothing here starts with '.') */
    private static long countData(InputStream in, StringBuilder head) throws IOException {
        byte[] end = { '\r', '\n', '.', '\r', '\n' };
        int matched = 2; // the data starts at the beginning of a line
        long count = 0;
        byte[] buf = new byte[64 * 1024];
        int n;
        while ((n = in.read(buf)) > 0) {
            if (head.length() < 200) {
                head.append(new String(buf, 0, Math.min(n, 200), StandardCharsets.US_ASCII));
            }
            for (int i = 0; i < n; i++) {
                byte c = buf[i];
                matched = c == end[matched] ? matched + 1 : c == '\r' ? 1 : 0;
                count++;
                if (matched == end.length) {
                    return count - 3; // the message ends with its CRLF; ".\r\n" is the end of data
                }
            }
        }
        throw new IOException("connection closed within the data");
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                return sb.toString().strip();
            }
            sb.append((char) c);
        }
        return null;
    }

    private static void reply(OutputStream out, String text) throws IOException {
        out.write((text + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static void generate(Path file, long bytes) throws IOException {
        byte[] buf = new byte[1 << 20];
        long x = 0x9E3779B97F4A7C15L;
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long done = 0; done < bytes; done += buf.length) {
                for (int i = 0; i < buf.length; i += 8) {
                    x ^= x << 13; // xorshift64: not compressible, like a real binary
                    x ^= x >>> 7;
                    x ^= x << 17;
                    for (int k = 0; k < 8; k++) {
                        buf[i + k] = (byte) (x >>> (8 * k));
                    }
                }
                out.write(buf, 0, (int) Math.min(buf.length, bytes - done));
            }
        }
    }

    private static void resetPeaks() {
        System.gc();
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                p.resetPeakUsage();
            }
        }
    }

    private static long peakHeapUsed() {
        long sum = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                sum += p.getPeakUsage().getUsed();
            }
        }
        return sum;
    }
}
