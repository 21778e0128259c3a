package io.github.smtpletter.smtp;

import java.time.Duration;
import java.util.List;

import io.github.smtpletter.testsupport.TestParameters;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Session setup against the scripted peer: greeting, EHLO/HELO, STARTTLS refusal, AUTH, verify. */
class SmtpSessionScriptedTest extends ScriptedTestSupport {

    @Test
    void sendsOneLetterWithoutExtensionsAndExactDotStuffedBytes() throws Exception {
        byte[][] data = new byte[1][];
        peer(c -> {
            c.greetAndEhlo();
            c.expect("MAIL FROM:<sender@example.test>");
            c.send("250 Ok");
            c.expect("RCPT TO:<rcpt@example.test>");
            c.send("250 Ok");
            c.expect("DATA");
            c.send("354 go ahead");
            data[0] = c.readData();
            c.send("250 Ok: queued as 4F1A2B3C");
            c.expectQuit();
        });
        client();
        List<SendResult> results = client.send(params().build(),
                letter("line1\r\n.hidden\r\n..two\r\nlast", "rcpt@example.test"));
        client.close();
        peer.assertNoErrors();
        SendResult r = results.get(0);
        assertEquals(SendStatus.SENT, r.status(), r::toString);
        assertEquals("4F1A2B3C", r.queueId());
        assertEquals(250, r.serverReply().code());
        assertEquals(List.of("rcpt@example.test"), r.acceptedRecipients().stream().map(a -> a.address()).toList());
        assertTrue(r.rejectedRecipients().isEmpty());
        assertEquals(null, r.error());
        assertData("Subject: s\r\n\r\nline1\r\n..hidden\r\n...two\r\nlast\r\n.\r\n", data[0]);
    }

    @Test
    void fallsBackToHeloWhenEhloIsRefused() throws Exception {
        peer(c -> {
            c.send("220 old.test SMTP");
            c.expect("EHLO client.test");
            c.send("502 5.5.1 command not implemented");
            c.expect("HELO client.test");
            c.send("250 old.test");
            plainTransaction(c, "Q1", "a@example.test");
            c.expectQuit();
        });
        client();
        List<SendResult> results = client.send(params().build(), letter("x", "a@example.test"));
        client.close();
        peer.assertNoErrors();
        assertStatuses(results, SendStatus.SENT);
    }

    @Test
    void greetingRefusalFailsEveryLetterWithTheReply() throws Exception {
        peer(c -> {
            c.send("554 5.7.1 no SMTP service here");
            c.expectQuit(); // RFC 5321 3.1: the client sends QUIT after a 554 greeting
        });
        client();
        List<SendResult> results = client.send(params().build(), letter("x", "a@example.test"),
                letter("y", "b@example.test"));
        peer.assertNoErrors();
        assertStatuses(results, SendStatus.FAILED, SendStatus.FAILED);
        for (SendResult r : results) {
            assertFalse(r.isRetryable());
            assertTrue(r.error().contains("554"), r.error());
            assertEquals(554, r.serverReply().code());
        }
        assertEquals(0, client.openConnections());
    }

    @Test
    void transientGreetingRefusalIsRetryable() throws Exception {
        peer(c -> {
            c.send("421 4.3.2 too busy");
            c.awaitClientClose();
        });
        client();
        SendResult r = client.send(params().build(), letter("x", "a@example.test")).get(0);
        peer.assertNoErrors();
        assertEquals(SendStatus.FAILED, r.status());
        assertTrue(r.isRetryable());
    }

    @Test
    void connectionRefusedFailsAllLettersRetryably() throws Exception {
        int port = AvailablePortFinder.getNextAvailable();
        client();
        SmtpConnectionParameters p = TestParameters.builder().host("127.0.0.1").port(port)
                .connectTimeout(Duration.ofSeconds(2)).readTimeout(Duration.ofSeconds(2)).build();
        List<SendResult> results = client.send(p, letter("x", "a@example.test"), letter("y", "b@example.test"));
        assertStatuses(results, SendStatus.FAILED, SendStatus.FAILED);
        assertTrue(results.get(0).isRetryable());
        assertTrue(results.get(0).error().contains("cannot connect to 127.0.0.1:" + port), results.get(0).error());
        SmtpException e = assertThrows(SmtpException.class, () -> client.verify(p));
        assertTrue(e.isRetryable());
    }

    @Test
    void silentServerIsBoundedByTheReadTimeout() throws Exception {
        peer(c -> c.awaitClientClose());
        client();
        long t0 = System.nanoTime();
        SendResult r = client.send(params().readTimeout(Duration.ofMillis(300)).build(),
                letter("x", "a@example.test")).get(0);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        peer.assertNoErrors();
        assertEquals(SendStatus.FAILED, r.status());
        assertTrue(r.isRetryable());
        assertTrue(r.error().contains("no reply within 300 ms"), r.error());
        assertTrue(ms < 5000, "took " + ms + " ms");
    }

