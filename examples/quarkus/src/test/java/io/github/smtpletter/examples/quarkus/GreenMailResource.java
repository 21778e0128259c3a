package io.github.smtpletter.examples.quarkus;

import java.util.Map;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import org.apache.camel.test.AvailablePortFinder;

/**
 * An in-process GreenMail SMTP server on a free port, with one user, for {@code @QuarkusTest} classes: sets
 * {@code smtp.port}, {@code smtp.username}, {@code smtp.password} and PLAIN authentication (GreenMail has no TLS,
 * hence {@code allow-plaintext-auth}).
 */
public class GreenMailResource implements QuarkusTestResourceLifecycleManager {

    static final String USER = "quarkus";
    static final String PASSWORD = "greenmail-secret";

    private static volatile GreenMail greenMail;

    /** The running server, for the tests' assertions on what it received. */
    static GreenMail greenMail() {
        GreenMail current = greenMail;
        if (current == null) {
            throw new IllegalStateException("GreenMail is not running");
        }
        return current;
    }

    @Override
    public Map<String, String> start() {
        int port = AvailablePortFinder.getNextAvailable();
        GreenMail server = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        server.setUser(USER + "@example.org", USER, PASSWORD);
        server.start();
        greenMail = server;
        return Map.of(
                "smtp.host", "127.0.0.1",
                "smtp.port", String.valueOf(port),
                "smtp.auth", "PLAIN",
                "smtp.username", USER,
                "smtp.password", PASSWORD,
                "smtp.allow-plaintext-auth", "true");
    }

    @Override
    public void stop() {
        GreenMail server = greenMail;
        greenMail = null;
        if (server != null) {
            server.stop();
        }
    }
}
