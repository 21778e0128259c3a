package io.github.smtpletter.camel;

import java.io.IOException;
import java.net.SocketException;
import java.time.Duration;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

import io.github.smtpletter.letter.Letter;
import io.github.smtpletter.smtp.SendResult;
import io.github.smtpletter.smtp.SendStatus;
import io.github.smtpletter.testsupport.LogCapture;
import io.github.smtpletter.testsupport.ScriptedSmtpPeer;
import io.github.smtpletter.testsupport.SmtpResponder;
import io.github.smtpletter.testsupport.TestTls;
import org.apache.camel.Exchange;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TLS through the endpoint: certificates and host names are verified by default, trust comes from Camel's
 * SSLContextParameters (on the endpoint or the context's global ones), and each way of turning a check off is an
 * explicit option that logs a warning. The peer presents GreenMail's self-signed certificate, which names no host.
 */
@Timeout(60)
class LetterSmtpTlsTest extends CamelTestSupport {

    private final SmtpResponder responder = new SmtpResponder();
    private ScriptedSmtpPeer peer;

    @AfterEach
    void closePeer() throws IOException {
        if (peer != null) {
            peer.close();
        }
    }

    /** A peer that offers STARTTLS, upgrades with the GreenMail certificate, then serves normally. */
    private String startTlsPeer() throws Exception {
        SSLContext server = TestTls.serverContext();
        peer = ScriptedSmtpPeer.serving(c -> {
            c.send("220 peer.test ESMTP");
            c.expect("EHLO client.test");
            c.reply(250, "peer.test", "STARTTLS");
            c.expect("STARTTLS");
            c.send("220 2.0.0 Ready to start TLS");
            try {
                c.startTls(server);
            } catch (SSLException | SocketException refusedByTheClient) {
                return;
            }
            responder.serve(c);
        });
        return "letter-smtp:127.0.0.1:" + peer.port() + "?security=STARTTLS&ehloName=client.test&readTimeout=5s";
    }

    private static SSLContextParameters trustingTheTestCertificate() {
        KeyStoreParameters store = new KeyStoreParameters();
        store.setResource("classpath:greenmail.p12");
        store.setType("PKCS12");
        store.setPassword("changeit");
        TrustManagersParameters trust = new TrustManagersParameters();
        trust.setKeyStore(store);
        SSLContextParameters parameters = new SSLContextParameters();
        parameters.setTrustManagers(trust);
        return parameters;
    }

    private SendResult send(String uri) {
        Letter letter = Letter.from("a@example.test").to("b@example.test").subject("tls").text("over TLS").build();
        Exchange out = template.send(uri + "&failOnNotSent=false", e -> e.getIn().setBody(letter));
        return (SendResult) out.getMessage().getBody(List.class).get(0);
    }

    private void assertNothingSentAfterStartTls() throws InterruptedException {
        peer.awaitScripts(Duration.ofSeconds(10));
        assertEquals(List.of("EHLO client.test", "STARTTLS"), peer.connections().get(0).lines());
        assertTrue(responder.attempts().isEmpty());
    }

    @Test
    void anUntrustedCertificateIsRefusedByDefault() throws Exception {
        String uri = startTlsPeer();
        try (LogCapture logs = LogCapture.loggers(Level.WARN, "io.github.smtpletter")) {
            SendResult r = send(uri);
            assertEquals(SendStatus.FAILED, r.status(), r::toString);
            assertFalse(r.isRetryable(), "a certificate problem does not go away by itself");
            assertTrue(r.error().contains("TLS handshake"), r.error());
            assertTrue(logs.warnings("").isEmpty(), logs.text());
        }
        assertNothingSentAfterStartTls();
    }

    @Test
    void aTrustedCertificateForAnotherHostIsRefusedByDefault() throws Exception {
        String uri = startTlsPeer();
        context.getRegistry().bind("tls", trustingTheTestCertificate());
        SendResult r = send(uri + "&sslContextParameters=#tls");
        assertEquals(SendStatus.FAILED, r.status(), r::toString);
        assertTrue(r.error().contains("TLS handshake"), r.error());
        assertTrue(r.error().toLowerCase().contains("subject alternative"), r.error());
        assertNothingSentAfterStartTls();
    }

    @Test
    void trustFromSslContextParametersAndHostNameCheckOffSendsAndWarns() throws Exception {
        String uri = startTlsPeer();
        context.getRegistry().bind("tls", trustingTheTestCertificate());
        try (LogCapture logs = LogCapture.loggers(Level.WARN, "io.github.smtpletter")) {
            SendResult r = send(uri + "&sslContextParameters=#tls&verifyHostname=false");
            assertEquals(SendStatus.SENT, r.status(), r::toString);
            assertEquals(1, logs.warnings("verifyHostname=false").size(), logs.text());
        }
        assertEquals(1, responder.messages().size());
    }

    @Test
    void globalSslContextParametersAreUsedWhenTheComponentSaysSo() throws Exception {
        String uri = startTlsPeer();
        context.setSSLContextParameters(trustingTheTestCertificate());
        context.getComponent("letter-smtp", LetterSmtpComponent.class).setUseGlobalSslContextParameters(true);
        SendResult r = send(uri + "&verifyHostname=false");
        assertEquals(SendStatus.SENT, r.status(), r::toString);
    }

    @Test
    void trustAllCertificatesSendsAndWarns() throws Exception {
        String uri = startTlsPeer();
        try (LogCapture logs = LogCapture.loggers(Level.WARN, "io.github.smtpletter")) {
            SendResult r = send(uri + "&trustAllCertificates=true");
            assertEquals(SendStatus.SENT, r.status(), r::toString);
            assertEquals(1, logs.warnings("trustAllCertificates=true").size(), logs.text());
        }
    }
}
