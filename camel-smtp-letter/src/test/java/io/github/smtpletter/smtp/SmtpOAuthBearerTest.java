package io.github.smtpletter.smtp;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import javax.net.ssl.SSLContext;

import io.github.smtpletter.testsupport.LogCapture;
import io.github.smtpletter.testsupport.ScriptedSmtpPeer;
import io.github.smtpletter.testsupport.TestTls;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * OAUTHBEARER (RFC 7628) through the whole client against scripted servers built from the examples of RFC 7628
 * section 4: success over STARTTLS, the JSON error exchange, the plaintext rule; the token is in no log line.
 */
class SmtpOAuthBearerTest extends ScriptedTestSupport {

    /** The bearer token of RFC 7628 section 4.1. */
    private static final String TOKEN = "vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg==";
    /** RFC 7628 section 4.3: the server's error challenge. */
    private static final String ERROR_CHALLENGE = "eyJzdGF0dXMiOiJpbnZhbGlkX3Rva2VuIiwic2NvcGUiOiJleGFtcGxlX3Njb3BlIiwi"
                                                  + "b3BlbmlkLWNvbmZpZ3VyYXRpb24iOiJodHRwczovL2V4YW1wbGUuY29tLy53ZWxsLWtu"
                                                  + "b3duL29wZW5pZC1jb25maWd1cmF0aW9uIn0=";

    private static String initialResponse() {
        return Base64.getEncoder().encodeToString(("n,a=user@example.com,\u0001auth=Bearer " + TOKEN + "\u0001\u0001")
                .getBytes(StandardCharsets.UTF_8));
    }

    private static void startTls(ScriptedSmtpPeer.Conn c, SSLContext server)
            throws Exception {
        c.greetAndEhlo("STARTTLS");
        c.expect("STARTTLS");
        c.send("220 2.0.0 Ready to start TLS");
        c.startTls(server);
        c.expect("EHLO client.test");
        c.reply(250, "peer.test", "AUTH OAUTHBEARER XOAUTH2 PLAIN", "ENHANCEDSTATUSCODES");
    }

    private SmtpConnectionParameters params(String mechanism) throws Exception {
        return params().security(SmtpSecurity.STARTTLS).sslContext(TestTls.clientTrustingTestCertificate())
                .verifyHostname(false).authMechanism(mechanism).username("user@example.com")
                .oauthTokenSupplier(() -> TOKEN).build();
    }

    @Test
    void tokenAcceptedOverStartTls() throws Exception {
        SSLContext tls = TestTls.serverContext();
        peer(c -> {
            startTls(c, tls);
            c.expect("AUTH OAUTHBEARER " + initialResponse());
            c.send("235 2.7.0 Authentication successful");
            plainTransaction(c, "OB1", "a@example.test");
            c.expectQuit();
        });
        client();
        String logs;
        SendResult r;
        try (LogCapture capture = LogCapture.loggers(Level.DEBUG, "io.github.smtpletter")) {
            r = client.send(params("OAUTHBEARER"), letter("x", "a@example.test")).get(0);
            client.close();
            logs = capture.text();
        }
        peer.assertNoErrors();
        assertEquals(SendStatus.SENT, r.status(), r::toString);
        assertTrue(logs.contains("C: AUTH OAUTHBEARER ****"), logs);
        assertFalse(logs.contains(TOKEN) || logs.contains(initialResponse()), logs);
    }

    @Test
    void autoPrefersOauthBearerOverXoauth2() throws Exception {
        SSLContext tls = TestTls.serverContext();
        peer(c -> {
            startTls(c, tls);
            c.expect("AUTH OAUTHBEARER " + initialResponse());
            c.send("235 2.7.0 Authentication successful");
            plainTransaction(c, "OB2", "a@example.test");
            c.expectQuit();
        });
        client();
        SendResult r = client.send(params("AUTO"), letter("x", "a@example.test")).get(0);
        client.close();
        peer.assertNoErrors();
        assertEquals(SendStatus.SENT, r.status(), r::toString);
    }

    @Test
    void jsonErrorIsAnsweredAndItsStatusAndScopeReported() throws Exception {
        SSLContext tls = TestTls.serverContext();
        peer(c -> {
            startTls(c, tls);
            c.expect("AUTH OAUTHBEARER " + initialResponse());
            c.send("334 " + ERROR_CHALLENGE);
            c.expect("AQ=="); // the single byte 0x01 (RFC 7628 section 3.2.3)
            c.send("535 5.7.8 Authentication credentials invalid");
            c.expectQuit();
        });
        client();
        String logs;
        SendResult r;
        try (LogCapture capture = LogCapture.loggers(Level.DEBUG, "io.github.smtpletter")) {
            r = client.send(params("OAUTHBEARER"), letter("x", "a@example.test")).get(0);
            client.close();
            logs = capture.text();
        }
        peer.assertNoErrors();
        assertEquals(SendStatus.FAILED, r.status(), r::toString);
        assertEquals(535, r.serverReply().code());
        assertTrue(r.error().contains("OAUTHBEARER error from server: status invalid_token, scope example_scope"),
                r.error());
        assertFalse(r.error().contains(TOKEN) || r.toString().contains(TOKEN), r.toString());
        assertFalse(logs.contains(TOKEN) || logs.contains(initialResponse()), logs);
    }

    @Test
    void refusedWithoutTlsBeforeAnythingIsSent() throws Exception {
        peer(c -> {
            c.greetAndEhlo("AUTH OAUTHBEARER");
            c.expectQuit();
        });
        client();
        SendResult r = client.send(params().authMechanism("OAUTHBEARER").username("user@example.com")
                .oauthTokenSupplier(() -> TOKEN).build(), letter("x", "a@example.test")).get(0);
        peer.assertNoErrors();
        assertEquals(SendStatus.FAILED, r.status(), r::toString);
        assertTrue(r.error().contains("Refusing AUTH OAUTHBEARER") && r.error().contains("token in clear"),
                r.error());
        assertFalse(peer.transcript().contains("AUTH"), peer.transcript());
    }
}
