package io.github.smtpletter.smtp;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;

import javax.net.ssl.SSLContext;

import io.github.smtpletter.testsupport.ScriptedSmtpPeer;
import io.github.smtpletter.testsupport.TestParameters;
import io.github.smtpletter.testsupport.TestTls;
import org.junit.jupiter.api.Test;

import static io.github.smtpletter.smtp.ScramTestServer.b64;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SCRAM through the whole client against scripted servers that run the server side of RFC 5802 (a separate
 * implementation, {@link ScramTestServer}): -PLUS with {@code tls-server-end-point} checked by the server, the GS2
 * flags, and hostile servers.
 */
class SmtpScramTest extends ScriptedTestSupport {

    private static final String PASSWORD = "pencil-Sharp-9";

    private static byte[] endPoint() throws Exception {
        assertEquals("SHA256withRSA", TestTls.certificate().getSigAlgName()); // RFC 5929: hash with SHA-256
        return MessageDigest.getInstance("SHA-256").digest(TestTls.certificate().getEncoded());
    }

    /** STARTTLS, EHLO again offering {@code auth}; returns after the EHLO reply. */
    private static void startTls(ScriptedSmtpPeer.Conn c, SSLContext server, String auth) throws Exception {
        c.greetAndEhlo("STARTTLS");
        c.expect("STARTTLS");
        c.send("220 2.0.0 Ready to start TLS");
        c.startTls(server);
        c.expect("EHLO client.test");
        c.reply(250, "peer.test", auth, "ENHANCEDSTATUSCODES");
    }

    /** Runs a full SCRAM exchange whose AUTH line must name {@code mechanism}; returns the server's view. */
    private static ScramTestServer scram(ScriptedSmtpPeer.Conn c, String algorithm, String mechanism,
                                         byte[] bindingData)
            throws Exception {
        ScramTestServer server = new ScramTestServer(algorithm, PASSWORD, 4096);
        String line = c.readLine();
        assertTrue(line.startsWith("AUTH " + mechanism + " "), line);
        c.send("334 " + b64(server.first(line.substring(line.lastIndexOf(' ') + 1))));
        String last = server.last(c.readLine(), bindingData);
        assertTrue(last != null, "the client's proof is wrong");
        c.send("334 " + b64(last));
        c.expect("");
        c.send("235 2.7.0 Authentication successful");
        return server;
    }

    private TestParameters startTlsParams() throws Exception {
        return params().security(SmtpSecurity.STARTTLS).sslContext(TestTls.clientTrustingTestCertificate())
                .verifyHostname(false).username("user").password(PASSWORD);
    }

    @Test
    void scramSha256PlusOverStartTlsBindsToTheServerCertificate() throws Exception {
        SSLContext tls = TestTls.serverContext();
        byte[] binding = endPoint();
        ScramTestServer[] seen = new ScramTestServer[1];
        peer(c -> {
            startTls(c, tls, "AUTH PLAIN SCRAM-SHA-256 SCRAM-SHA-256-PLUS");
            seen[0] = scram(c, "SHA-256", "SCRAM-SHA-256-PLUS", binding);
            plainTransaction(c, "PLUS1", "a@example.test");
            c.expectQuit();
        });
        client();
        SendResult r = client.send(startTlsParams().authMechanism("SCRAM-SHA-256").build(),
                letter("x", "a@example.test")).get(0);
        client.close();
        peer.assertNoErrors();
        assertEquals(SendStatus.SENT, r.status(), r::toString);
        assertEquals("p=tls-server-end-point,,", seen[0].gs2Header());
        assertEquals("user", seen[0].username());
    }

    @Test
    void autoPicksScramSha1PlusOverSmtps() throws Exception {
        SSLContext tls = TestTls.serverContext();
        byte[] binding = endPoint();
        peer(c -> {
            c.startTls(tls);
            c.greetAndEhlo("AUTH CRAM-MD5 PLAIN SCRAM-SHA-1 SCRAM-SHA-1-PLUS");
            scram(c, "SHA-1", "SCRAM-SHA-1-PLUS", binding);
            plainTransaction(c, "PLUS2", "a@example.test");
            c.expectQuit();
        });
        client();
        SendResult r = client.send(params().security(SmtpSecurity.SMTPS).sslContext(
                TestTls.clientTrustingTestCertificate()).verifyHostname(false).authMechanism("AUTO").username("user")
                .password(PASSWORD).build(), letter("x", "a@example.test")).get(0);
        client.close();
        peer.assertNoErrors();
        assertEquals(SendStatus.SENT, r.status(), r::toString);
    }

    @Test
    void flagYWhenTheServerOffersNoPlusOverTls() throws Exception {
        SSLContext tls = TestTls.serverContext();
        ScramTestServer[] seen = new ScramTestServer[1];
        peer(c -> {
            startTls(c, tls, "AUTH SCRAM-SHA-256");
            seen[0] = scram(c, "SHA-256", "SCRAM-SHA-256", new byte[0]);
            plainTransaction(c, "Y1", "a@example.test");
            c.expectQuit();
        });
        client();
        SendResult r = client.send(startTlsParams().authMechanism("SCRAM-SHA-256").build(),
                letter("x", "a@example.test")).get(0);
        client.close();
        peer.assertNoErrors();
        assertEquals(SendStatus.SENT, r.status(), r::toString);
        assertEquals("y,,", seen[0].gs2Header());
    }

