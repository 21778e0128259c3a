package io.github.smtpletter.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The scripted peer's side of STARTTLS: a ClientHello that is already waiting when the peer gets round to the
 * handshake is the handshake, however late the peer thread runs; plaintext sent before the handshake is reported.
 */
class ScriptedSmtpPeerStartTlsTest {

    private static final Duration MAX = Duration.ofSeconds(10);

    @Test
    void aClientHelloAlreadyWaitingStartsTheHandshake() throws Exception {
        SSLContext server = TestTls.serverContext();
        try (ScriptedSmtpPeer peer = new ScriptedSmtpPeer(c -> {
            c.send("220 peer.test ESMTP");
            c.expect("STARTTLS");
            c.send("220 2.0.0 Ready to start TLS");
            // a late peer thread: the client's ClientHello is already here when the handshake starts
            await("the ClientHello").atMost(MAX).until(() -> c.in.available() >= 5);
            c.startTls(server);
            c.expect("NOOP");
            c.send("250 2.0.0 ok");
        }); Socket plain = new Socket(InetAddress.getLoopbackAddress(), peer.port())) {
            plain.setSoTimeout((int) MAX.toMillis());
            assertEquals("220 peer.test ESMTP", readLine(plain.getInputStream()));
            write(plain.getOutputStream(), "STARTTLS\r\n");
            assertEquals("220 2.0.0 Ready to start TLS", readLine(plain.getInputStream()));
            SSLSocket tls = (SSLSocket) TestTls.clientTrustingTestCertificate().getSocketFactory()
                    .createSocket(plain, "127.0.0.1", peer.port(), true);
            tls.startHandshake();
            write(tls.getOutputStream(), "NOOP\r\n");
            assertEquals("250 2.0.0 ok", readLine(tls.getInputStream()));
            peer.assertNoErrors();
        }
    }

    @Test
    void plaintextPipelinedWithStartTlsIsReported() throws Exception {
        SSLContext server = TestTls.serverContext();
        try (ScriptedSmtpPeer peer = new ScriptedSmtpPeer(c -> {
            c.send("220 peer.test ESMTP");
            c.expect("STARTTLS");
            c.send("220 2.0.0 Ready to start TLS");
            c.startTls(server);
        }); Socket plain = new Socket(InetAddress.getLoopbackAddress(), peer.port())) {
            plain.setSoTimeout((int) MAX.toMillis());
            assertEquals("220 peer.test ESMTP", readLine(plain.getInputStream()));
            write(plain.getOutputStream(), "STARTTLS\r\nMAIL FROM:<a@example.test>\r\n");
            assertInjectionReported(peer, "MAIL FROM:<a@example.test>\\r\\n");
        }
    }

    @Test
    void plaintextAfterTheReplyToStartTlsIsReported() throws Exception {
        SSLContext server = TestTls.serverContext();
        try (ScriptedSmtpPeer peer = new ScriptedSmtpPeer(c -> {
            c.send("220 peer.test ESMTP");
            c.expect("STARTTLS");
            c.send("220 2.0.0 Ready to start TLS");
            c.startTls(server);
        }); Socket plain = new Socket(InetAddress.getLoopbackAddress(), peer.port())) {
            plain.setSoTimeout((int) MAX.toMillis());
            assertEquals("220 peer.test ESMTP", readLine(plain.getInputStream()));
            write(plain.getOutputStream(), "STARTTLS\r\n");
            assertEquals("220 2.0.0 Ready to start TLS", readLine(plain.getInputStream()));
            write(plain.getOutputStream(), "EHLO client.test\r\n");
            assertInjectionReported(peer, "EHLO");
        }
    }

    private static void assertInjectionReported(ScriptedSmtpPeer peer, String sent) {
        peer.awaitScripts(MAX);
        List<Throwable> errors = peer.errors();
        assertEquals(1, errors.size(), errors::toString);
        String message = errors.get(0).getMessage();
        assertTrue(message.contains("client sent data before the TLS handshake"), message);
        assertTrue(message.contains(sent), message);
        assertTrue(peer.connections().get(0).received().length > "STARTTLS\r\n".length(), "kept in the transcript");
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** Reads one CRLF-terminated line byte by byte, so nothing after it is consumed. */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new EOFException("closed after " + line);
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }
}
