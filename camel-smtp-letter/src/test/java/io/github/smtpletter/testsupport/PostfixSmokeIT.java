package io.github.smtpletter.testsupport;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.sasl.RealmCallback;
import javax.security.sasl.RealmChoiceCallback;
import javax.security.sasl.Sasl;
import javax.security.sasl.SaslClient;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Checks the Postfix harness itself through plain sockets (no project classes): what the server offers, that
 * the SASL user authenticates with every mechanism, that mail arrives in the delivered folder and that the
 * configured rejections happen.
 */
@PostfixTest
class PostfixSmokeIT {

    @RegisterExtension
    static final PostfixExtension POSTFIX = new PostfixExtension();

    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(30);

    @Test
    void ehloAdvertisesMechanismsAndExtensions() throws IOException {
        try (RawSmtp smtp = RawSmtp.connect(POSTFIX.host(), POSTFIX.authPort())) {
            Reply ehlo = smtp.command("EHLO smoke.example");
            assertEquals(250, ehlo.code(), ehlo.toString());
            List<String> auth = ehlo.keywordArgs("AUTH");
            assertTrue(auth.containsAll(List.of("ANONYMOUS", "PLAIN", "LOGIN", "CRAM-MD5", "DIGEST-MD5", "SCRAM-SHA-1",
                    "SCRAM-SHA-256")), ehlo
                            .toString());
            for (String ext : List.of("PIPELINING", "CHUNKING", "STARTTLS", "8BITMIME", "SMTPUTF8", "DSN")) {
                assertTrue(ehlo.hasKeyword(ext), ext + " missing in " + ehlo);
            }
            assertEquals(List.of(String.valueOf(POSTFIX.messageSizeLimit())), ehlo.keywordArgs("SIZE"));
        }
    }

    @Test
    void authPlainSendsAndTheLetterIsDelivered() throws IOException {
        String messageId = "smoke-plain-" + UUID.randomUUID() + "@smoke.example";
        try (RawSmtp smtp = RawSmtp.connect(POSTFIX.host(), POSTFIX.authPort())) {
            smtp.expect(250, "EHLO smoke.example");
            smtp.expect(235, "AUTH PLAIN " + b64("\0" + POSTFIX.username() + "\0" + POSTFIX.password()));
            smtp.expect(250, "MAIL FROM:<sender@example.org>");
            smtp.expect(250, "RCPT TO:<rcpt@example.org>");
            smtp.expect(354, "DATA");
            smtp.write(message(messageId, "..starts with a dot\r\n").replace("\r\n..", "\r\n...") + ".\r\n");
            Reply queued = smtp.read();
            assertEquals(250, queued.code(), queued.toString());
            smtp.expect(221, "QUIT");
        }
        String delivered = POSTFIX.awaitDeliveredContaining(messageId, DELIVERY_TIMEOUT)
                .orElseThrow(() -> new AssertionError("not delivered: " + messageId + "\n" + POSTFIX.maillog()));
        assertTrue(delivered.contains("X-Envelope-To: <rcpt@example.org>"), delivered);
        assertTrue(delivered.contains("Subject: smoke " + messageId), delivered);
        assertTrue(delivered.contains("\n..starts with a dot\n"), delivered);
        assertTrue(POSTFIX.deliveredMessages().stream().anyMatch(p -> p.getFileName().toString().endsWith(".eml")));
    }

    @ParameterizedTest
    @ValueSource(strings = { "CRAM-MD5", "DIGEST-MD5" })
    void challengeResponseMechanismsAuthenticateWithTheJdkSaslClient(String mechanism) throws IOException {
        try (RawSmtp smtp = RawSmtp.connect(POSTFIX.host(), POSTFIX.authPort())) {
            smtp.expect(250, "EHLO smoke.example");
            assertEquals(235, saslAuth(smtp, mechanism, POSTFIX.password()).code());
            smtp.expect(250, "MAIL FROM:<sender@example.org>");
            smtp.expect(250, "RCPT TO:<rcpt@example.org>");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "CRAM-MD5", "DIGEST-MD5" })
    void wrongPasswordGets535(String mechanism) throws IOException {
        try (RawSmtp smtp = RawSmtp.connect(POSTFIX.host(), POSTFIX.authPort())) {
            smtp.expect(250, "EHLO smoke.example");
            Reply reply = saslAuth(smtp, mechanism, "not-" + POSTFIX.password());
            assertEquals(535, reply.code(), reply.toString());
        }
    }

