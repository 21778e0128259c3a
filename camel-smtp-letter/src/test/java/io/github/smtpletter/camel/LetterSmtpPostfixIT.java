package io.github.smtpletter.camel;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.github.smtpletter.letter.Letter;
import io.github.smtpletter.letter.MailAddress;
import io.github.smtpletter.smtp.RecipientFailure;
import io.github.smtpletter.smtp.SendResult;
import io.github.smtpletter.smtp.SendStatus;
import io.github.smtpletter.testsupport.LogCapture;
import io.github.smtpletter.testsupport.PostfixExtension;
import io.github.smtpletter.testsupport.PostfixTest;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The authentication proof against a real MTA: Camel routes with {@code letter-smtp:} endpoints send letters to the
 * Postfix + Cyrus SASL of {@link PostfixExtension}, and every claim is checked on the server's side too: the letter
 * is found in what Postfix delivered (by its Message-ID, with the envelope recipients from the
 * {@code X-Envelope-To} lines), and the Postfix log says which SASL mechanism logged in and which commands the
 * connection used ({@code bdat=}, {@code data=}, {@code auth=} in the {@code disconnect} line).
 * <p>
 * Ports: auth (AUTH required, STARTTLS offered), anonymous (loopback may send without AUTH: where AUTH ANONYMOUS
 * senders send), SMTPS. TLS is verified against the harness' self-signed certificate through a Camel
 * {@link SSLContextParameters} whose trust store this class writes to {@code target/}.
 */
@PostfixTest
class LetterSmtpPostfixIT extends CamelTestSupport {

    @RegisterExtension
    static final PostfixExtension POSTFIX = new PostfixExtension();

    private static final Duration DELIVERY = Duration.ofSeconds(30);
    private static final String SENDER = "Route Sender <route-sender@example.org>";
    /** Protects nothing (it holds a public certificate); PKCS12 wants one. */
    private static final String TRUST_STORE_PASSWORD = "trust-store-password";
    private static final String WRONG_PASSWORD = "Not-The-Right-0ne-7d1e";
    private static final Pattern SMTPD_PID = Pattern.compile("/smtpd\\[(\\d+)\\]: ");

    private static Path trustStore;

