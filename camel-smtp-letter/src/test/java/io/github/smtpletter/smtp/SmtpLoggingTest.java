package io.github.smtpletter.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.Test;

/** Commands are logged at DEBUG, secrets never. */
class SmtpLoggingTest extends ScriptedTestSupport {

    @Test
    void debugLogShowsTheDialogueButNoSecret() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        AbstractAppender capture = new AbstractAppender("capture", null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                lines.add(event.getMessage().getFormattedMessage());
            }
        };
        capture.start();
        String name = "io.github.smtpletter.smtp";
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        Configuration config = ctx.getConfiguration();
        LoggerConfig debug = new LoggerConfig(name, Level.DEBUG, false);
        debug.addAppender(capture, Level.DEBUG, null);
        config.addLogger(name, debug);
        ctx.updateLoggers();
        try {
            peer(c -> {
                c.greetAndEhlo("AUTH LOGIN");
                c.expect("AUTH LOGIN");
                c.send("334 VXNlcm5hbWU6");
                c.expect("dXNlcg==");
                c.send("334 UGFzc3dvcmQ6");
                c.expect("czNjcjN0LXB3"); // s3cr3t-pw
                c.send("235 2.7.0 auth-secret-text");
                plainTransaction(c, "Q", "a@example.test");
                c.expectQuit();
            });
            client();
            SmtpConnectionParameters p = params().authMechanism("LOGIN").username("user").password("s3cr3t-pw")
                    .allowPlaintextAuth(true).build();
            assertEquals(SendStatus.SENT, client.send(p, letter("x", "a@example.test")).get(0).status());
            client.close();
            peer.assertNoErrors();
        } finally {
            config.removeLogger(name);
            ctx.updateLoggers();
            capture.stop();
        }
        String all = String.join("\n", lines);
        assertTrue(all.contains("C: MAIL FROM:<sender@example.test>"), all);
        assertTrue(all.contains("C: QUIT"), all);
        assertFalse(all.contains("s3cr3t-pw"), all);
        assertFalse(all.contains("czNjcjN0LXB3"), all);
        assertTrue(all.contains("C: ****"), all);
        assertFalse(all.contains("VXNlcm5hbWU6"), all);
        assertFalse(all.contains("auth-secret-text"), all);
        assertTrue(all.contains("S: 334 ****"), all);
        assertTrue(all.contains("S: 235 ****"), all);
    }
}