    @Test
    void startTlsRequiredButNotOfferedSendsNothing() throws Exception {
        peer(c -> {
            c.greetAndEhlo("PIPELINING", "8BITMIME");
            c.expectQuit();
        });
        client();
        SendResult r = client.send(params().security(SmtpSecurity.STARTTLS).build(),
                letter("x", "a@example.test")).get(0);
        peer.assertNoErrors();
        assertEquals(SendStatus.FAILED, r.status());
        assertFalse(r.isRetryable());
        assertTrue(r.error().contains("does not offer STARTTLS"), r.error());
        assertEquals(List.of("EHLO client.test", "QUIT"), peer.connections().get(0).lines());
    }

    @Test
    void startTlsRefused() throws Exception {
        peer(c -> {
            c.greetAndEhlo("STARTTLS");
            c.expect("STARTTLS");
            c.send("454 4.7.0 TLS not available due to temporary reason");
            c.expectQuit();
        });
        client();
        SendResult r = client.send(params().security(SmtpSecurity.STARTTLS).build(),
                letter("x", "a@example.test")).get(0);
        peer.assertNoErrors();
        assertEquals(SendStatus.FAILED, r.status());
        assertTrue(r.isRetryable());
        assertTrue(r.error().contains("refused STARTTLS: 454"), r.error());
    }

    @Test
    void authenticatesWithPlainAfterEhlo() throws Exception {
        peer(c -> {
            c.greetAndEhlo("AUTH PLAIN LOGIN", "ENHANCEDSTATUSCODES");
            c.expect("AUTH PLAIN AHVzZXIAc2VjcmV0"); // \0user\0secret
            c.send("235 2.7.0 Authentication successful");
            plainTransaction(c, "Q", "a@example.test");
            c.expectQuit();
        });
        client();
        SmtpConnectionParameters p = params().authMechanism("PLAIN").username("user").password("secret")
                .allowPlaintextAuth(true).build();
        SendResult r = client.send(p, letter("x", "a@example.test")).get(0);
        client.close();
        peer.assertNoErrors();
        assertEquals(SendStatus.SENT, r.status(), r::toString);
    }

    @Test
    void authFailureFailsEveryLetterNotRetryableWithoutTheSecret() throws Exception {
        peer(c -> {
            c.greetAndEhlo("AUTH PLAIN", "ENHANCEDSTATUSCODES");
            c.expect("AUTH PLAIN *");
            c.send("535 5.7.8 Authentication credentials invalid");
            c.expectQuit(); // a refusal ends the dialogue politely (RFC 5321 4.1.1.10)
        });
        client();
        SmtpConnectionParameters p = params().authMechanism("PLAIN").username("user").password("s3cr3t-pw")
                .allowPlaintextAuth(true).build();
        List<SendResult> results = client.send(p, letter("x", "a@example.test"), letter("y", "b@example.test"));
        peer.assertNoErrors();
        assertStatuses(results, SendStatus.FAILED, SendStatus.FAILED);
        for (SendResult r : results) {
            assertFalse(r.isRetryable());
            assertTrue(r.error().contains("535"), r.error());
            assertFalse(r.error().contains("s3cr3t-pw"));
            assertFalse(r.toString().contains("s3cr3t-pw"));
        }
        assertEquals(0, client.openConnections());
    }

    @Test
    void verifyConnectsAuthenticatesAndQuits() throws Exception {
        peer(c -> {
            c.greetAndEhlo("SIZE 1000");
            c.expectQuit();
        }, c -> {
            c.send("554 go away");
            c.expectQuit();
        });
        client();
        client.verify(params().build());
        SmtpException e = assertThrows(SmtpException.class, () -> client.verify(params().build()));
        assertNotNull(e.reply());
        assertEquals(554, e.reply().code());
        peer.assertNoErrors();
        assertEquals(0, client.openConnections());
    }

    @Test
    void malformedGreetingIsAProtocolError() throws Exception {
        peer(c -> {
            c.sendRaw("HTTP/1.1 400 Bad Request\r\n");
            c.awaitClientClose();
        });
        client();
        SendResult r = client.send(params().build(), letter("x", "a@example.test")).get(0);
        peer.assertNoErrors();
        assertEquals(SendStatus.FAILED, r.status());
        assertTrue(r.error().contains("malformed SMTP reply"), r.error());
        assertEquals(List.of(), peer.connections().get(0).lines(), "out of step: closed without QUIT");
    }

    @Test
    void plaintextAuthRefusedByTheClientStillEndsWithQuit() throws Exception {
        peer(c -> {
            c.greetAndEhlo("AUTH PLAIN LOGIN");
            c.expectQuit();
        });
        client();
        SendResult r = client.send(params().authMechanism("PLAIN").username("user").password("s3cr3t-pw").build(),
                letter("x", "a@example.test")).get(0);
        peer.assertNoErrors();
        assertEquals(SendStatus.FAILED, r.status());
        assertTrue(r.error().contains("allowPlaintextAuth"), r.error());
        assertEquals(List.of("EHLO client.test", "QUIT"), peer.connections().get(0).lines());
    }
}
