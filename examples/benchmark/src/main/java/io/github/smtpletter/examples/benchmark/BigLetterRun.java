package io.github.smtpletter.examples.benchmark;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

import jakarta.activation.DataHandler;
import jakarta.activation.FileDataSource;

import com.sun.management.OperatingSystemMXBean;
import io.github.smtpletter.camel.SendResults;
import io.github.smtpletter.letter.Attachment;
import io.github.smtpletter.letter.Letter;
import io.github.smtpletter.smtp.SendResult;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.attachment.AttachmentMessage;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * Sends one letter with a big file attachment through a {@code letter-smtp:} route or through camel-mail's
 * {@code smtp:} route (Angus Mail), meant to run in a JVM with a small heap ({@code -Xmx64m}): the attachment is
 * streamed from the file to the socket, never held in memory.
 * <p>
 * Arguments: client (camel-mail, letter-smtp or letter-smtp-dkim) host port file megabytes recipient [username password]. The file is
 * (re)generated when it does not have the requested size. Prints a {@code RESULT ...} line; exits 0 when the letter
 * was sent.
 */
public final class BigLetterRun {

    static final String LETTER_SMTP = "letter-smtp";
    static final String CAMEL_MAIL = "camel-mail";
    /** letter-smtp with every letter DKIM-signed (rsa-sha256, a 2048-bit key made for the run). */
    static final String LETTER_SMTP_DKIM = "letter-smtp-dkim";
    static final List<String> CLIENTS = List.of(CAMEL_MAIL, LETTER_SMTP, LETTER_SMTP_DKIM);

    private BigLetterRun() {
    }

