package io.github.smtpletter.smtp;

import java.net.SocketException;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

import io.github.smtpletter.testsupport.ScriptedSmtpPeer;
import io.github.smtpletter.testsupport.TestTls;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** STARTTLS (RFC 3207) against the scripted peer: upgrade, EHLO again, AUTH only after TLS, host name checks. */
class SmtpStartTlsTest extends ScriptedTestSupport {

    @Test
    void upgradesAuthenticatesOverTlsAndSends() throws Exception {
        SSLContext server = TestTls.serverContext();
        peer(c -> {
            c.greetAndEhlo("STARTTLS", "PIPELINING");
            c.expect("STARTTLS");
            c.send("220 2.0.0 Ready to start TLS");
            c.startTls(server);
            c.expect("EHLO client.test");
            c.reply(250, "peer.test", "AUTH PLAIN", "ENHANCEDSTATUSCODES");
            c.expect("AUTH PLAIN AHVzZXIAc2VjcmV0");
            c.send("235 2.7.0 ok");
            plainTransaction(c, "TLS1", "a@example.test");
            c.expectQuit();
        });
        client();
        // PLAIN without allowPlaintextAuth: allowed because the channel is encrypted by then
        SmtpConnectionParameters p = params().security(SmtpSecurity.STARTTLS)
                .sslContext(TestTls.clientTrustingTestCertificate()).verifyHostname(false)
                .authMechanism("PLAIN").username("user").password("secret").build();
        SendResult r = client.send(p, letter("x", "a@example.test")).get(0);
        client.close();
        peer.assertNoErrors();
        assertEquals(SendStatus.SENT, r.status(), r::toString);
        assertEquals("TLS1", r.queueId());
        assertEquals(List.of("EHLO client.test", "STARTTLS"), peer.connections().get(0).lines().subList(0, 2));
    }

    @Test
    void hostnameIsVerifiedByDefault() throws Exception {
        SSLContext server = TestTls.serverContext();
        peer(c -> {
            c.greetAndEhlo("STARTTLS");
            c.expect("STARTTLS");
            c.send("220 go ahead");
            try {
                c.startTls(server);
            } catch (SSLException | SocketException expected) {
                return; // the client refused the certificate
            }
            c.awaitClientClose();
        });
        client();
        SmtpConnectionParameters p = params().security(SmtpSecurity.STARTTLS)
                .sslContext(TestTls.clientTrustingTestCertificate()).build();
        SendResult r = client.send(p, letter("x", "a@example.test")).get(0);
        peer.assertNoErrors();
        assertEquals(SendStatus.FAILED, r.status());
        assertFalse(r.isRetryable());
        assertTrue(r.error().contains("TLS handshake"), r.error());
        assertTrue(r.error().contains("does not match the host name"), r.error());
        assertEquals(0, client.openConnections());
    }

    @Test
    void untrustedCertificateFailsAndTrustAllIsExplicit() throws Exception {
        SSLContext server = TestTls.serverContext();
        ScriptedSmtpPeer.Script tls = c -> {
            c.greetAndEhlo("STARTTLS");
            c.expect("STARTTLS");
            c.send("220 go ahead");
            try {
                c.startTls(server);
            } catch (SSLException | SocketException expected) {
                return;
            }
            c.expect("EHLO client.test");
            c.reply(250, "peer.test");
            plainTransaction(c, "T", "a@example.test");
            c.expectQuit();
        };
        peer(tls, tls);
        client();
        SendResult untrusted = client.send(params().security(SmtpSecurity.STARTTLS).build(),
                letter("x", "a@example.test")).get(0);
        assertEquals(SendStatus.FAILED, untrusted.status());
        assertTrue(untrusted.error().contains("TLS handshake"), untrusted.error());
        assertTrue(untrusted.error().contains("the server certificate is not trusted"), untrusted.error());
        assertTrue(untrusted.error().contains("sslContextParameters"), untrusted.error());
        assertFalse(untrusted.isRetryable());
        SendResult trusted = client.send(params().security(SmtpSecurity.STARTTLS).trustAllCertificates(true).build(),
                letter("x", "a@example.test")).get(0);
        client.close();
        peer.assertNoErrors();
        assertEquals(SendStatus.SENT, trusted.status(), trusted::toString);
    }
}
