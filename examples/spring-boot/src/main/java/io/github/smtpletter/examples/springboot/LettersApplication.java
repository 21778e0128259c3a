package io.github.smtpletter.examples.springboot;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A Spring Boot application with one Camel route ({@link LettersRoute}): {@code POST /letters} with a letter (or an
 * array of letters) as JSON sends them with {@code letter-smtp:} and answers with one result per letter as JSON.
 * The SMTP settings are in {@code application.yml}. It listens on 127.0.0.1:8080 only, and {@code POST /letters}
 * needs HTTP Basic with {@code letters.api.username} (default {@code letters}) and {@code letters.api.password},
 * which has no default: set it (for example {@code LETTERS_API_PASSWORD}) or the application refuses to start
 * ({@link LettersSecurity}).
 * <p>
 * Without an {@code smtp.host} setting (system property or environment variable {@code SMTP_HOST}) it starts an
 * embedded GreenMail server first and points the application at it.
 */
@SpringBootApplication
public class LettersApplication {

    public static void main(String[] args) {
        if (System.getProperty("smtp.host") == null && System.getenv("SMTP_HOST") == null) {
            GreenMail greenMail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP)
                    .dynamicPort()).withConfiguration(GreenMailConfiguration.aConfig().withUser("demo", "demo-secret"));
            greenMail.start();
            Runtime.getRuntime().addShutdownHook(new Thread(greenMail::stop));
            System.setProperty("smtp.host", "127.0.0.1");
            System.setProperty("smtp.port", String.valueOf(greenMail.getSmtp().getPort()));
            System.setProperty("smtp.auth", "PLAIN");
            System.setProperty("smtp.username", "demo");
            System.setProperty("smtp.password", "demo-secret");
            System.setProperty("smtp.allow-plaintext-auth", "true"); // loopback without TLS
            System.out.println("Embedded GreenMail SMTP server on 127.0.0.1:" + greenMail.getSmtp().getPort()
                               + " (user demo). Try:\n  curl -s -u \"letters:$LETTERS_API_PASSWORD\""
                               + " -H 'Content-Type: application/json' -d "
                               + "'{\"from\":\"shop@example.org\",\"to\":[\"ann@example.org\"],\"subject\":\"Hi\","
                               + "\"text\":\"Hello\"}' http://127.0.0.1:8080/letters");
        }
        SpringApplication.run(LettersApplication.class, args);
    }
}
