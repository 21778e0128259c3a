package io.github.smtpletter.mime;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.mail.BodyPart;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimeUtility;

import io.github.smtpletter.letter.Attachment;
import io.github.smtpletter.letter.ContentSource;
import io.github.smtpletter.letter.Importance;
import io.github.smtpletter.letter.Letter;
import io.github.smtpletter.letter.MailAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LetterMimeWriterTest {

    private static final Session PARSE_SESSION = Session.getInstance(new Properties());
    private static final Instant CREATED = Instant.parse("2025-03-04T05:06:07Z");

    private final LetterMimeWriter writer = new LetterMimeWriter();

    // ------------------------------------------------------------------ helpers

    private static Letter.Builder base() {
        return Letter.from("sender@1c.ru").to("recipient@1c.ru").messageId("m1@1c.ru").createdAt(CREATED);
    }

    /** Writes the letter, checks the invariants every output must have, returns the bytes. */
    private byte[] write(Letter letter) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writer.write(letter, out);
        byte[] bytes = out.toByteArray();
        assertEquals(bytes.length, writer.size(letter), "size() must equal the written length");
        assertCrlfOnly(bytes);
        return bytes;
    }

    private MimeMessage writeAndParse(Letter letter) throws Exception {
        byte[] bytes = write(letter);
        assertAllLinesAtMost998(bytes);
        return new MimeMessage(PARSE_SESSION, new ByteArrayInputStream(bytes));
    }

    private static void assertCrlfOnly(byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                assertTrue(i > 0 && bytes[i - 1] == '\r', "bare LF at " + i);
            }
            if (bytes[i] == '\r') {
                assertTrue(i + 1 < bytes.length && bytes[i + 1] == '\n', "bare CR at " + i);
            }
        }
    }

    private static void assertAllLinesAtMost998(byte[] bytes) {
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                assertTrue(i - 1 - start <= 998, "line longer than 998 at " + start);
                start = i + 1;
            }
        }
    }

    private static String headerBlock(byte[] bytes) {
        String s = new String(bytes, StandardCharsets.UTF_8);
        return s.substring(0, s.indexOf("\r\n\r\n") + 2);
    }

    private static String ascii(byte[] bytes) {
        return new String(bytes, StandardCharsets.US_ASCII);
    }

    private static byte[] bytesOf(Part part) throws IOException, MessagingException {
        try (InputStream in = part.getInputStream()) {
            return in.readAllBytes();
        }
    }

    // ------------------------------------------------------------------ shapes

    @Test
    void cyrillicTextLetterIsSevenBitTextPlainWithAnEncodedSubject() throws Exception {
        Letter letter = Letter.from("sender@1c.ru").to("recipient@1c.ru")
                .subject("Тема сообщения электронной почты").text("Текст сообщения электронной почты").build();
        byte[] bytes = write(letter);
        String headers = headerBlock(bytes);
        assertTrue(headers.contains("Subject: =?UTF-8?"), headers);
        for (byte b : bytes) {
            assertTrue(b >= 0, "output must be 7-bit");
        }
        MimeMessage m = new MimeMessage(PARSE_SESSION, new ByteArrayInputStream(bytes));
        assertEquals("Тема сообщения электронной почты", m.getSubject());
        assertTrue(m.isMimeType("text/plain"));
        assertEquals("UTF-8", new ContentType(m.getContentType()).getParameter("charset"));
        assertEquals("quoted-printable", m.getEncoding());
        assertEquals("Текст сообщения электронной почты", m.getContent());
        assertEquals("<" + letter.messageId() + ">", m.getMessageID());
        assertEquals("sender@1c.ru", ((InternetAddress) m.getFrom()[0]).getAddress());
        assertEquals("recipient@1c.ru", ((InternetAddress) m.getRecipients(Message.RecipientType.TO)[0]).getAddress());
        assertEquals("1.0", m.getHeader("MIME-Version", null));
    }

    @Test
    void asciiTextIs7bitWithCrlfLines() throws Exception {
        MimeMessage m = writeAndParse(base().text("line one\nline two\rline three\r\n").build());
        assertEquals("7bit", m.getEncoding());
        assertEquals("line one\r\nline two\r\nline three\r\n", m.getContent());
    }

    @Test
    void noBodyGivesEmptyTextPlain() throws Exception {
        MimeMessage m = writeAndParse(base().build());
        assertTrue(m.isMimeType("text/plain"));
        assertEquals("", m.getContent());
        assertNull(m.getSubject());
    }

    @Test
    void longLinesAndBoundaryLookalikesGoQuotedPrintable() throws Exception {
        String longLine = "x".repeat(1200);
        MimeMessage m = writeAndParse(base().text(longLine).build());
        assertEquals("quoted-printable", m.getEncoding());
        assertEquals(longLine, m.getContent());

        MimeMessage m2 = writeAndParse(base().text("--=_mixed_0_abc").build());
        assertEquals("quoted-printable", m2.getEncoding());
        assertEquals("--=_mixed_0_abc", m2.getContent());
    }

    @Test
    void htmlOnly() throws Exception {
        MimeMessage m = writeAndParse(base().html("<p>Привет</p>").build());
        assertTrue(m.isMimeType("text/html"));
        assertEquals("<p>Привет</p>", m.getContent());
    }

    @Test
    void textAndHtmlMakeAlternative() throws Exception {
        MimeMessage m = writeAndParse(base().text("plain").html("<p>html</p>").build());
        assertTrue(m.isMimeType("multipart/alternative"), m.getContentType());
        MimeMultipart alt = (MimeMultipart) m.getContent();
        assertEquals(2, alt.getCount());
        assertTrue(alt.getBodyPart(0).isMimeType("text/plain"));
        assertEquals("plain", alt.getBodyPart(0).getContent());
        assertTrue(alt.getBodyPart(1).isMimeType("text/html"));
        assertEquals("<p>html</p>", alt.getBodyPart(1).getContent());
    }

    @Test
    void inlinePartsMakeRelatedAroundAlternative() throws Exception {
        byte[] png = { (byte) 0x89, 'P', 'N', 'G', 0, 1, 2 };
        MimeMessage m = writeAndParse(base().text("plain").html("<img src=\"cid:logo@1c.ru\">")
                .attach(Attachment.of("logo.png", png).inline("logo@1c.ru")).build());
        assertTrue(m.isMimeType("multipart/related"), m.getContentType());
        MimeMultipart related = (MimeMultipart) m.getContent();
        assertEquals(2, related.getCount());
        assertTrue(related.getBodyPart(0).isMimeType("multipart/alternative"));
        MimeBodyPart image = (MimeBodyPart) related.getBodyPart(1);
        assertTrue(image.isMimeType("image/png"));
        assertEquals("<logo@1c.ru>", image.getContentID());
        assertEquals(Part.INLINE, image.getDisposition());
        assertEquals("base64", image.getEncoding());
        assertArrayEquals(png, bytesOf(image));
    }

    @Test
    void attachmentsMakeMixedOutermost() throws Exception {
        byte[] pdf = new byte[3000];
        new Random(1).nextBytes(pdf);
        MimeMessage m = writeAndParse(base().text("plain").html("<img src=\"cid:i@1c.ru\">")
                .attach(Attachment.of("i.gif", new byte[] { 1 }).inline("i@1c.ru"))
                .attach(Attachment.of("Отчёт за 2024 год.pdf", pdf))
                .attach(Attachment.of("notes.txt", "hello\nworld".getBytes(StandardCharsets.US_ASCII)))
                .build());
        assertTrue(m.isMimeType("multipart/mixed"), m.getContentType());
        MimeMultipart mixed = (MimeMultipart) m.getContent();
        assertEquals(3, mixed.getCount());
        assertTrue(mixed.getBodyPart(0).isMimeType("multipart/related"));
        MimeMultipart related = (MimeMultipart) mixed.getBodyPart(0).getContent();
        assertTrue(related.getBodyPart(0).isMimeType("multipart/alternative"));

        BodyPart report = mixed.getBodyPart(1);
        assertTrue(report.isMimeType("application/pdf"));
        assertEquals(Part.ATTACHMENT, report.getDisposition());
        assertEquals("Отчёт за 2024 год.pdf", report.getFileName());
        assertEquals("Отчёт за 2024 год.pdf", MimeUtility.decodeText(
                new ContentType(report.getContentType()).getParameter("name")));
        assertEquals("base64", ((MimeBodyPart) report).getEncoding());
        assertArrayEquals(pdf, bytesOf(report));

        BodyPart notes = mixed.getBodyPart(2);
        assertEquals("notes.txt", notes.getFileName());
        assertEquals("base64", ((MimeBodyPart) notes).getEncoding(), "attachments keep their bytes exactly");
        assertArrayEquals("hello\nworld".getBytes(StandardCharsets.US_ASCII), bytesOf(notes));
    }

    @Test
    void veryLongNonAsciiAttachmentNameStaysWithinLineLimits() throws Exception {
        String name = "Очень длинное имя файла ".repeat(25) + ".txt";
        MimeMessage m = writeAndParse(base().attach(Attachment.of(name, new byte[] { 1 }, "text/plain; charset=UTF-8"))
                .build());
        BodyPart part = ((MimeMultipart) m.getContent()).getBodyPart(1);
        assertEquals(name, part.getFileName());
        ContentType type = new ContentType(part.getContentType());
        assertEquals("UTF-8", type.getParameter("charset"));
        assertEquals(name, MimeUtility.decodeText(type.getParameter("name")));
    }

    @Test
    void asciiAttachmentNameWithSpecialsIsQuoted() throws Exception {
        MimeMessage m = writeAndParse(base().attach(Attachment.of("my \"best\"; report.pdf", new byte[] { 1 }))
                .build());
        BodyPart part = ((MimeMultipart) m.getContent()).getBodyPart(1);
        assertEquals("my \"best\"; report.pdf", part.getFileName());
        assertTrue(part.isMimeType("application/pdf"));
    }

    @Test
    void inlinePartWithoutHtmlIsWrittenInMixed() throws Exception {
        MimeMessage m = writeAndParse(base().text("t").attach(Attachment.of("a.png", new byte[] { 5 }).inline("a@x"))
                .build());
        assertTrue(m.isMimeType("multipart/mixed"));
        MimeMultipart mixed = (MimeMultipart) m.getContent();
        assertEquals(2, mixed.getCount());
        assertEquals("<a@x>", ((MimeBodyPart) mixed.getBodyPart(1)).getContentID());
        assertEquals(Part.INLINE, mixed.getBodyPart(1).getDisposition());
    }

    @Test
    void messageTypedAttachmentIsSentAsOctetStream() throws Exception {
        byte[] eml = "Subject: inner\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);
        MimeMessage m = writeAndParse(base().attach(Attachment.of("fwd.eml", eml, "message/rfc822")).build());
        BodyPart part = ((MimeMultipart) m.getContent()).getBodyPart(1);
        assertTrue(part.isMimeType("application/octet-stream"), part.getContentType());
        assertArrayEquals(eml, bytesOf(part));
    }

    // ------------------------------------------------------------------ headers

    @Test
    void bccIsNeverWritten() throws Exception {
        Letter letter = base().cc("copy@1c.ru").bcc("Secret <hidden@1c.ru>").build();
        byte[] bytes = write(letter);
        String text = ascii(bytes);
        assertFalse(text.toLowerCase().contains("bcc"), text);
        assertFalse(text.contains("hidden@1c.ru"), text);
        MimeMessage m = new MimeMessage(PARSE_SESSION, new ByteArrayInputStream(bytes));
        assertNull(m.getHeader("Bcc"));
        assertEquals("copy@1c.ru", ((InternetAddress) m.getRecipients(Message.RecipientType.CC)[0]).getAddress());
    }

    @Test
    void messageIdAndDateComeFromTheLetter() throws Exception {
        MimeMessage m = writeAndParse(base().build());
        String[] ids = m.getHeader("Message-ID");
        assertEquals(1, ids.length);
        assertEquals("<m1@1c.ru>", ids[0]);
        assertEquals(Date.from(CREATED), m.getSentDate());
    }

    @Test
    void addressesAndDisplayNames() throws Exception {
        Letter letter = Letter.from("Иван Петров <ivan@1c.ru>")
                .to("\"Doe, John\" <john@bücher.example>", "plain@1c.ru")
                .replyTo("Support <support@1c.ru>")
                .readReceiptTo("receipts@1c.ru")
                .createdAt(CREATED).build();
        byte[] bytes = write(letter);
        String headers = headerBlock(bytes);
        assertTrue(headers.contains("john@xn--bcher-kva.example"), "IDN domain written in ASCII: " + headers);
        MimeMessage m = new MimeMessage(PARSE_SESSION, new ByteArrayInputStream(bytes));
        InternetAddress from = (InternetAddress) m.getFrom()[0];
        assertEquals("Иван Петров", from.getPersonal());
        assertEquals("ivan@1c.ru", from.getAddress());
        InternetAddress[] to = (InternetAddress[]) m.getRecipients(Message.RecipientType.TO);
        assertEquals(2, to.length);
        assertEquals("Doe, John", to[0].getPersonal());
        assertEquals("john@xn--bcher-kva.example", to[0].getAddress());
        assertEquals("support@1c.ru", ((InternetAddress) m.getReplyTo()[0]).getAddress());
        assertEquals("receipts@1c.ru", m.getHeader("Disposition-Notification-To", null));
    }

    @Test
    void internationalLocalPartWritesUtf8Headers() throws IOException {
        Letter letter = base().to("получатель@пример.рф").build();
        assertTrue(letter.needsSmtpUtf8());
        String headers = headerBlock(write(letter));
        assertTrue(headers.contains("получатель@пример.рф"), headers);
    }

    @Test
    void importanceHeaders() throws Exception {
        MimeMessage high = writeAndParse(base().importance(Importance.HIGH).build());
        assertEquals("1 (Highest)", high.getHeader("X-Priority", null));
        assertEquals("High", high.getHeader("Importance", null));
        MimeMessage low = writeAndParse(base().importance(Importance.LOW).build());
        assertEquals("5 (Lowest)", low.getHeader("X-Priority", null));
        assertEquals("Low", low.getHeader("Importance", null));
        MimeMessage normal = writeAndParse(base().build());
        assertNull(normal.getHeader("X-Priority"));
        assertNull(normal.getHeader("Importance"));
    }

    @Test
    void extraHeaders() throws Exception {
        String longValue = ("word ").repeat(60).trim();
        MimeMessage m = writeAndParse(base().header("X-Campaign", "spring-2025").header("X-Note", "Примечание")
                .header("List-Unsubscribe", "<mailto:unsub@1c.ru>").header("X-Long", longValue).build());
        assertEquals("spring-2025", m.getHeader("X-Campaign", null));
        assertEquals("Примечание", MimeUtility.decodeText(m.getHeader("X-Note", null)));
        assertEquals("<mailto:unsub@1c.ru>", m.getHeader("List-Unsubscribe", null));
        assertEquals(longValue, MimeUtility.unfold(m.getHeader("X-Long", null)));
    }

    @Test
    void longSubjectIsFoldedWithCrlf() throws Exception {
        String subject = "Очень длинная тема ".repeat(20).trim();
        byte[] bytes = write(base().subject(subject).build());
        assertTrue(headerBlock(bytes).contains("\r\n =?UTF-8?"), "folded subject");
        assertAllLinesAtMost998(bytes);
        assertEquals(subject, new MimeMessage(PARSE_SESSION, new ByteArrayInputStream(bytes)).getSubject());
        String oneWord = "x".repeat(1500);
        MimeMessage m = writeAndParse(base().subject(oneWord).build());
        assertEquals(oneWord, m.getSubject());
    }

    @Test
    void longHeaderValuesAreFoldedUnder998OctetsAndRoundTrip() throws Exception {
        assertLongValuesRoundTrip("recipient@1c.ru");
    }

    @Test
    void longHeaderValuesInUtf8HeadersAreFoldedUnder998OctetsAndRoundTrip() throws Exception {
        assertLongValuesRoundTrip("получатель@1c.ru");
    }

    private void assertLongValuesRoundTrip(String firstTo) throws Exception {
        String oneWordName = "N".repeat(2000);
        String quotedName = "Doe, John (the third) ".repeat(60).trim();
        String cyrillicName = "Иван Петров-Водкин".repeat(100);
        String spacedName = "word ".repeat(400).trim();
        String[] many = new String[300];
        for (int i = 0; i < many.length; i++) {
            many[i] = "Recipient Number " + i + " <recipient" + i + "@example.org>";
        }
        String subject = "Тема " + "s".repeat(3000) + " end";
        String oneWordValue = "v".repeat(5000);
        String spacedValue = "value ".repeat(1000).trim();
        Letter letter = Letter.builder().messageId("m1@1c.ru").createdAt(CREATED).to(firstTo)
                .sender(MailAddress.of("sender@1c.ru", cyrillicName))
                .to(MailAddress.of("one@example.org", oneWordName), MailAddress.of("two@example.org", quotedName),
                        MailAddress.of("three@example.org", spacedName))
                .to(many).cc(MailAddress.of("cc@example.org", oneWordName))
                .replyTo(MailAddress.of("reply@example.org", quotedName))
                .readReceiptTo(MailAddress.of("receipt@example.org", oneWordName)).subject(subject)
                .header("X-One-Word", oneWordValue).header("X-Spaced", spacedValue)
                .header("X-" + "h".repeat(74), "name of 76 characters").build();

        byte[] bytes = write(letter);
        assertAllLinesAtMost998(bytes);
        Properties utf8 = new Properties();
        utf8.setProperty("mail.mime.allowutf8", "true");
        MimeMessage m = new MimeMessage(Session.getInstance(utf8), new ByteArrayInputStream(bytes));
        InternetAddress from = (InternetAddress) m.getFrom()[0];
        assertEquals(cyrillicName, from.getPersonal());
        InternetAddress[] to = (InternetAddress[]) m.getRecipients(Message.RecipientType.TO);
        assertEquals(4 + many.length, to.length);
        assertEquals(firstTo, to[0].getAddress());
        assertEquals(oneWordName, to[1].getPersonal());
        assertEquals("one@example.org", to[1].getAddress());
        assertEquals(quotedName, to[2].getPersonal());
        assertEquals(spacedName, to[3].getPersonal());
        for (int i = 0; i < many.length; i++) {
            assertEquals(MailAddress.parse(many[i]).address(), to[4 + i].getAddress());
            assertEquals("Recipient Number " + i, to[4 + i].getPersonal());
        }
        InternetAddress cc = (InternetAddress) m.getRecipients(Message.RecipientType.CC)[0];
        assertEquals(oneWordName, cc.getPersonal());
        assertEquals(quotedName, ((InternetAddress) m.getReplyTo()[0]).getPersonal());
        InternetAddress receipt = InternetAddress.parseHeader(m.getHeader("Disposition-Notification-To", null),
                true)[0];
        assertEquals(oneWordName, MimeUtility.decodeText(receipt.getPersonal()));
        assertEquals("receipt@example.org", receipt.getAddress());
        assertEquals(subject, m.getSubject());
        assertEquals(oneWordValue, MimeUtility.decodeText(MimeUtility.unfold(m.getHeader("X-One-Word", null))));
        assertEquals(spacedValue, MimeUtility.decodeText(MimeUtility.unfold(m.getHeader("X-Spaced", null))));
        assertEquals("name of 76 characters", MimeUtility.unfold(m.getHeader("X-" + "h".repeat(74), null)));
    }

    // ------------------------------------------------------------------ determinism and size

    @Test
    void outputIsDeterministicForTheSameLetter() throws IOException {
        Letter letter = base().text("t").html("<b>h</b>").attach(Attachment.of("a.bin", new byte[] { 1, 2 })).build();
        assertArrayEquals(write(letter), write(letter));
    }

    @Test
    void writeDoesNotCloseTheCallersStream() throws IOException {
        AtomicInteger closes = new AtomicInteger();
        OutputStream out = new ByteArrayOutputStream() {
            @Override
            public void close() {
                closes.incrementAndGet();
            }
        };
        writer.write(base().text("x").build(), out);
        assertEquals(0, closes.get());
    }

    @Test
    void jakartaMailWritesTheSameBytesAsTheFastPath() throws Exception {
        Letter simple = base().subject("S").text("T").build();
        MimeMessage m = MimeTreeBuilder.build(simple);
        assertEquals("S", m.getSubject());
        assertEquals("<m1@1c.ru>", m.getMessageID());
        for (Letter letter : new Letter[] { simple, LetterMimeWriterGoldenTest.multipartLetter(),
                LetterMimeWriterGoldenTest.smtpUtf8Letter() }) {
            // a plain stream: Jakarta Mail writes the message with its own code (a single-part letter entirely;
            // the parts of a multipart get Jakarta Mail's line stream and go the fast path again)
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            MimeTreeBuilder.build(letter).writeTo(out);
            assertArrayEquals(write(letter), out.toByteArray(), letter.toString());
        }
    }

    @Test
    void unreadableAttachmentFailsWithIOException() {
        Letter letter = base().attach(Attachment.of("x.bin", null, () -> {
            throw new IOException("disk gone");
        })).build();
        IOException e = assertThrows(IOException.class, () -> writer.write(letter, OutputStream.nullOutputStream()));
        assertTrue(String.valueOf(e.getMessage()).contains("disk gone")
                   || (e.getCause() != null && String.valueOf(e.getCause().getMessage()).contains("disk gone")), e
                           .toString());
    }

    // ------------------------------------------------------------------ raw letters

    @Test
    void rawLetterCopiedWithLineEndsNormalized() throws Exception {
        byte[] raw = "Subject: raw\nX-A: 1\r\nX-B: 2\r\n\nline1\rline2\n\nlast".getBytes(StandardCharsets.US_ASCII);
        Letter letter = base().raw(() -> new ByteArrayInputStream(raw)).build();
        byte[] out = write(letter);
        assertEquals("Subject: raw\r\nX-A: 1\r\nX-B: 2\r\n\r\nline1\r\nline2\r\n\r\nlast\r\n", ascii(out));
        assertEquals("raw", new MimeMessage(PARSE_SESSION, new ByteArrayInputStream(out)).getSubject());
    }

    @Test
    void rawLetterEndingWithCrlfIsUnchanged() throws IOException {
        byte[] raw = "Subject: x\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);
        assertArrayEquals(raw, write(base().raw(() -> new ByteArrayInputStream(raw)).build()));
        byte[] endsInCr = "Subject: x\r\n\r\nbody\r".getBytes(StandardCharsets.US_ASCII);
        assertArrayEquals(raw, write(base().raw(() -> new ByteArrayInputStream(endsInCr)).build()));
    }

    @Test
    void rawLetterCrlfSplitAcrossReads() throws IOException {
        byte[] raw = "A: b\r\n\r\nx\r\ny".getBytes(StandardCharsets.US_ASCII);
        // a stream that returns one byte per read, so every CR/LF pair crosses a read boundary
        ContentSource oneByteAtATime = () -> new FilterInputStream(new ByteArrayInputStream(raw)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, 1));
            }
        };
        assertEquals("A: b\r\n\r\nx\r\ny\r\n", ascii(write(base().raw(oneByteAtATime).build())));
    }

    // ------------------------------------------------------------------ streaming of big files

    @Test
    void fiftyMegabyteFileIsStreamedNotBuffered(@TempDir Path dir) throws IOException {
        long fileSize = 50L * 1024 * 1024;
        Path file = dir.resolve("big.bin");
        byte[] chunk = new byte[1024 * 1024];
        Random random = new Random(42);
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long written = 0; written < fileSize; written += chunk.length) {
                random.nextBytes(chunk);
                out.write(chunk);
            }
        }
        assertEquals(fileSize, Files.size(file));

        AtomicLong bytesRead = new AtomicLong();
        AtomicInteger opens = new AtomicInteger();
        ContentSource counted = () -> {
            opens.incrementAndGet();
            return new FilterInputStream(Files.newInputStream(file)) {
                @Override
                public int read() throws IOException {
                    int b = super.read();
                    if (b >= 0) {
                        bytesRead.incrementAndGet();
                    }
                    return b;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    int n = super.read(b, off, len);
                    if (n > 0) {
                        bytesRead.addAndGet(n);
                    }
                    return n;
                }
            };
        };
        Letter letter = base().text("see attachment")
                .attach(Attachment.of(file))
                .attach(Attachment.of("copy.bin", "application/octet-stream", counted))
                .build();

        long size = writer.size(letter);
        assertEquals(1, opens.get());
        bytesRead.set(0);

        // a counting sink that records how much of the file had been read when 10 MB had been written
        long[] readAtTenMegabytes = { -1 };
        long[] count = { 0 };
        OutputStream sink = new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] { (byte) b }, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                count[0] += len;
                if (readAtTenMegabytes[0] < 0 && count[0] > 10L * 1024 * 1024 + size / 2) {
                    readAtTenMegabytes[0] = bytesRead.get();
                }
            }
        };
        writer.write(letter, sink);
        assertEquals(2, opens.get(), "the source is opened anew for each write");
        assertEquals(size, count[0], "size() equals the written length");
        assertTrue(size > 2 * fileSize * 4 / 3, "two base64 copies of the file: " + size);
        assertEquals(fileSize, bytesRead.get());
        assertTrue(readAtTenMegabytes[0] >= 0 && readAtTenMegabytes[0] < fileSize / 2,
                "output flowed while the file was still being read (read " + readAtTenMegabytes[0] + " bytes)");
    }

    @Test
    void attachmentSourceIsOpenedPerWrite() throws Exception {
        AtomicInteger opens = new AtomicInteger();
        byte[] data = new byte[100];
        Arrays.fill(data, (byte) 'z');
        Letter letter = base().attach(Attachment.of("z.bin", null, () -> {
            opens.incrementAndGet();
            return new ByteArrayInputStream(data);
        })).build();
        assertNotNull(MimeTreeBuilder.build(letter));
        assertEquals(0, opens.get(), "composing does not read attachments");
        write(letter);
        assertEquals(2, opens.get(), "once for write, once for size");
    }

    @Test
    void recipientAddressesInHeadersUseMailAddressForms() throws Exception {
        MimeMessage m = writeAndParse(base().to(MailAddress.of("a@Example.ORG", "A. Person")).build());
        InternetAddress to = (InternetAddress) m.getRecipients(Message.RecipientType.TO)[1];
        assertEquals("A. Person", to.getPersonal());
        assertEquals("a@Example.ORG", to.getAddress());
    }
}