    @Test
    void plainWithWrongPasswordGets535() throws IOException {
        try (RawSmtp smtp = RawSmtp.connect(POSTFIX.host(), POSTFIX.authPort())) {
            smtp.expect(250, "EHLO smoke.example");
            smtp.expect(535, "AUTH PLAIN " + b64("\0" + POSTFIX.username() + "\0wrong"));
        }
    }

    @Test
    void configuredRecipientRejections() throws IOException {
        try (RawSmtp smtp = RawSmtp.connect(POSTFIX.host(), POSTFIX.authPort())) {
            smtp.expect(250, "EHLO smoke.example");
            smtp.expect(235, "AUTH PLAIN " + b64("\0" + POSTFIX.username() + "\0" + POSTFIX.password()));
            smtp.expect(553, "MAIL FROM:<someone@blocked.example>");
            smtp.expect(250, "MAIL FROM:<sender@example.org>");
            Reply rejected = smtp.expect(550, "RCPT TO:<nobody@reject.example>");
            assertTrue(rejected.lines().get(0).startsWith("5.1.1 "), rejected.toString());
            Reply busy = smtp.expect(450, "RCPT TO:<later@busy.example>");
            assertTrue(busy.lines().get(0).startsWith("4.2.1 "), busy.toString());
            smtp.expect(250, "RCPT TO:<fine@example.org>");
        }
    }

    @Test
    void authPortRefusesMailWithoutRealAuthentication() throws IOException {
        try (RawSmtp smtp = RawSmtp.connect(POSTFIX.host(), POSTFIX.authPort())) {
            smtp.expect(250, "EHLO smoke.example");
            smtp.expect(235, "AUTH ANONYMOUS " + b64("smoke@example.org"));
            smtp.expect(250, "MAIL FROM:<sender@example.org>");
            smtp.expect(554, "RCPT TO:<rcpt@example.org>");
        }
    }

    @Test
    void anonymousPortTakesMailAfterAuthAnonymousSentWithBdat() throws IOException {
        String messageId = "smoke-anon-bdat-" + UUID.randomUUID() + "@smoke.example";
        byte[] body = message(messageId, "..not dot-stuffed in BDAT\r\n").getBytes(StandardCharsets.UTF_8);
        try (RawSmtp smtp = RawSmtp.connect(POSTFIX.host(), POSTFIX.anonymousPort())) {
            smtp.expect(250, "EHLO smoke.example");
            smtp.expect(235, "AUTH ANONYMOUS " + b64("smoke@example.org"));
            smtp.expect(250, "MAIL FROM:<sender@example.org>");
            smtp.expect(250, "RCPT TO:<anon@example.org>");
            int half = body.length / 2;
            smtp.write("BDAT " + half + "\r\n");
            smtp.write(body, 0, half);
            assertEquals(250, smtp.read().code());
            smtp.write("BDAT " + (body.length - half) + " LAST\r\n");
            smtp.write(body, half, body.length - half);
            Reply queued = smtp.read();
            assertEquals(250, queued.code(), queued.toString());
            assertTrue(queued.text().contains("queued as"), queued.toString());
        }
        String delivered = POSTFIX.awaitDeliveredContaining(messageId, DELIVERY_TIMEOUT)
                .orElseThrow(() -> new AssertionError("not delivered: " + messageId + "\n" + POSTFIX.maillog()));
        assertTrue(delivered.contains("\n..not dot-stuffed in BDAT\n"), delivered);
    }

