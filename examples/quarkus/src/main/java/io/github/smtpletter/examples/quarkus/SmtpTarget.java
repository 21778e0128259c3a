package io.github.smtpletter.examples.quarkus;

import java.util.Optional;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The SMTP server the route sends to: {@code smtp.host} and {@code smtp.port} (for example {@code SMTP_HOST},
 * {@code SMTP_PORT}) when set; without {@code smtp.host}, an embedded GreenMail server on 127.0.0.1 with the user
 * {@code demo}, started here and stopped with the application.
 */
@ApplicationScoped
public class SmtpTarget {

    static final String DEMO_USER = "demo";
    static final String DEMO_PASSWORD = "demo-secret";

    private GreenMail embedded;
    private String host;
    private int port;

    @PostConstruct
    void start() {
        Optional<String> configured = ConfigProvider.getConfig().getOptionalValue("smtp.host", String.class);
        if (configured.isPresent()) {
            host = configured.get();
            port = ConfigProvider.getConfig().getOptionalValue("smtp.port", Integer.class).orElse(25);
            return;
        }
        embedded = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort())
                .withConfiguration(GreenMailConfiguration.aConfig().withUser(DEMO_USER, DEMO_PASSWORD));
        embedded.start();
        host = "127.0.0.1";
        port = embedded.getSmtp().getPort();
        System.out.println("Embedded GreenMail SMTP server on 127.0.0.1:" + port + " (user demo). Try:\n"
                           + "  curl -s -H 'Content-Type: application/json' -d "
                           + "'{\"from\":\"shop@example.org\",\"to\":[\"ann@example.org\"],\"subject\":\"Hi\","
                           + "\"text\":\"Hello\"}' http://127.0.0.1:8080/letters");
    }

    @PreDestroy
    void stop() {
        if (embedded != null) {
            embedded.stop();
        }
    }

    /** Whether this is the embedded server (which takes the demo user, PLAIN, without TLS). */
    boolean isEmbedded() {
        return embedded != null;
    }

    String host() {
        return host;
    }

    int port() {
        return port;
    }
}