    @Test
    void flagNWithoutTls() throws Exception {
        ScramTestServer[] seen = new ScramTestServer[1];
        peer(c -> {
            c.greetAndEhlo("AUTH SCRAM-SHA-1 SCRAM-SHA-1-PLUS PLAIN");
            seen[0] = scram(c, "SHA-1", "SCRAM-SHA-1", new byte[0]);
            plainTransaction(c, "N1", "a@example.test");
            c.expectQuit();
        });
        client();
        SendResult r = client.send(params().authMechanism("SCRAM-SHA-1").username("user").password(PASSWORD)
                .build(), letter("x", "a@example.test")).get(0);
        client.close();
        peer.assertNoErrors();
        assertEquals(SendStatus.SENT, r.status(), r::toString);
        assertEquals("n,,", seen[0].gs2Header());
    }

    @Test
    void wrongPasswordFailsWithThe535AndNoSecret() throws Exception {
        peer(c -> {
            c.greetAndEhlo("AUTH SCRAM-SHA-256", "ENHANCEDSTATUSCODES");
            ScramTestServer server = new ScramTestServer("SHA-256", "the-real-password", 4096);
            String line = c.readLine();
            c.send("334 " + b64(server.first(line.substring(line.lastIndexOf(' ') + 1))));
            assertEquals(null, server.last(c.readLine(), new byte[0]));
            c.send("535 5.7.8 Error: authentication failed: authentication failure");
            c.expectQuit();
        });
        client();
        SendResult r = client.send(params().authMechanism("SCRAM-SHA-256").username("user").password(PASSWORD)
                .build(), letter("x", "a@example.test")).get(0);
        peer.assertNoErrors();
        assertEquals(SendStatus.FAILED, r.status(), r::toString);
        assertFalse(r.isRetryable());
        assertEquals(535, r.serverReply().code());
        assertTrue(r.error().contains("AUTH SCRAM-SHA-256") && r.error().contains("535"), r.error());
        assertFalse(r.error().contains(PASSWORD) || r.toString().contains(PASSWORD), r.toString());
    }

    /** A server that does not know the password: wrong signature, or success without one. Nothing is sent. */
    @Test
    void aServerThatCannotProveItselfFailsTheSend() throws Exception {
        for (boolean claimsSuccess : new boolean[] { false, true }) {
            peer(c -> {
                c.greetAndEhlo("AUTH SCRAM-SHA-256");
                ScramTestServer server = new ScramTestServer("SHA-256", PASSWORD, 4096);
                String line = c.readLine();
                c.send("334 " + b64(server.first(line.substring(line.lastIndexOf(' ') + 1))));
                c.readLine();
                if (claimsSuccess) {
                    c.send("235 2.7.0 Authentication successful");
                } else {
                    c.send("334 " + b64("v=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="));
                    c.expect("*");
                    c.send("501 5.7.0 Authentication aborted");
                }
                c.expectQuit();
            });
            client();
            SendResult r = client.send(params().authMechanism("SCRAM-SHA-256").username("user")
                    .password(PASSWORD).build(), letter("x", "a@example.test")).get(0);
            client.close();
            peer.assertNoErrors();
            assertEquals(SendStatus.FAILED, r.status(), r::toString);
            assertFalse(r.isRetryable());
            assertTrue(r.error().contains(claimsSuccess ? "without proving that it knows the password"
                    : "the server signature is wrong"), r.error());
            assertFalse(peer.transcript().contains("MAIL FROM"), peer.transcript());
            peer.close();
        }
    }

    @Test
    void hostileServerFirstMessagesAreCancelled() throws Exception {
        List<String[]> cases = List.of(
                new String[] { "r=notOurNonce,s=QSXCR+Q6sek8bf92,i=4096", "does not extend the client nonce" },
                new String[] { "r=%s-x,s=QSXCR+Q6sek8bf92,i=10", "fewer than the 4096 required" },
                new String[] { "r=%s-x,s=QSXCR+Q6sek8bf92,i=2000000000", "more than the 1000000 allowed" },
                new String[] { "garbage", "malformed server-first message" });
        for (String[] bad : cases) {
            peer(c -> {
                c.greetAndEhlo("AUTH SCRAM-SHA-1");
                String line = c.readLine();
                String first = new String(Base64.getDecoder().decode(line.substring(line.lastIndexOf(' ') + 1)),
                        StandardCharsets.UTF_8);
                String nonce = first.substring(first.indexOf(",r=") + 3);
                c.send("334 " + b64(String.format(bad[0], nonce)));
                c.expect("*");
                c.send("501 5.7.0 Authentication aborted");
                c.expectQuit();
            });
            client();
            SendResult r = client.send(params().authMechanism("SCRAM-SHA-1").username("user").password(PASSWORD)
                    .build(), letter("x", "a@example.test")).get(0);
            client.close();
            peer.assertNoErrors();
            assertEquals(SendStatus.FAILED, r.status(), r::toString);
            assertTrue(r.error().contains(bad[1]), r.error());
            peer.close();
        }
    }

    @Test
    void anEmptyServerFirstMessageIsCancelled() throws Exception {
        peer(c -> {
            c.greetAndEhlo("AUTH SCRAM-SHA-256");
            c.readLine();
            c.send("334 ");
            String answer = c.readLine();
            assertEquals("*", answer);
            c.send("501 5.7.0 Authentication aborted");
            c.expectQuit();
        });
        client();
        SendResult r = client.send(params().authMechanism("SCRAM-SHA-256").username("user").password(PASSWORD)
                .build(), letter("x", "a@example.test")).get(0);
        peer.assertNoErrors();
        assertEquals(SendStatus.FAILED, r.status(), r::toString);
        assertTrue(r.error().contains("cancelled by the client"), r.error());
    }
}