    @Test
    void smtpsPortVerifiesAgainstTheTestCertificate() throws IOException {
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress(POSTFIX.host(), POSTFIX.smtpsPort()), 5_000);
            plain.setSoTimeout(10_000);
            SSLSocket tls = (SSLSocket) POSTFIX.trustingSslContext().getSocketFactory()
                    .createSocket(plain, POSTFIX.host(), POSTFIX.smtpsPort(), true);
            SSLParameters params = tls.getSSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS");  // hostname (here: IP SAN) check
            tls.setSSLParameters(params);
            tls.startHandshake();
            try (RawSmtp smtp = new RawSmtp(tls)) {
                assertEquals(220, smtp.read().code());
                smtp.expect(250, "EHLO smoke.example");
                smtp.expect(235, "AUTH PLAIN " + b64("\0" + POSTFIX.username() + "\0" + POSTFIX.password()));
            }
        }
    }

    @Test
    void nothingIsDeliveredForAnUnknownNeedleWithinTheTimeout() {
        assertEquals(Optional.empty(), POSTFIX.awaitDeliveredContaining("never-sent-" + UUID.randomUUID(),
                Duration.ofMillis(300)));
    }

    // ---------------------------------------------------------------- helpers

    private static Reply saslAuth(RawSmtp smtp, String mechanism, String password) throws IOException {
        SaslClient client = Sasl.createSaslClient(new String[] { mechanism }, null, "smtp", POSTFIX.host(),
                Map.of(Sasl.QOP, "auth"), callbacks -> {
                    for (Callback cb : callbacks) {
                        if (cb instanceof NameCallback n) {
                            n.setName(POSTFIX.username());
                        } else if (cb instanceof PasswordCallback p) {
                            p.setPassword(password.toCharArray());
                        } else if (cb instanceof RealmChoiceCallback r) {
                            r.setSelectedIndex(0);
                        } else if (cb instanceof RealmCallback r) {
                            r.setText(POSTFIX.realm());
                        } else {
                            throw new UnsupportedCallbackException(cb);
                        }
                    }
                });
        assertTrue(client != null, "the JDK has no SASL client for " + mechanism);
        Reply reply = smtp.command("AUTH " + mechanism);
        while (reply.code() == 334) {
            byte[] challenge = Base64.getDecoder().decode(reply.text().trim());
            byte[] response = client.isComplete() ? new byte[0] : client.evaluateChallenge(challenge);
            reply = smtp.command(Base64.getEncoder().encodeToString(response == null ? new byte[0] : response));
        }
        client.dispose();
        return reply;
    }

    private static String message(String messageId, String extraBodyLine) {
        return "From: <sender@example.org>\r\n"
               + "To: <rcpt@example.org>\r\n"
               + "Subject: smoke " + messageId + "\r\n"
               + "Message-ID: <" + messageId + ">\r\n"
               + "\r\n"
               + "hello from the smoke test\r\n"
               + extraBodyLine;
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    /** An SMTP reply: code, and each line's text after "NNN-"/"NNN ". */
    record Reply(int code, List<String> lines) {
        String text() {
            return String.join("\n", lines);
        }

        boolean hasKeyword(String keyword) {
            return lines.stream().anyMatch(l -> l.equalsIgnoreCase(keyword) || l.toUpperCase().startsWith(keyword
                                                                                                          + " "));
        }

        List<String> keywordArgs(String keyword) {
            return lines.stream()
                    .filter(l -> l.toUpperCase().startsWith(keyword + " "))
                    .findFirst()
                    .map(l -> List.of(l.substring(keyword.length() + 1).trim().split("\\s+")))
                    .orElse(List.of());
        }

        @Override
        public String toString() {
            return code + " " + text();
        }
    }

    /** The least SMTP client that can check the server: one line out, one (multi-line) reply in. */
    static final class RawSmtp implements AutoCloseable {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;

        RawSmtp(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new BufferedInputStream(socket.getInputStream());
            this.out = socket.getOutputStream();
        }

        static RawSmtp connect(String host, int port) throws IOException {
            Socket socket = new Socket();
            socket.connect(new InetSocketAddress(host, port), 5_000);
            socket.setSoTimeout(10_000);
            RawSmtp smtp = new RawSmtp(socket);
            Reply greeting = smtp.read();
            assertEquals(220, greeting.code(), greeting.toString());
            return smtp;
        }

        Reply command(String line) throws IOException {
            write(line + "\r\n");
            return read();
        }

        Reply expect(int code, String line) throws IOException {
            Reply reply = command(line);
            assertEquals(code, reply.code(), () -> "'" + line + "' -> " + reply);
            return reply;
        }

        void write(String s) throws IOException {
            out.write(s.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            out.flush();
        }

        Reply read() throws IOException {
            List<String> lines = new ArrayList<>();
            while (true) {
                String line = readLine();
                if (line.length() < 4 || !Character.isDigit(line.charAt(0))) {
                    throw new IOException("not an SMTP reply line: '" + line + "'");
                }
                lines.add(line.substring(4));
                if (line.charAt(3) == ' ') {
                    return new Reply(Integer.parseInt(line.substring(0, 3)), lines);
                }
            }
        }

        private String readLine() throws IOException {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            int c;
            while ((c = in.read()) != -1) {
                if (c == '\n') {
                    byte[] bytes = buf.toByteArray();
                    int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                    return new String(bytes, 0, len, StandardCharsets.UTF_8);
                }
                buf.write(c);
            }
            throw new IOException("connection closed by the server");
        }

        @Override
        public void close() throws IOException {
            try {
                if (!socket.isClosed()) {
                    write("QUIT\r\n");
                    read();
                }
            } catch (IOException ignored) {
                // closing anyway
            } finally {
                socket.close();
            }
        }
    }
}
