package io.github.smtpletter.smtp;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.Multipart;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.github.smtpletter.letter.Attachment;
import io.github.smtpletter.letter.Letter;
import io.github.smtpletter.testsupport.TestParameters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** End to end: SmtpClient with the real LetterMimeWriter against GreenMail (plain SMTP and SMTPS + AUTH). */
class SmtpClientGreenMailTest {

    @RegisterExtension
    static final GreenMailExtension GREENMAIL = new GreenMailExtension(
            ServerSetup.dynamicPort(new ServerSetup[] { ServerSetupTest.SMTP, ServerSetupTest.SMTPS }))
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("sender@example.test", "joe", "s3cret"))
            .withPerMethodLifecycle(true);

    private final SmtpClient client = new SmtpClient();

    @AfterEach
    void close() {
        client.close();
    }

    private static TestParameters smtp() {
        return TestParameters.builder().host("127.0.0.1").port(GREENMAIL.getSmtp().getPort())
                .connectTimeout(Duration.ofSeconds(5)).readTimeout(Duration.ofSeconds(10));
    }

    @Test
    void threeLettersInOneCallOverOneConnection() throws Exception {
        Letter first = Letter.from("Sender <sender@example.test>").to("Anna <anna@example.test>")
                .cc("carl@example.test").bcc("hidden@bcc.test").subject("Grüße aus Köln")
                .text("Hallo Anna,\r\n.\r\nein Punkt am Zeilenanfang.\r\n").build();
        Letter second = Letter.from("sender@example.test").to("bob@example.test").subject("html")
                .text("plain").html("<p>rich</p>")
                .attach(Attachment.of("report.csv", "a,b\n1,2\n".getBytes(StandardCharsets.UTF_8)))
                .build();
        Letter third = Letter.from("sender@example.test").to("bob@example.test", "anna@example.test")
                .subject("third").text("3").build();

        List<SendResult> results = client.send(smtp().build(), first, second, third);

        assertEquals(List.of(SendStatus.SENT, SendStatus.SENT, SendStatus.SENT),
                results.stream().map(SendResult::status).toList(), results::toString);
        assertEquals(first.messageId(), results.get(0).messageId());
        assertEquals(3, results.get(0).acceptedRecipients().size());
        assertTrue(GREENMAIL.waitForIncomingEmail(10_000, 6)); // 3 + 1 + 2 deliveries
        assertEquals(1, client.openConnections(), "one pooled connection for the whole call");

        MimeMessage[] received = GREENMAIL.getReceivedMessages();
        assertEquals(6, received.length);
        // the bcc recipient got the letter (the only delivery to domain bcc.test) ...
        var hidden = GREENMAIL.getUserManager().getUserByEmail("hidden@bcc.test");
        assertNotNull(hidden, "no delivery to the bcc recipient");
        var inbox = GREENMAIL.getManagers().getImapHostManager().getInbox(hidden).getMessages();
        assertEquals(1, inbox.size());
        MimeMessage forHidden = inbox.get(0).getMimeMessage();
        assertTrue(hasId(forHidden, first.messageId()));
        assertEquals(3, Arrays.stream(received).filter(m -> hasId(m, first.messageId())).count());
        assertEquals("Grüße aus Köln", forHidden.getSubject());
        // ... but is named nowhere in the message
        assertNull(forHidden.getHeader("Bcc"), "bcc must not appear in the headers");
        assertTrue(!headerText(forHidden).contains("hidden@bcc.test"), "bcc address leaked into the headers");
        assertEquals(Set.of("anna@example.test"), addresses(forHidden.getRecipients(Message.RecipientType.TO)));
        assertEquals(Set.of("carl@example.test"), addresses(forHidden.getRecipients(Message.RecipientType.CC)));
        assertTrue(String.valueOf(forHidden.getContent()).contains("\n.\n") || String.valueOf(forHidden.getContent())
                .contains("\r\n.\r\n"), "the lone dot line survives dot-stuffing");

        MimeMessage withAttachment = Arrays.stream(received)
                .filter(m -> hasId(m, second.messageId())).findFirst().orElseThrow();
        assertTrue(withAttachment.getContent() instanceof Multipart);
        assertTrue(withAttachment.getContentType().startsWith("multipart/mixed"), withAttachment.getContentType());
    }

    @Test
    void concurrentCallersShareTheBoundedPool() throws Exception {
        SmtpConnectionParameters p = smtp().maxConnections(2).build();
        int threads = 4;
        int perThread = 6; // > 4: each call also splits into parallel slices
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<SendResult>>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    List<Letter> letters = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        letters.add(Letter.from("sender@example.test").to("t" + thread + "@example.test")
                                .subject("t" + thread + "-" + i).text("x").build());
                    }
                    List<SendResult> results = client.send(p, letters);
                    for (int i = 0; i < perThread; i++) {
                        assertEquals(letters.get(i).messageId(), results.get(i).messageId());
                    }
                    return results;
                }));
            }
            for (var f : futures) {
                List<SendResult> results = f.get(60, TimeUnit.SECONDS);
                assertTrue(results.stream().allMatch(r -> r.status() == SendStatus.SENT), results::toString);
            }
        } finally {
            pool.shutdownNow();
        }
        assertTrue(GREENMAIL.waitForIncomingEmail(10_000, threads * perThread));
        assertEquals(threads * perThread, GREENMAIL.getReceivedMessages().length);
        assertTrue(client.openConnections() <= 2, "open: " + client.openConnections());
        client.close();
        assertEquals(0, client.openConnections());
    }

    @Test
    void smtpsWithAuthPlain() throws Exception {
        SmtpConnectionParameters p = TestParameters.builder().host("127.0.0.1")
                .port(GREENMAIL.getSmtps().getPort()).security(SmtpSecurity.SMTPS).trustAllCertificates(true)
                .authMechanism("PLAIN").username("joe").password("s3cret")
                .connectTimeout(Duration.ofSeconds(5)).readTimeout(Duration.ofSeconds(10)).build();
        client.verify(p);
        Letter l = Letter.from("sender@example.test").to("anna@example.test").subject("tls").text("secret").build();
        SendResult r = client.send(p, l).get(0);
        assertEquals(SendStatus.SENT, r.status(), r::toString);
        assertTrue(GREENMAIL.waitForIncomingEmail(10_000, 1));
        assertEquals("tls", GREENMAIL.getReceivedMessages()[0].getSubject());
    }

    @Test
    void smtpsWithAnUntrustedCertificateFailsNotRetryable() {
        SmtpConnectionParameters p = TestParameters.builder().host("127.0.0.1")
                .port(GREENMAIL.getSmtps().getPort()).security(SmtpSecurity.SMTPS)
                .connectTimeout(Duration.ofSeconds(5)).readTimeout(Duration.ofSeconds(10)).build();
        Letter l = Letter.from("sender@example.test").to("anna@example.test").text("x").build();
        SendResult r = client.send(p, l).get(0);
        assertEquals(SendStatus.FAILED, r.status());
        assertTrue(r.error().contains("TLS handshake"), r.error());
        assertEquals(false, r.isRetryable());
        assertEquals(0, GREENMAIL.getReceivedMessages().length);
    }

    @Test
    void rawLetterIsSentVerbatim() throws Exception {
        byte[] raw = ("From: sender@example.test\r\nTo: anna@example.test\r\nSubject: raw\r\n"
                      + "Message-ID: <raw-1@example.test>\r\n\r\n.leading dot\r\nbody\r\n").getBytes(
                              StandardCharsets.US_ASCII);
        Letter l = Letter.from("sender@example.test").to("anna@example.test")
                .raw(() -> new ByteArrayInputStream(raw)).build();
        SendResult r = client.send(smtp().build(), l).get(0);
        assertEquals(SendStatus.SENT, r.status(), r::toString);
        assertTrue(GREENMAIL.waitForIncomingEmail(10_000, 1));
        MimeMessage m = GREENMAIL.getReceivedMessages()[0];
        assertEquals("raw", m.getSubject());
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        m.getInputStream().transferTo(body);
        // the leading dot arrives unstuffed (GreenMail hands the body out with LF line ends)
        assertEquals(".leading dot\nbody", body.toString(StandardCharsets.US_ASCII).replace("\r\n", "\n")
                .stripTrailing());
    }

    private static boolean hasId(MimeMessage m, String id) {
        try {
            return ("<" + id + ">").equals(m.getMessageID());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String headerText(MimeMessage m) throws Exception {
        StringBuilder sb = new StringBuilder();
        for (var e = m.getAllHeaderLines(); e.hasMoreElements();) {
            sb.append(e.nextElement()).append('\n');
        }
        return sb.toString();
    }

    private static Set<String> addresses(Address[] list) {
        Set<String> s = new TreeSet<>();
        for (Address a : list) {
            s.add(((InternetAddress) a).getAddress());
        }
        return s;
    }
}