    @BeforeAll
    static void writeTrustStore() throws Exception {
        Certificate cert;
        try (InputStream in = Files.newInputStream(POSTFIX.certificate())) {
            cert = CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("postfix-test", cert);
        Path target = Paths.get(System.getProperty("basedir", System.getProperty("user.dir")), "target");
        Files.createDirectories(target);
        trustStore = target.resolve("postfix-trust.p12").toAbsolutePath();
        try (OutputStream out = Files.newOutputStream(trustStore)) {
            ks.store(out, TRUST_STORE_PASSWORD.toCharArray());
        }
    }

    @Override
    protected void bindToRegistry(Registry registry) {
        KeyStoreParameters keyStore = new KeyStoreParameters();
        keyStore.setResource("file:" + trustStore);
        keyStore.setType("PKCS12");
        keyStore.setPassword(TRUST_STORE_PASSWORD);
        TrustManagersParameters trust = new TrustManagersParameters();
        trust.setKeyStore(keyStore);
        SSLContextParameters ssl = new SSLContextParameters();
        ssl.setTrustManagers(trust);
        registry.bind("postfixTrust", ssl);
    }

    // ------------------------------------------------------------------------------------------ routes

    private static String smtpUri(int port, String options) {
        return "letter-smtp:" + POSTFIX.host() + ":" + port + "?readTimeout=20s&connectTimeout=5s&" + options;
    }

    private static String credentials(String password) {
        return "username=" + POSTFIX.username() + "&password=RAW(" + password + ")";
    }

    private static String authPort(String options) {
        return smtpUri(POSTFIX.authPort(), options);
    }

    private static final String STARTTLS_TRUSTED = "security=STARTTLS&sslContextParameters=#postfixTrust";

    @Override
    protected RouteBuilder createRouteBuilder() {
        String pw = POSTFIX.password();
        return new RouteBuilder() {
            @Override
            public void configure() {
                // one route per mechanism; PLAIN and LOGIN need TLS (or allowPlaintextAuth), the others may go in clear
                from("direct:ANONYMOUS").to(smtpUri(POSTFIX.anonymousPort(),
                        "authMechanism=ANONYMOUS&anonymousTrace=camel-route@example.org"));
                from("direct:PLAIN").to(authPort(STARTTLS_TRUSTED + "&authMechanism=PLAIN&" + credentials(pw)));
                from("direct:LOGIN").to(authPort(STARTTLS_TRUSTED + "&authMechanism=LOGIN&" + credentials(pw)));
                from("direct:CRAM-MD5").to(authPort("authMechanism=CRAM-MD5&" + credentials(pw)));
                from("direct:DIGEST-MD5").to(authPort("authMechanism=SASL&saslMechanism=DIGEST-MD5&"
                                                      + credentials(pw)));
                from("direct:AUTO").to(authPort(STARTTLS_TRUSTED + "&authMechanism=AUTO&" + credentials(pw)));
                // SCRAM: in clear (the password never crosses the wire), over STARTTLS (GS2 flag y: Postfix
                // offers no -PLUS) and over SMTPS
                for (String scram : List.of("SCRAM-SHA-256", "SCRAM-SHA-1")) {
                    from("direct:" + scram).to(authPort("authMechanism=" + scram + "&" + credentials(pw)));
                    from("direct:" + scram + "+STARTTLS").to(authPort(STARTTLS_TRUSTED + "&authMechanism=" + scram
                                                                      + "&" + credentials(pw)));
                    from("direct:" + scram + "+SMTPS").to(smtpUri(POSTFIX.smtpsPort(), "security=SMTPS"
                                                                                       + "&sslContextParameters=#postfixTrust&authMechanism="
                                                                                       + scram + "&" + credentials(
                                                                                               pw)));
                }

                for (String mech : List.of("PLAIN", "LOGIN", "CRAM-MD5", "DIGEST-MD5", "SCRAM-SHA-256",
                        "SCRAM-SHA-1")) {
                    String m = mech.equals("DIGEST-MD5") ? "SASL&saslMechanism=DIGEST-MD5" : mech;
                    String tls = mech.equals("PLAIN") || mech.equals("LOGIN") ? STARTTLS_TRUSTED + "&" : "";
                    from("direct:wrong-" + mech).to(authPort(tls + "authMechanism=" + m + "&"
                                                             + credentials(WRONG_PASSWORD)));
                }

                from("direct:plainInClear").to(authPort("authMechanism=PLAIN&allowPlaintextAuth=true&"
                                                        + credentials(pw)));
                from("direct:plainInClearRefused").to(authPort("authMechanism=PLAIN&failOnNotSent=false&"
                                                               + credentials(pw)));
                from("direct:untrusted").to(authPort("security=STARTTLS&authMechanism=PLAIN&failOnNotSent=false&"
                                                     + credentials(pw)));
                from("direct:trustAll").to(authPort("security=STARTTLS&trustAllCertificates=true"
                                                    + "&authMechanism=PLAIN&" + credentials(pw)));
                from("direct:smtps").to(smtpUri(POSTFIX.smtpsPort(), "security=SMTPS"
                                                                     + "&sslContextParameters=#postfixTrust&authMechanism=PLAIN&"
                                                                     + credentials(pw)));

                from("direct:policy").to(authPort("authMechanism=CRAM-MD5&failOnNotSent=false&" + credentials(pw)));
                from("direct:twoPerConnection").to(authPort("authMechanism=CRAM-MD5&maxMessagesPerConnection=2&"
                                                            + credentials(pw)));
                from("direct:noChunking").to(authPort("authMechanism=CRAM-MD5&chunking=false"
                                                      + "&maxMessagesPerConnection=1&" + credentials(pw)));
                from("direct:batch").to(authPort(STARTTLS_TRUSTED + "&authMechanism=AUTO&maxConnections=4&"
                                                 + credentials(pw)));
            }
        };
    }

    // ------------------------------------------------------------------------------------------ every mechanism

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "ANONYMOUS", "PLAIN", "LOGIN", "CRAM-MD5", "DIGEST-MD5", "AUTO", "SCRAM-SHA-256",
            "SCRAM-SHA-1", "SCRAM-SHA-256+STARTTLS", "SCRAM-SHA-1+STARTTLS", "SCRAM-SHA-256+SMTPS",
            "SCRAM-SHA-1+SMTPS" })
    void eachMechanismSendsAndPostfixDeliversTheLetter(String mechanism) {
        String tag = mechanism.toLowerCase(Locale.ROOT).replace('+', '-');
        Letter letter = letter(mechanism)
                .to("To Someone <to-" + tag + "@example.org>")
                .cc("cc-" + tag + "@example.org")
                .bcc("bcc-" + tag + "@example.org")
                .build();

        SendResult result;
        String logs;
        try (LogCapture capture = LogCapture.start()) {
            Exchange out = template.send("direct:" + mechanism, e -> e.getIn().setBody(letter));
            assertNull(out.getException(), () -> String.valueOf(out.getException()));
            result = single(out);
            logs = capture.text();
        }
        assertEquals(SendStatus.SENT, result.status(), result::toString);
        assertEquals(letter.messageId(), result.messageId());
        assertEquals(250, result.serverReply().code(), result::toString);
        assertNotNull(result.queueId(), result::toString);

        Delivered delivered = delivered(result);
        assertEquals(Set.of("to-" + tag + "@example.org", "cc-" + tag + "@example.org", "bcc-" + tag + "@example.org"),
                delivered.envelopeTo(), delivered.text());
        assertEquals("route-sender@example.org", delivered.envelopeFrom());
        assertFalse(delivered.message().contains("bcc-" + tag), "the Bcc recipient is in the envelope only");
        assertEquals(result.queueId() + ".eml", delivered.file().getFileName().toString());

        String expected = switch (mechanism) {
            // the strongest both sides offer: SCRAM-SHA-256 > SCRAM-SHA-1 > CRAM-MD5 > DIGEST-MD5 > PLAIN > LOGIN
            case "AUTO" -> "SCRAM-SHA-256";
            default -> mechanism.replaceAll("\\+.*", "");
        };
        String clientLine = smtpdClientLine(result.queueId());
        assertTrue(clientLine.contains("sasl_method=" + expected + ","), clientLine);
        if (mechanism.equals("ANONYMOUS")) {
            assertTrue(clientLine.contains("/anonymous/smtpd["), clientLine);
        } else if (mechanism.endsWith("+SMTPS")) {
            assertTrue(clientLine.contains("/smtps/smtpd[") && clientLine.contains("sasl_username="
                                                                                   + POSTFIX.username()), clientLine);
        } else {
            assertTrue(clientLine.contains("sasl_username=" + POSTFIX.username()), clientLine);
        }
        boolean tls = List.of("PLAIN", "LOGIN", "AUTO").contains(mechanism) || mechanism.contains("+");
        assertEquals(tls, delivered.text().contains("(using TLSv1"), "Received header: TLS or not\n" + delivered
                .text());

        assertSecretsAbsent(POSTFIX.password(), logs, result.toString());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "PLAIN", "LOGIN", "CRAM-MD5", "DIGEST-MD5", "SCRAM-SHA-256", "SCRAM-SHA-1" })
    void wrongPasswordFailsWith535AndThePasswordIsShownNowhere(String mechanism) {
        Letter letter = letter("wrong password " + mechanism).to("never@example.org").build();
        int mark = POSTFIX.maillog().length();
        Exchange out;
        String logs;
        try (LogCapture capture = LogCapture.start(Level.DEBUG)) { // Camel's own DEBUG logs too
            out = template.send("direct:wrong-" + mechanism, e -> e.getIn().setBody(letter));
            logs = capture.text();
        }
        LetterSendException ex = assertInstanceOf(LetterSendException.class, out.getException());
        SendResult result = single(out);
        assertEquals(List.of(result), ex.getResults());
        assertEquals(SendStatus.FAILED, result.status(), result::toString);
        assertFalse(result.isRetryable(), "a wrong password does not get better by retrying: " + result);
        assertFalse(ex.isRetryable());
        assertTrue(result.error().contains("535"), result.error());
        assertEquals(535, result.serverReply().code(), result::toString);
        assertTrue(result.acceptedRecipients().isEmpty());

        StringWriter trace = new StringWriter();
        ex.printStackTrace(new PrintWriter(trace));
        assertSecretsAbsent(WRONG_PASSWORD, logs, result.toString(), result.error(), trace.toString(),
                String.valueOf(out.getMessage().getHeaders()), String.valueOf(out.getProperties()),
                context.getEndpoints().toString());
        // the server saw one failed login, then the client said QUIT (RFC 5321 4.1.1.10), and nothing else
        String disconnect = disconnectLine(mark, "SASL " + mechanism + " authentication failed");
        assertTrue(disconnect.contains(" auth=0/1 quit=1 ") && !disconnect.contains(" mail="), disconnect);
        assertTrue(logs.contains("C: AUTH " + mechanism), logs);
        assertFalse(logs.contains("C: MAIL FROM"), logs);
    }

    // ------------------------------------------------------------------------------------------ TLS rule, trust

    @Test
    void plainWithoutTlsIsRefusedBeforeAnythingIsSentUnlessAllowed() {
        Letter refusedLetter = letter("plain in clear refused").to("never@example.org").build();
        int mark = POSTFIX.maillog().length();
        String logs;
        Exchange out;
        try (LogCapture capture = LogCapture.start()) {
            out = template.send("direct:plainInClearRefused", e -> e.getIn().setBody(refusedLetter));
            logs = capture.text();
        }
        assertNull(out.getException(), "failOnNotSent=false");
        SendResult refused = single(out);
        assertEquals(SendStatus.FAILED, refused.status(), refused::toString);
        assertFalse(refused.isRetryable(), refused::toString);
        assertTrue(refused.error().contains("allowPlaintextAuth"), refused.error());
        assertFalse(logs.contains("C: AUTH"), "no AUTH command may be sent:\n" + logs);
        assertFalse(logs.contains("C: MAIL"), logs);
        assertSecretsAbsent(POSTFIX.password(), logs, refused.toString());
        String disconnect = disconnectLine(mark, ": connect from localhost");
        assertTrue(disconnect.endsWith(": disconnect from localhost[127.0.0.1] ehlo=1 quit=1 commands=2 "),
                "the server saw EHLO and QUIT only: " + disconnect);

        // the opt-in: the same over a connection without TLS works
        Letter allowed = letter("plain in clear allowed").to("plain-clear@example.org").build();
        SendResult sent = send("direct:plainInClear", allowed);
        assertEquals(SendStatus.SENT, sent.status(), sent::toString);
        Delivered delivered = delivered(sent);
        assertEquals(Set.of("plain-clear@example.org"), delivered.envelopeTo());
        assertFalse(delivered.text().contains("(using TLSv1"), delivered.text());
        assertTrue(smtpdClientLine(sent.queueId()).contains("sasl_method=PLAIN,"));
    }

    @Test
    void startTlsWithoutTrustFailsWithACertificateError() {
        Letter letter = letter("untrusted").to("never@example.org").build();
        String logs;
        Exchange out;
        try (LogCapture capture = LogCapture.start()) {
            out = template.send("direct:untrusted", e -> e.getIn().setBody(letter));
            logs = capture.text();
        }
        SendResult result = single(out);
        assertEquals(SendStatus.FAILED, result.status(), result::toString);
        assertFalse(result.isRetryable(), "an untrusted certificate does not get better by retrying: " + result);
        String error = result.error().toLowerCase(Locale.ROOT);
        assertTrue(error.contains("certificate") && error.contains("trust"), result.error());
        assertFalse(logs.contains("C: AUTH"), "nothing secret may be sent over an unverified connection:\n" + logs);
        assertSecretsAbsent(POSTFIX.password(), logs, result.toString());
    }

    @Test
    void trustAllCertificatesWorksAndWarns() {
        Letter letter = letter("trust all").to("trust-all@example.org").build();
        SendResult result;
        List<LogCapture.Line> lines;
        try (LogCapture capture = LogCapture.start()) {
            result = send("direct:trustAll", letter);
            lines = capture.lines();
        }
        assertEquals(SendStatus.SENT, result.status(), result::toString);
        assertTrue(lines.stream().anyMatch(l -> l.level() == Level.WARN && l.message().contains(
                "trustAllCertificates")),
                () -> "no WARN about trustAllCertificates in\n" + lines);
        Delivered delivered = delivered(result);
        assertTrue(delivered.text().contains("(using TLSv1"), delivered.text());
    }

    @Test
    void smtpsWithTheTrustStoreSends() {
        Letter letter = letter("smtps").to("smtps@example.org").build();
        SendResult result = send("direct:smtps", letter);
        assertEquals(SendStatus.SENT, result.status(), result::toString);
        Delivered delivered = delivered(result);
        assertEquals(Set.of("smtps@example.org"), delivered.envelopeTo());
        assertTrue(delivered.text().contains("(using TLSv1"), delivered.text());
        String clientLine = smtpdClientLine(result.queueId());
        assertTrue(clientLine.contains("/smtps/smtpd[") && clientLine.contains("sasl_method=PLAIN,"), clientLine);
    }

    // ------------------------------------------------------------------------------------------ per-recipient truth

    @Test
    void rejectedRecipientMakesThePartialTruthVisible() {
        Letter letter = letter("partial").to("ok@example.org", "x@reject.example").build();
        SendResult result = send("direct:policy", letter);
        assertEquals(SendStatus.PARTIALLY_SENT, result.status(), result::toString);
        assertEquals(List.of(MailAddress.of("ok@example.org")), result.acceptedRecipients());
        assertEquals(1, result.rejectedRecipients().size(), result::toString);
        RecipientFailure failure = result.rejectedRecipients().get(0);
        assertEquals(MailAddress.of("x@reject.example"), failure.recipient());
        assertEquals(550, failure.code());
        assertEquals("5.1.1", failure.enhancedCode());
        assertFalse(failure.isTransient());
        assertFalse(result.isRetryable());

        Delivered delivered = delivered(result);
        assertEquals(Set.of("ok@example.org"), delivered.envelopeTo(), delivered.text());
    }

    @Test
    void busyRecipientIsATransientFailure() {
        Letter partly = letter("busy partial").to("ok2@example.org", "later@busy.example").build();
        Letter onlyBusy = letter("busy only").to("later@busy.example").build();
        List<SendResult> results = sendAll("direct:policy", List.of(partly, onlyBusy));

        SendResult partial = results.get(0);
        assertEquals(SendStatus.PARTIALLY_SENT, partial.status(), partial::toString);
        RecipientFailure failure = partial.rejectedRecipients().get(0);
        assertEquals(MailAddress.of("later@busy.example"), failure.recipient());
        assertEquals(450, failure.code());
        assertEquals("4.2.1", failure.enhancedCode());
        assertTrue(failure.isTransient());
        assertEquals(Set.of("ok2@example.org"), delivered(partial).envelopeTo());

        SendResult none = results.get(1);
        assertEquals(SendStatus.FAILED, none.status(), none::toString);
        assertTrue(none.isRetryable(), "only a transient refusal: may be sent again later");
        assertEquals(450, none.rejectedRecipients().get(0).code());
    }

    @Test
    void blockedSenderIsRejected() {
        Letter letter = Letter.from("someone@blocked.example").to("ok3@example.org")
                .subject("blocked " + UUID.randomUUID()).text("never delivered").build();
        SendResult result = send("direct:policy", letter);
        assertEquals(SendStatus.REJECTED, result.status(), result::toString);
        assertFalse(result.isRetryable());
        assertEquals(553, result.serverReply().code(), result::toString);
        assertEquals("5.7.1", result.serverReply().enhancedCode(), result::toString);
        assertTrue(result.error().contains("553"), result.error());
    }

    // ------------------------------------------------------------------------------------------ CHUNKING, PIPELINING

    @Test
    void chunkingAndPipeliningAreUsedWithPostfix() {
        Letter first = letter("bdat 1").to("bdat1@example.org").build();
        Letter second = letter("bdat 2").to("bdat2a@example.org", "bdat2b@example.org").build();
        List<SendResult> results;
        List<String> dialogue;
        try (LogCapture capture = LogCapture.start()) {
            results = sendAll("direct:twoPerConnection", List.of(first, second));
            dialogue = capture.lines().stream().map(LogCapture.Line::message)
                    .filter(m -> m.matches("^\\[[^\\]]+\\] [CS]: .*")).toList();
        }
        for (SendResult r : results) {
            assertEquals(SendStatus.SENT, r.status(), r::toString);
        }
        assertEquals(Set.of("bdat2a@example.org", "bdat2b@example.org"), delivered(results.get(1)).envelopeTo());
        assertTrue(delivered(results.get(0)).text().contains("Message-ID: <" + first.messageId() + ">"));

        // client side: BDAT was used, and both whole letters went in one flight, before any reply: MAIL, RCPT and
        // BDAT LAST of the first, then a pipelined RSET (the first letter's replies are still unread) and the second
        assertTrue(dialogue.stream().anyMatch(l -> l.contains("C: BDAT ") && l.contains(" LAST")), dialogue::toString);
        assertFalse(dialogue.stream().anyMatch(l -> l.endsWith("C: DATA")), dialogue::toString);
        int mail = indexOf(dialogue, "C: MAIL FROM:<route-sender@example.org>", 0);
        assertTrue(mail >= 0, dialogue::toString);
        List<String> flight = new ArrayList<>();
        for (int i = mail; i < dialogue.size() && dialogue.get(i).contains("] C: "); i++) {
            flight.add(dialogue.get(i).replaceFirst("^\\[[^\\]]+\\] ", ""));
        }
        assertEquals(8, flight.size(), () -> "two whole letters pipelined: " + dialogue);
        assertTrue(flight.get(1).startsWith("C: RCPT TO:<bdat1@example.org>"), flight::toString);
        assertTrue(flight.get(2).startsWith("C: BDAT ") && flight.get(2).contains(" LAST"), flight::toString);
        assertEquals("C: RSET", flight.get(3), flight::toString);
        assertTrue(flight.get(4).startsWith("C: MAIL FROM:<route-sender@example.org>"), flight::toString);
        assertTrue(flight.get(5).startsWith("C: RCPT TO:<bdat2a@example.org>"), flight::toString);
        assertTrue(flight.get(6).startsWith("C: RCPT TO:<bdat2b@example.org>"), flight::toString);
        assertTrue(flight.get(7).startsWith("C: BDAT ") && flight.get(7).contains(" LAST"), flight::toString);

        // server side: the connection (closed after 2 letters) counted BDAT commands, no DATA
        String disconnect = disconnectLineAfter(results.get(0).queueId());
        assertTrue(disconnect.contains(" mail=2 ") && disconnect.contains(" rcpt=3 "), disconnect);
        Matcher bdat = Pattern.compile(" bdat=(\\d+) ").matcher(disconnect);
        assertTrue(bdat.find(), disconnect);
        assertTrue(Integer.parseInt(bdat.group(1)) >= 2, disconnect);
        assertFalse(disconnect.contains(" data="), disconnect);
        assertTrue(disconnect.contains(" auth=1 "), disconnect);
    }

    @Test
    void withChunkingOffPostfixGetsData() {
        Letter letter = letter("data").to("data@example.org").build();
        SendResult result = send("direct:noChunking", letter);
        assertEquals(SendStatus.SENT, result.status(), result::toString);
        assertEquals(Set.of("data@example.org"), delivered(result).envelopeTo());
        String disconnect = disconnectLineAfter(result.queueId());
        assertTrue(disconnect.contains(" data=1 ") && !disconnect.contains(" bdat="), disconnect);
    }

    @Test
    void batchOfTwentyOverThePoolAllArrive() throws IOException {
        List<Letter> letters = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            letters.add(letter("batch " + i).to("batch-" + i + "@example.org").build());
        }
        List<SendResult> results = sendAll("direct:batch", letters);
        assertEquals(20, results.size());
        Set<String> queueIds = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            SendResult r = results.get(i);
            assertEquals(SendStatus.SENT, r.status(), r::toString);
            assertEquals(letters.get(i).messageId(), r.messageId(), "results in the order of the letters");
            assertTrue(queueIds.add(r.queueId()), "one queue id per letter: " + r);
        }
        for (int i = 0; i < 20; i++) {
            Delivered d = delivered(results.get(i));
            assertEquals(Set.of("batch-" + i + "@example.org"), d.envelopeTo());
        }
        // exactly one delivered file per letter
        int files = 0;
        for (Path p : POSTFIX.deliveredMessages()) {
            String text = Files.readString(p, StandardCharsets.UTF_8);
            long ids = letters.stream().filter(l -> text.contains("Message-ID: <" + l.messageId() + ">")).count();
            assertTrue(ids <= 1, p.toString());
            files += (int) ids;
        }
        assertEquals(20, files);
        // the letters went over more than one connection of the pool (parallel slices)
        Set<String> smtpds = new HashSet<>();
        for (SendResult r : results) {
            Matcher m = SMTPD_PID.matcher(smtpdClientLine(r.queueId()));
            assertTrue(m.find());
            smtpds.add(m.group(1));
        }
        assertTrue(smtpds.size() > 1, "expected several smtpd processes (connections), got " + smtpds);
    }

    // ------------------------------------------------------------------------------------------ helpers

    private static Letter.Builder letter(String what) {
        return Letter.from(SENDER)
                .subject("postfix route test: " + what + " " + UUID.randomUUID())
                .text("Sent through a Camel route to a real Postfix (" + what + ").\n.a line with a dot\n");
    }

    private SendResult send(String route, Letter letter) {
        Exchange out = template.send(route, e -> e.getIn().setBody(letter));
        return single(out);
    }

    private List<SendResult> sendAll(String route, List<Letter> letters) {
        Exchange out = template.send(route, e -> e.getIn().setBody(letters));
        return results(out);
    }

    private static SendResult single(Exchange out) {
        List<SendResult> results = results(out);
        assertEquals(1, results.size(), results::toString);
        return results.get(0);
    }

    @SuppressWarnings("unchecked")
    private static List<SendResult> results(Exchange out) {
        Object body = out.getMessage().getBody();
        if (!(body instanceof List<?>)) {
            fail("no results on the exchange (" + body + "): " + out.getException());
        }
        return (List<SendResult>) body;
    }

    /** A delivered file: its text, envelope sender and the envelope recipients from the X-Envelope-To lines. */
    private record Delivered(Path file, String text, String envelopeFrom, Set<String> envelopeTo) {
        /** @return what Postfix received (and added its headers to), without the harness' X-Envelope-* lines */
        String message() {
            return text.lines().dropWhile(l -> l.startsWith("X-Envelope-")).collect(Collectors.joining("\n"));
        }
    }

    private static Delivered delivered(SendResult result) {
        Path file = POSTFIX.awaitDeliveredFile("Message-ID: <" + result.messageId() + ">", DELIVERY)
                .orElseThrow(() -> new AssertionError("not delivered within " + DELIVERY + ": " + result + "\n"
                                                      + POSTFIX.maillog()));
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        String from = null;
        Set<String> to = new HashSet<>();
        for (String line : text.split("\n")) {
            if (line.isEmpty()) {
                break; // end of the header
            }
            if (line.startsWith("X-Envelope-From: <")) {
                from = line.substring("X-Envelope-From: <".length(), line.length() - 1);
            } else if (line.startsWith("X-Envelope-To: <")) {
                to.add(line.substring("X-Envelope-To: <".length(), line.length() - 1));
            }
        }
        return new Delivered(file, text, from, to);
    }

    /** The smtpd line of a queued message: {@code ... smtpd[PID]: QUEUEID: client=..., sasl_method=..., ...}. */
    private static String smtpdClientLine(String queueId) {
        String needle = ": " + queueId + ": client=";
        String log = POSTFIX.awaitMaillog(l -> l.contains(needle), DELIVERY)
                .orElseThrow(() -> new AssertionError("no '" + needle + "' in\n" + POSTFIX.maillog()));
        return log.lines().filter(l -> l.contains(needle)).findFirst().orElseThrow();
    }

    /** The {@code disconnect from ...} line of the connection that queued {@code queueId} (its command counts). */
    private static String disconnectLineAfter(String queueId) {
        return disconnectLine(0, ": " + queueId + ": client=");
    }

    /**
     * The {@code disconnect from ...} line of the smtpd that logged the first line containing {@code fragment} after
     * {@code mark} (a length of the log taken earlier), with a space at its end.
     */
    private static String disconnectLine(int mark, String fragment) {
        String[] found = new String[1];
        POSTFIX.awaitMaillog(whole -> {
            String log = whole.substring(Math.min(mark, whole.length()));
            int at = log.indexOf(fragment);
            if (at < 0) {
                return false;
            }
            String line = log.substring(log.lastIndexOf('\n', at) + 1, lineEnd(log, at));
            Matcher m = SMTPD_PID.matcher(line);
            if (!m.find()) {
                return false;
            }
            int d = log.indexOf("/smtpd[" + m.group(1) + "]: disconnect from ", at);
            if (d < 0) {
                return false;
            }
            found[0] = log.substring(log.lastIndexOf('\n', d) + 1, lineEnd(log, d)) + " ";
            return true;
        }, DELIVERY).orElseThrow(() -> new AssertionError("no disconnect after '" + fragment + "' in\n"
                                                          + POSTFIX.maillog()));
        return found[0];
    }

    private static int lineEnd(String text, int from) {
        int end = text.indexOf('\n', from);
        return end < 0 ? text.length() : end;
    }

    private static int indexOf(List<String> lines, String fragment, int from) {
        for (int i = from; i < lines.size(); i++) {
            if (lines.get(i).contains(fragment)) {
                return i;
            }
        }
        return -1;
    }

    /** Neither the password nor a base64 form that could carry it (PLAIN, LOGIN) appears in any of {@code texts}. */
    private static void assertSecretsAbsent(String password, String... texts) {
        String user = POSTFIX.username();
        List<String> secrets = List.of(password,
                b64(password),
                b64("\0" + user + "\0" + password),
                b64(user + "\0" + user + "\0" + password));
        for (String text : texts) {
            for (String secret : secrets) {
                assertFalse(text.contains(secret), () -> "secret shown in:\n" + text);
            }
        }
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
