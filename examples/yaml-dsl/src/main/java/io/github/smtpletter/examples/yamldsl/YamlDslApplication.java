package io.github.smtpletter.examples.yamldsl;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

import jakarta.mail.internet.MimeMessage;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import org.apache.camel.main.Main;

/**
 * Runs the YAML route {@code routes/letters.camel.yaml} with Camel Main: JSON letter files dropped into
 * {@code letters.inbox} are sent with {@code letter-smtp:}, and a {@code .results.json} per file lands in
 * {@code letters.outbox}. This class holds no route and no JSON code: only the choice of SMTP server.
 * <p>
 * Without an {@code smtp.host} setting (system property, or environment variable {@code SMTP_HOST}) it starts an
 * embedded GreenMail server with a user and password, drops the two sample files into the inbox, stops once they
 * are done and prints what the server received. With {@code smtp.host} set (and {@code smtp.port},
 * {@code smtp.security}, {@code smtp.auth}, {@code smtp.username}, {@code smtp.password},
 * {@code smtp.allowPlaintextAuth}) it sends to that server and keeps watching the inbox until stopped.
 */
public final class YamlDslApplication {

    static final List<String> SAMPLES = List.of("welcome.json", "orders.json");

    private YamlDslApplication() {
    }

    public static void main(String[] args) throws Exception {
        Main main = new Main();
        GreenMail greenMail = null;
        if (System.getProperty("smtp.host") == null && System.getenv("SMTP_HOST") == null) {
            greenMail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort())
                    .withConfiguration(GreenMailConfiguration.aConfig().withUser("demo", "demo-secret"));
            greenMail.start();
            System.out.println("Embedded GreenMail SMTP server on 127.0.0.1:" + greenMail.getSmtp().getPort()
                               + " (user demo)");
            useEmbeddedServer(main, greenMail.getSmtp().getPort(), "demo", "demo-secret");
            Path inbox = Path.of(System.getProperty("letters.inbox", "target/letters/inbox"));
            dropSamples(inbox);
            System.out.println("Dropped " + SAMPLES + " into " + inbox.toAbsolutePath());
            // stop once both sample files went through the route
            main.addOverrideProperty("camel.main.duration-max-messages", String.valueOf(SAMPLES.size()));
        }
        System.getProperties().stringPropertyNames().stream()
                .filter(n -> n.startsWith("smtp.") || n.startsWith("letters."))
                .forEach(n -> main.addOverrideProperty(n, System.getProperty(n)));
        try {
            main.run(args);
        } finally {
            if (greenMail != null) {
                printReceived(greenMail);
                greenMail.stop();
            }
        }
    }

    /** The properties that point the route at an SMTP server on 127.0.0.1 that wants PLAIN without TLS. */
    static void useEmbeddedServer(Main main, int port, String user, String password) {
        main.addOverrideProperty("smtp.host", "127.0.0.1");
        main.addOverrideProperty("smtp.port", String.valueOf(port));
        main.addOverrideProperty("smtp.auth", "PLAIN");
        main.addOverrideProperty("smtp.username", user);
        main.addOverrideProperty("smtp.password", password);
        // loopback without TLS: PLAIN needs the explicit opt-in
        main.addOverrideProperty("smtp.allowPlaintextAuth", "true");
    }

    /** Copies the bundled sample letters into the inbox (written aside, then moved in, so never read half-done). */
    static void dropSamples(Path inbox) throws IOException {
        Files.createDirectories(inbox);
        for (String name : SAMPLES) {
            Path part = inbox.resolve(name + ".part");
            try (InputStream in = YamlDslApplication.class.getResourceAsStream("/samples/" + name)) {
                Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
            }
            Files.move(part, inbox.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        }
    }

    private static void printReceived(GreenMail greenMail) throws Exception {
        MimeMessage[] received = greenMail.getReceivedMessages();
        System.out.println("The embedded server received " + received.length
                           + " message(s) (one per recipient):");
        for (MimeMessage m : received) {
            System.out.printf("  %-45s subject=\"%s\"%n", m.getMessageID(), m.getSubject());
        }
    }
}
