package io.github.smtpletter.smtp;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.mail.internet.MimeMessage;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.github.smtpletter.letter.Attachment;
import io.github.smtpletter.letter.Letter;
import io.github.smtpletter.mime.dkim.DkimAlgorithm;
import io.github.smtpletter.mime.dkim.DkimSettings;
import io.github.smtpletter.testsupport.DkimVerifier;
import io.github.smtpletter.testsupport.SmtpResponder;
import io.github.smtpletter.testsupport.TestParameters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Letters signed by SmtpClient and verified by dkimpy as they arrived: over DATA (dot-stuffed) at GreenMail, over
 * BDAT at a scripted CHUNKING peer that keeps the bytes; a message that changes between signing and sending is
 * FAILED before its end.
 */
class SmtpClientDkimTest extends ScriptedTestSupport {

    @RegisterExtension
    static final GreenMailExtension GREENMAIL = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
            .withPerMethodLifecycle(true);

    private final SmtpClient greenMailClient = new SmtpClient();

    @AfterEach
    void closeClient() {
        greenMailClient.close();
    }

    static List<Letter> letters() {
        byte[] raw = ("From: Raw Sender <sender@example.org>\r\nTo: b@example.test\r\nSubject: raw\r\n"
                      + "Message-ID: <raw-" + UUID.randomUUID()
                      + "@example.org>\r\nDate: Tue, 1 Dec 2026 10:00:00 +0000\r\n\r\n"
                      + "raw body\r\n.a dot line\r\n\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        return List.of(
                Letter.from("Jörg Sender <sender@example.org>").to("Anna Ärger <anna@example.test>")
                        .cc("carl@example.test").subject("Grüße aus Köln — ünïcödé")
                        .text("Hallo Anna,\r\n.\r\n.ein Punkt am Zeilenanfang   \r\n\r\n\r\n").build(),
                Letter.from("sender@example.org").to("bob@example.test").replyTo("help@example.org")
                        .subject("html").text("plain").html("<p>rich \t text</p>").build(),
                Letter.from("sender@example.org").to("bob@example.test").subject("attached")
                        .text("see attachment")
                        .attach(Attachment.of("report.csv", "a,b\n1,2\n.\n".getBytes(StandardCharsets.UTF_8)))
                        .attach(Attachment.of("bin.dat", new byte[70_000])).build(),
                Letter.from("sender@example.org").to("b@example.test").raw(() -> new ByteArrayInputStream(raw))
                        .build());
    }

    private static DkimSettings settings(KeyPair pair, String alg) {
        return DkimSettings.builder("example.org", "sel", pair.getPrivate())
                .algorithm(alg.equals("RSA") ? DkimAlgorithm.RSA_SHA256 : DkimAlgorithm.ED25519_SHA256).build();
    }

    @ParameterizedTest
    @ValueSource(strings = { "RSA", "Ed25519" })
    void dataDotStuffedToGreenMailVerifies(String alg) throws Exception {
        DkimVerifier.assumeAvailable();
        KeyPair pair = DkimVerifier.keyPair(alg);
        SmtpConnectionParameters params = TestParameters.builder().host("127.0.0.1")
                .port(GREENMAIL.getSmtp().getPort()).readTimeout(Duration.ofSeconds(10)).build().toBuilder()
                .dkim(settings(pair, alg)).build();
        List<Letter> letters = letters();
        List<SendResult> results = greenMailClient.send(params, letters);
        results.forEach(r -> assertEquals(SendStatus.SENT, r.status(), r::toString));
        assertTrue(GREENMAIL.waitForIncomingEmail(10_000, letters.size() + 1)); // the first has a Cc
        String txt = DkimVerifier.txtRecord(pair.getPublic());
        int verified = 0;
        for (MimeMessage m : GREENMAIL.getReceivedMessages()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            m.writeTo(out);
            byte[] delivered = out.toByteArray();
            assertEquals("pass", DkimVerifier.verify(delivered, "sel", "example.org", txt),
                    () -> new String(delivered, StandardCharsets.UTF_8));
            verified++;
            String changed = new String(delivered, StandardCharsets.UTF_8).replaceFirst("(?m)^Subject: ",
                    "Subject: Re: ");
            assertTrue(DkimVerifier.verify(changed.getBytes(StandardCharsets.UTF_8), "sel", "example.org", txt)
                    .startsWith("fail"));
        }
        assertEquals(letters.size() + 1, verified);
    }

    @ParameterizedTest
    @ValueSource(strings = { "RSA", "Ed25519" })
    void bdatChunksVerifyAndSizeIncludesTheSignature(String alg) throws Exception {
        DkimVerifier.assumeAvailable();
        KeyPair pair = DkimVerifier.keyPair(alg);
        SmtpResponder responder = new SmtpResponder("CHUNKING", "PIPELINING", "SIZE 100000000", "8BITMIME");
        peer(responder);
        client(MessageWriter.mime(), 1000, Duration.ofSeconds(2));
        List<Letter> letters = letters();
        List<SendResult> results = client.send(params().build().toBuilder().dkim(settings(pair, alg)).build(),
                letters);
        client.close();
        results.forEach(r -> assertEquals(SendStatus.SENT, r.status(), r::toString));
        assertEquals(letters.size(), responder.messages().size());
        Pattern size = Pattern.compile("SIZE=(\\d+)");
        for (SmtpResponder.Received m : responder.messages()) {
            Matcher s = size.matcher(m.mailFrom());
            assertTrue(s.find(), m.mailFrom());
            assertEquals(m.data().length, Long.parseLong(s.group(1)), "SIZE counts the DKIM-Signature field");
            assertTrue(new String(m.data(), StandardCharsets.US_ASCII).startsWith("DKIM-Signature: v=1; a="));
            assertEquals("pass", DkimVerifier.verify(m.data(), "sel", "example.org",
                    DkimVerifier.txtRecord(pair.getPublic())));
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = { false, true })
    void anAttachmentThatChangesBetweenSigningAndSendingFailsTheLetterBeforeItsEnd(boolean chunking)
            throws Exception {
        SmtpResponder responder = chunking ? new SmtpResponder("CHUNKING", "SIZE 100000000")
                : new SmtpResponder("SIZE 100000000");
        peer(responder);
        client(MessageWriter.mime(), 16 * 1024, Duration.ofSeconds(2));
        AtomicInteger opened = new AtomicInteger();
        List<byte[]> versions = new ArrayList<>();
        Letter letter = Letter.from("sender@example.org").to("b@example.test").subject("changing").text("t")
                .attach(Attachment.of("big.bin", "application/octet-stream", () -> {
                    byte[] content = new byte[400_000];
                    content[399_999] = (byte) opened.incrementAndGet(); // differs on every read
                    versions.add(content);
                    return new ByteArrayInputStream(content);
                })).build();
        SendResult r = client.send(params().build().toBuilder()
                .dkim(settings(DkimVerifier.keyPair("Ed25519"), "Ed25519")).build(), letter).get(0);
        client.close();
        assertEquals(SendStatus.FAILED, r.status(), r::toString);
        assertTrue(r.isRetryable(), r::toString);
        assertTrue(r.error().contains("changed between signing and sending"), r.error());
        assertEquals(0, responder.messages().size(), "nothing may be delivered");
        assertFalse(versions.isEmpty());
    }

}
