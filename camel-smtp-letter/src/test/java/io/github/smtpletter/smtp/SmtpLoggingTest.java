package io.github.smtpletter.smtp;

import io.github.smtpletter.testsupport.LogCapture;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Commands are logged at DEBUG, secrets never. */
class SmtpLoggingTest extends ScriptedTestSupport {

    @Test
    void debugLogShowsTheDialogueButNoSecret() throws Exception {
        String all;
        try (LogCapture capture = LogCapture.loggers(Level.DEBUG, "io.github.smtpletter.smtp")) {
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
            all = capture.text();
        }
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
