package io.github.smtpletter.examples.quickstart;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.mail.Address;
import jakarta.mail.internet.MimeMessage;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.github.smtpletter.camel.SendResults;
import io.github.smtpletter.letter.Attachment;
import io.github.smtpletter.letter.Importance;
import io.github.smtpletter.letter.Letter;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.main.Main;

/**
 * The quickstart: a Camel Main application whose route builds three letters, sends them with {@code letter-smtp:}
 * and prints one result per letter.
 * <p>
 * Without an {@code smtp.host} setting it starts an embedded GreenMail server (with a user and password, so the
 * letters really authenticate), and at the end prints what that server received. With {@code smtp.host} set (and
 * {@code smtp.port}, {@code smtp.security}, {@code smtp.auth}, {@code smtp.username}, {@code smtp.password},
 * {@code smtp.allowPlaintextAuth}, {@code smtp.from}, {@code smtp.to}), as system properties or as environment
 * variables ({@code SMTP_HOST}, {@code SMTP_PORT} ...), it sends to that server instead.
 */
public final class QuickstartApplication {

    private QuickstartApplication() {
    }

    public static void main(String[] args) throws Exception {
        GreenMail greenMail = null;
        Main main = new Main();
        if (System.getProperty("smtp.host") == null && System.getenv("SMTP_HOST") == null) {
            greenMail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort())
                    .withConfiguration(GreenMailConfiguration.aConfig().withUser("demo", "demo-secret"));
            greenMail.start();
            int port = greenMail.getSmtp().getPort();
            System.out.println("Embedded GreenMail SMTP server on 127.0.0.1:" + port + " (user demo)");
            main.addInitialProperty("smtp.host", "127.0.0.1");
            main.addInitialProperty("smtp.port", String.valueOf(port));
            main.addInitialProperty("smtp.auth", "PLAIN");
            main.addInitialProperty("smtp.username", "demo");
            main.addInitialProperty("smtp.password", "demo-secret");
            // loopback without TLS: PLAIN needs the explicit opt-in
            main.addInitialProperty("smtp.allowPlaintextAuth", "true");
        } else {
            System.getProperties().stringPropertyNames().stream().filter(n -> n.startsWith("smtp."))
                    .forEach(n -> main.addInitialProperty(n, System.getProperty(n)));
        }
        main.configure().addRoutesBuilder(new LettersRoute());
        try {
            main.run(args);
        } finally {
            if (greenMail != null) {
                printReceived(greenMail);
                greenMail.stop();
            }
        }
    }

    /** The route: make letters, send them, print the results. */
    public static final class LettersRoute extends RouteBuilder {
        @Override
        public void configure() {
            from("timer:quickstart?repeatCount=1")
                    .routeId("quickstart")
                    .process(e -> e.getMessage().setBody(letters(
                            e.getContext().resolvePropertyPlaceholders("{{smtp.from:quickstart@example.org}}"),
                            e.getContext().resolvePropertyPlaceholders("{{smtp.to:alice@example.org}}"))))
                    .to("letter-smtp:{{smtp.host}}:{{smtp.port:25}}"
                        + "?security={{smtp.security:NONE}}"
                        + "&authMechanism={{smtp.auth:NONE}}"
                        + "&username={{smtp.username:}}"   // the password: a component option, never in the URI
                        + "&allowPlaintextAuth={{smtp.allowPlaintextAuth:false}}"
                        + "&failOnNotSent=false")
                    .process(e -> {
                        SendResults results = e.getMessage().getBody(SendResults.class);
                        System.out.println();
                        System.out.println("Results (" + results.sentCount() + " sent, " + results.notSentCount()
                                           + " not sent):");
                        System.out.println(results);
                    });
        }
    }

    /** Three letters: plain text, HTML with an attachment, and one whose recipient the route gets wrong. */
    static List<Object> letters(String from, String to) {
        Letter hello = Letter.from(from)
                .to(to)
                .subject("Hello from letter-smtp")
                .text("One letter, one result.")
                .build();
        Letter report = Letter.from("Reports <" + from + ">")
                .to(to)
                .cc("Bob <bob@example.org>")
                .bcc("audit@example.org")
                .subject("Quarterly report – Q3 ✓")
                .text("The report is attached.")
                .html("<p>The report is <b>attached</b>.</p>")
                .attach(Attachment.of("report.csv", "quarter,total\nQ3,42\n".getBytes(), "text/csv"))
                .importance(Importance.HIGH)
                .build();
        // a letter as a Map, as it might come from JSON, with a recipient the route got wrong
        Map<String, Object> broken = new LinkedHashMap<>();
        broken.put("from", from);
        broken.put("to", "carol(at)example.org");
        broken.put("subject", "This one never leaves");
        broken.put("text", "The address is invalid, so this letter gets a REJECTED result.");
        return List.of(hello, report, broken);
    }

    private static void printReceived(GreenMail greenMail) throws Exception {
        MimeMessage[] received = greenMail.getReceivedMessages();
        System.out.println("The embedded server received " + received.length
                           + " message(s) (one per recipient, Bcc included):");
        for (MimeMessage m : received) {
            StringBuilder to = new StringBuilder();
            for (Address a : m.getAllRecipients()) {
                to.append(to.length() == 0 ? "" : ", ").append(a);
            }
            System.out.printf("  %-45s subject=\"%s\" to=[%s]%n", m.getMessageID(), m.getSubject(), to);
        }
    }
}