    public static void main(String[] args) throws Exception {
        String client = args[0];
        String host = args[1];
        int port = Integer.parseInt(args[2]);
        Path file = Path.of(args[3]);
        long bytes = Long.parseLong(args[4]) * 1024 * 1024;
        String recipient = args[5];
        String username = args.length > 6 && !args[6].isEmpty() ? args[6] : null;
        String password = args.length > 7 ? args[7] : null;
        if (!CLIENTS.contains(client)) {
            throw new IllegalArgumentException("client must be one of " + CLIENTS + ": " + client);
        }

        generate(file, bytes);
        long maxHeap = Runtime.getRuntime().maxMemory();
        System.out.printf(Locale.ROOT, "max heap %d MB, attachment %s (%d MB)%n", maxHeap >> 20, file.getFileName(),
                Files.size(file) >> 20);

        if (CAMEL_MAIL.equals(client)) {
            camelMail(host, port, file, bytes, recipient, username, password, maxHeap);
            return;
        }
        Letter letter = Letter.from(Benchmark.FROM).to(recipient).subject("A letter with a big attachment")
                .text("The attachment is " + (bytes >> 20) + " MB.")
                .attach(Attachment.of(file, "big.bin", "application/octet-stream"))
                .build();
        String uri = "letter-smtp:" + host + ":" + port + "?failOnNotSent=false&readTimeout=120000"
                     + (username != null ? "&authMechanism=PLAIN&allowPlaintextAuth=true&username=" + username
                                           + "&password=RAW(" + password + ")" : "")
                     + (LETTER_SMTP_DKIM.equals(client) ? dkimOptions(file) : "");
        resetPeaks();
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:big").to(uri);
                }
            });
            camel.start();
            long cpu0 = processCpuNanos();
            long t0 = System.nanoTime();
            SendResults results = camel.createProducerTemplate().requestBody("direct:big", letter, SendResults.class);
            double secs = (System.nanoTime() - t0) / 1e9;
            double cpu = (processCpuNanos() - cpu0) / 1e9;
            SendResult r = results.get(0);
            long peak = peakHeapUsed();
            result(r.status().toString(), secs, cpu, bytes, peak, maxHeap,
                    r.serverReply() != null ? ", server: " + r.serverReply() : r.error() != null ? ", " + r.error()
                            : "");
            if (!r.isSent()) {
                System.exit(1);
            }
        }
    }

    /**
     * Endpoint options that sign every letter: a new RSA 2048 key (made before the timed send) written as PEM PKCS#8
     * next to the attachment file.
     */
    private static String dkimOptions(Path attachment) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        byte[] pkcs8 = generator.generateKeyPair().getPrivate().getEncoded();
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                     + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(pkcs8)
                     + "\n-----END PRIVATE KEY-----\n";
        Path key = attachment.resolveSibling("benchmark-dkim-key.pem");
        Files.writeString(key, pem, StandardCharsets.US_ASCII);
        return "&dkimDomain=example.org&dkimSelector=bench&dkimPrivateKey=file:" + key.toAbsolutePath();
    }

    /** The same letter through camel-mail's {@code smtp:} producer: text body and the file as a Camel attachment. */
    private static void camelMail(String host, int port, Path file, long bytes, String recipient, String username,
                                  String password, long maxHeap)
            throws Exception {
        Properties mailProps = new Properties();
        mailProps.setProperty("mail.smtp.auth.mechanisms", "PLAIN");
        mailProps.setProperty("mail.smtp.timeout", "120000");
        mailProps.setProperty("mail.smtp.connectiontimeout", "10000");
        String uri = "smtp://" + host + ":" + port + "?from=" + Benchmark.FROM + "&to=" + recipient
                     + "&subject=RAW(A letter with a big attachment)&contentType=text/plain"
                     + "&additionalJavaMailProperties=#bigMailProps"
                     + (username != null ? "&username=" + username + "&password=RAW(" + password + ")" : "");
        resetPeaks();
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.getRegistry().bind("bigMailProps", mailProps);
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:big").to(uri);
                }
            });
            camel.start();
            long cpu0 = processCpuNanos();
            long t0 = System.nanoTime();
            Exchange done = camel.createProducerTemplate().request("direct:big", exchange -> {
                AttachmentMessage in = exchange.getIn(AttachmentMessage.class);
                in.setBody("The attachment is " + (bytes >> 20) + " MB.");
                in.addAttachment("big.bin", new DataHandler(new FileDataSource(file.toFile())));
            });
            double secs = (System.nanoTime() - t0) / 1e9;
            double cpu = (processCpuNanos() - cpu0) / 1e9;
            long peak = peakHeapUsed();
            Exception failure = done.getException();
            result(failure == null ? "SENT" : "FAILED", secs, cpu, bytes, peak, maxHeap,
                    failure == null ? "" : ", " + failure);
            if (failure != null) {
                System.exit(1);
            }
        }
    }

    private static void result(String status, double secs, double cpu, long bytes, long peak, long maxHeap,
                               String detail) {
        System.out.printf(Locale.ROOT, "RESULT %s in %.2f s (%.0f MB/s of attachment), cpu %.2f s, peak heap used %d MB"
                                       + " of %d MB%s%n", status, secs, (bytes >> 20) / secs, cpu, peak >> 20,
                maxHeap >> 20, detail);
    }

    /** CPU time of this JVM so far (all its threads, the garbage collector's included), or 0 when unknown. */
    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os
                ? Math.max(0, os.getProcessCpuTime()) : 0;
    }

    /** Writes {@code bytes} of pseudo-random data (not compressible, like a real binary) unless already there. */
    static void generate(Path file, long bytes) throws IOException {
        if (Files.exists(file) && Files.size(file) == bytes) {
            return;
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        byte[] buf = new byte[1 << 20];
        long x = 0x9E3779B97F4A7C15L;
        try (OutputStream out = Files.newOutputStream(tmp)) {
            for (long done = 0; done < bytes; done += buf.length) {
                for (int i = 0; i < buf.length; i += 8) {
                    x ^= x << 13; // xorshift64
                    x ^= x >>> 7;
                    x ^= x << 17;
                    for (int k = 0; k < 8; k++) {
                        buf[i + k] = (byte) (x >>> (8 * k));
                    }
                }
                out.write(buf, 0, (int) Math.min(buf.length, bytes - done));
            }
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void resetPeaks() {
        System.gc();
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                p.resetPeakUsage();
            }
        }
    }

    /** Sum of the heap pools' peaks: an upper bound of the heap in use at any time since {@link #resetPeaks()}. */
    private static long peakHeapUsed() {
        long sum = 0;
        List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans();
        for (MemoryPoolMXBean p : pools) {
            if (p.getType() == MemoryType.HEAP) {
                sum += p.getPeakUsage().getUsed();
            }
        }
        return sum;
    }
}
