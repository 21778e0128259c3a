package io.github.smtpletter.letter;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LetterTest {

    @Test
    void aMinimalLetterHasDefaultsForEverythingElse() {
        Instant before = Instant.now().minusMillis(1);
        Letter letter = Letter.from("sender@1c.ru")
                .to("recipient@1c.ru")
                .subject("Тема сообщения электронной почты")
                .text("Текст сообщения электронной почты")
                .build();
        assertEquals(MailAddress.of("sender@1c.ru"), letter.from());
        assertEquals(List.of(MailAddress.of("recipient@1c.ru")), letter.to());
        assertEquals("Тема сообщения электронной почты", letter.subject());
        assertEquals("Текст сообщения электронной почты", letter.text());
        assertNull(letter.html());
        assertTrue(letter.cc().isEmpty() && letter.bcc().isEmpty() && letter.replyTo().isEmpty());
        assertTrue(letter.attachments().isEmpty() && letter.headers().isEmpty());
        assertEquals(Importance.NORMAL, letter.importance());
        assertNull(letter.readReceiptTo());
        assertNull(letter.dsn());
        assertNull(letter.raw());
        assertFalse(letter.isRaw());
        assertFalse(letter.needsSmtpUtf8());
        assertEquals(List.of(MailAddress.of("recipient@1c.ru")), letter.recipients());
        assertTrue(letter.messageId().matches("[0-9a-f-]{36}@1c\\.ru"), letter.messageId());
        assertFalse(letter.createdAt().isBefore(before));
        assertFalse(letter.createdAt().isAfter(Instant.now()));
    }

    @Test
    void messageIdsAreUniqueAndUseTheAsciiSenderDomain() {
        Letter a = Letter.from("a@bücher.example").to("b@example.org").build();
        Letter b = Letter.from("a@bücher.example").to("b@example.org").build();
        assertNotEquals(a.messageId(), b.messageId());
        assertTrue(a.messageId().endsWith("@xn--bcher-kva.example"), a.messageId());
    }

    @Test
    void explicitMessageIdAndCreationTime() {
        Instant t = Instant.parse("2024-02-29T12:34:56.789123Z");
        Letter letter = Letter.from("a@example.org").to("b@example.org")
                .messageId("1234.abc@example.org").createdAt(t).build();
        assertEquals("1234.abc@example.org", letter.messageId());
        assertEquals(Instant.parse("2024-02-29T12:34:56.789Z"), letter.createdAt());
    }

    @Test
    void allFields() throws IOException {
        DsnOptions dsn = new DsnOptions(EnumSet.of(DsnNotify.FAILURE, DsnNotify.DELAY), DsnReturn.HEADERS, "env-1");
        Attachment pdf = Attachment.of("report.pdf", new byte[] { 1, 2, 3 });
        Attachment logo = Attachment.of("logo.png", new byte[] { 4 }).inline("logo@example.org");
        Letter letter = Letter.builder()
                .sender(MailAddress.of("shop@example.org", "Shop"))
                .to(MailAddress.of("a@example.org"))
                .cc("\"Doe, Jane\" <jane@example.org>, bob@example.org")
                .bcc(List.of(MailAddress.of("audit@example.org")))
                .replyTo("support@example.org")
                .subject("Order")
                .text("plain")
                .html("<b>html</b>")
                .attach(pdf)
                .attach(List.of(logo))
                .header("X-Campaign", "spring")
                .importance(Importance.HIGH)
                .readReceiptTo("receipts@example.org")
                .dsn(dsn)
                .build();
        assertEquals("Shop", letter.from().displayName());
        assertEquals(2, letter.cc().size());
        assertEquals("Doe, Jane", letter.cc().get(0).displayName());
        assertEquals(List.of(MailAddress.of("support@example.org")), letter.replyTo());
        assertEquals("<b>html</b>", letter.html());
        assertEquals(List.of(pdf, logo), letter.attachments());
        assertEquals(Map.of("X-Campaign", "spring"), letter.headers());
        assertEquals(Importance.HIGH, letter.importance());
        assertEquals(MailAddress.of("receipts@example.org"), letter.readReceiptTo());
        assertSame(dsn, letter.dsn());
        assertEquals(4, letter.recipients().size());
        try (InputStream in = letter.attachments().get(0).source().open()) {
            assertArrayEquals(new byte[] { 1, 2, 3 }, in.readAllBytes());
        }
    }

    @Test
    void recipientsDeduplicatedByAddressInOrder() {
        Letter letter = Letter.from("s@example.org")
                .to("a@example.org", "B <b@example.org>")
                .cc("a@EXAMPLE.org", "c@example.org")
                .bcc("b@example.org", "d@example.org")
                .build();
        assertEquals(List.of("a@example.org", "b@example.org", "c@example.org", "d@example.org"),
                letter.recipients().stream().map(MailAddress::address).toList());
        assertEquals(2, letter.to().size());
        assertEquals(2, letter.cc().size());
        assertEquals(2, letter.bcc().size());
    }

    @Test
    void onlyBccIsEnough() {
        Letter letter = Letter.from("s@example.org").bcc("hidden@example.org").build();
        assertEquals(List.of(MailAddress.of("hidden@example.org")), letter.recipients());
    }

    @Test
    void letterIsImmutable() {
        List<MailAddress> to = new ArrayList<>(List.of(MailAddress.of("a@example.org")));
        Letter.Builder builder = Letter.from("s@example.org").to(to).header("X-A", "1");
        Letter letter = builder.build();
        to.add(MailAddress.of("late@example.org"));
        builder.to("other@example.org").header("X-B", "2").subject("changed");
        assertEquals(1, letter.to().size());
        assertEquals(1, letter.headers().size());
        assertNull(letter.subject());
        assertThrows(UnsupportedOperationException.class, () -> letter.to().add(MailAddress.of("x@example.org")));
        assertThrows(UnsupportedOperationException.class, () -> letter.cc().add(MailAddress.of("x@example.org")));
        assertThrows(UnsupportedOperationException.class, () -> letter.bcc().clear());
        assertThrows(UnsupportedOperationException.class, () -> letter.recipients().clear());
        assertThrows(UnsupportedOperationException.class, () -> letter.attachments().clear());
        assertThrows(UnsupportedOperationException.class, () -> letter.headers().put("X-C", "3"));
    }

    @Test
    void attachmentBytesAreCopied() throws IOException {
        byte[] data = { 1, 2, 3 };
        Attachment a = Attachment.of("a.bin", data);
        data[0] = 9;
        try (InputStream in = a.source().open()) {
            assertArrayEquals(new byte[] { 1, 2, 3 }, in.readAllBytes());
        }
        assertEquals(3, a.size());
    }

    @Test
    void toBuilderCopiesEverything() {
        Letter original = Letter.from("s@example.org").to("a@example.org").bcc("b@example.org")
                .subject("S").text("T").header("X-A", "1").importance(Importance.LOW).build();
        Letter copy = original.toBuilder().cc("c@example.org").build();
        assertEquals(original.messageId(), copy.messageId());
        assertEquals(original.createdAt(), copy.createdAt());
        assertEquals(original.to(), copy.to());
        assertEquals(original.bcc(), copy.bcc());
        assertEquals("S", copy.subject());
        assertEquals("T", copy.text());
        assertEquals(original.headers(), copy.headers());
        assertEquals(Importance.LOW, copy.importance());
        assertEquals(List.of(MailAddress.of("c@example.org")), copy.cc());
        assertTrue(original.cc().isEmpty());
        Letter fresh = original.toBuilder().messageId(null).build();
        assertNotEquals(original.messageId(), fresh.messageId());
    }

    @Test
    void toBuilderKeepsEveryField() {
        ContentSource raw = () -> new ByteArrayInputStream(new byte[0]);
        Letter original = Letter.from("Shop <s@example.org>").to("a@example.org").cc("c@example.org")
                .bcc("b@example.org").replyTo("r@example.org").subject("S").text("T").html("<p>H</p>")
                .attach(Attachment.of("a.bin", new byte[] { 1 })).header("X-A", "1").importance(Importance.HIGH)
                .readReceiptTo("rr@example.org").dsn(DsnOptions.of(DsnNotify.FAILURE)).raw(raw).build();
        Letter copy = original.toBuilder().build();
        assertEquals(original.from(), copy.from());
        assertEquals("Shop", copy.from().displayName());
        assertEquals(original.to(), copy.to());
        assertEquals(original.cc(), copy.cc());
        assertEquals(original.bcc(), copy.bcc());
        assertEquals(original.replyTo(), copy.replyTo());
        assertEquals(original.subject(), copy.subject());
        assertEquals(original.text(), copy.text());
        assertEquals(original.html(), copy.html());
        assertEquals(original.attachments(), copy.attachments());
        assertEquals(original.headers(), copy.headers());
        assertEquals(original.importance(), copy.importance());
        assertEquals(original.readReceiptTo(), copy.readReceiptTo());
        assertEquals(original.messageId(), copy.messageId());
        assertEquals(original.createdAt(), copy.createdAt());
        assertSame(original.dsn(), copy.dsn());
        assertSame(raw, copy.raw());
        assertEquals(original.recipients(), copy.recipients());
    }

    @Test
    void headersKeepInsertionOrderAndReplaceCaseInsensitively() {
        Letter letter = Letter.from("s@example.org").to("a@example.org")
                .header("X-B", "1").header("X-A", "2").header("x-b", "3").header("List-Unsubscribe", "<mailto:u@x>")
                .build();
        assertEquals(List.of("X-A", "x-b", "List-Unsubscribe"), new ArrayList<>(letter.headers().keySet()));
        assertEquals("3", letter.headers().get("x-b"));
    }

    @Test
    void headerValuesMayHoldTabsAndUnicode() {
        Letter letter = Letter.from("s@example.org").to("a@example.org").header("X-Note", "a\tb Привет").build();
        assertEquals("a\tb Привет", letter.headers().get("X-Note"));
    }

    @Test
    void reservedHeadersRejected() {
        for (String name : List.of("From", "to", "CC", "Bcc", "Subject", "Date", "Message-ID", "MIME-Version",
                "Content-Type", "content-transfer-encoding", "Content-Disposition", "Reply-To")) {
            InvalidLetterException e = assertThrows(InvalidLetterException.class,
                    () -> Letter.from("s@example.org").header(name, "x"), name);
            assertEquals("headers", e.field());
            assertTrue(e.reason().contains("reserved"), e.reason());
        }
    }

    @Test
    void needsSmtpUtf8() {
        assertFalse(Letter.from("s@bücher.example").to("a@bücher.example").build().needsSmtpUtf8());
        assertTrue(Letter.from("s@example.org").bcc("почта@example.org").build().needsSmtpUtf8());
        assertTrue(Letter.from("отправитель@example.org").to("a@example.org").build().needsSmtpUtf8());
        // not in the envelope, but written into the message as UTF-8 all the same
        assertTrue(Letter.from("s@example.org").to("a@example.org").replyTo("ответ@example.org").build()
                .needsSmtpUtf8(), "reply-to");
        assertTrue(Letter.from("s@example.org").to("a@example.org").readReceiptTo("ответ@example.org").build()
                .needsSmtpUtf8(), "read-receipt address");
        assertFalse(Letter.from("s@example.org").to("a@example.org").replyTo("Ответ <a@example.org>").build()
                .needsSmtpUtf8(), "a display name is no local part");
    }

    @Test
    void noBodyIsAllowed() {
        Letter letter = Letter.from("s@example.org").to("a@example.org").build();
        assertNull(letter.text());
        assertNull(letter.html());
        assertNull(letter.subject());
    }

    @Test
    void toStringIsShortAndSafe() {
        Letter letter = Letter.from("Secret Name <s@example.org>").to("a@example.org").cc("b@example.org")
                .bcc("hidden@example.org").subject("Hello").text("the body text").messageId("id1@example.org").build();
        String s = letter.toString();
        assertEquals("Letter[messageId=id1@example.org, from=s@example.org, recipients=3, subject=\"Hello\"]", s);
        assertFalse(s.contains("hidden") || s.contains("body text") || s.contains("Secret"));
    }

    @Test
    void fileAttachment(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("Quarterly Report.PDF");
        Files.write(file, new byte[] { 7, 8, 9 });
        Attachment a = Attachment.of(file);
        assertEquals("Quarterly Report.PDF", a.name());
        assertEquals("application/pdf", a.contentType());
        assertEquals(3, a.size());
        assertFalse(a.isInline());
        assertNull(a.contentId());
        Letter letter = Letter.from("s@example.org").to("a@example.org").attach(a).build();
        try (InputStream in = letter.attachments().get(0).source().open()) {
            assertArrayEquals(new byte[] { 7, 8, 9 }, in.readAllBytes());
        }
        Attachment named = Attachment.of(file, "r.bin", null);
        assertEquals("r.bin", named.name());
        assertEquals("application/octet-stream", named.contentType());
        assertEquals("text/csv", Attachment.of(file, null, "text/csv").contentType());
    }

    @Test
    void missingFileFailsAtBuildNotBefore(@TempDir Path dir) {
        Path missing = dir.resolve("nope.pdf");
        Attachment a = Attachment.of(missing); // no I/O yet
        assertEquals(-1, a.size());
        Letter.Builder b = Letter.from("s@example.org").to("a@example.org").attach(a);
        InvalidLetterException e = assertThrows(InvalidLetterException.class, b::build);
        assertEquals("attachments", e.field());
        assertEquals("file not found: " + Checks.quote(missing), e.reason());
    }

    @Test
    void missingFileIsQuotedWholeWithControlCharactersEscaped(@TempDir Path dir) {
        // NEL (U+0085) is a control character most file systems accept in a name
        Path missing = dir.resolve("x".repeat(150)).resolve("evil\u0085folder").resolve("name.pdf");
        InvalidLetterException e = assertThrows(InvalidLetterException.class,
                () -> Letter.from("s@example.org").to("a@example.org").attach(Attachment.of(missing)).build());
        assertEquals("file not found: " + Checks.quote(missing), e.reason());
        assertTrue(e.reason().contains("evil\\u0085folder"), e.reason());
        assertTrue(e.reason().endsWith("name.pdf\""), "a long path is not shortened: " + e.reason());
        assertFalse(e.getMessage().contains("\u0085"), e.getMessage());
    }

    @Test
    void directoryIsNotAnAttachment(@TempDir Path dir) {
        InvalidLetterException e = assertThrows(InvalidLetterException.class,
                () -> Letter.from("s@example.org").to("a@example.org").attach(Attachment.of(dir, "d", null)).build());
        assertEquals("attachments", e.field());
        assertTrue(e.reason().startsWith("not a regular file"), e.reason());
    }

    @Test
    void contentTypeGuessing() {
        assertEquals("application/pdf", Attachment.guessContentType("a.pdf"));
        assertEquals("image/jpeg", Attachment.guessContentType("photo.JPG"));
        assertEquals("image/png", Attachment.guessContentType("x.png"));
        assertEquals("text/plain", Attachment.guessContentType("readme.txt"));
        assertEquals("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                Attachment.guessContentType("book.xlsx"));
        assertEquals("application/octet-stream", Attachment.guessContentType("data.unknownext"));
        assertEquals("application/octet-stream", Attachment.guessContentType("noext"));
        assertEquals("application/octet-stream", Attachment.guessContentType(null));
        assertEquals("text/plain; charset=windows-1251",
                Attachment.of("a.txt", new byte[0], "text/plain; charset=windows-1251").contentType());
    }

    @Test
    void inlineCopy() {
        Attachment a = Attachment.of("logo.png", new byte[] { 1 });
        Attachment inline = a.inline("logo.1@example.org");
        assertFalse(a.isInline());
        assertTrue(inline.isInline());
        assertEquals("logo.1@example.org", inline.contentId());
        assertEquals("logo.png", inline.name());
        assertSame(a.source(), inline.source());
    }

    @Test
    void customContentSource() throws IOException {
        byte[] data = "streamed".getBytes(StandardCharsets.US_ASCII);
        ContentSource source = () -> new ByteArrayInputStream(data);
        Attachment a = Attachment.of("s.txt", null, source);
        assertEquals("text/plain", a.contentType());
        assertEquals(-1, a.size());
        try (InputStream in = a.source().open()) {
            assertArrayEquals(data, in.readAllBytes());
        }
    }

    @Test
    void dsnOptions() {
        DsnOptions none = new DsnOptions(null, null, null);
        assertEquals(Set.of(), none.notifyOn());
        DsnOptions some = DsnOptions.of(DsnNotify.SUCCESS, DsnNotify.FAILURE);
        assertEquals(EnumSet.of(DsnNotify.SUCCESS, DsnNotify.FAILURE), some.notifyOn());
        assertThrows(UnsupportedOperationException.class, () -> some.notifyOn().add(DsnNotify.DELAY));
        assertEquals(Set.of(DsnNotify.NEVER), DsnOptions.of(DsnNotify.NEVER).notifyOn());
        assertEquals(Set.of(), DsnOptions.of().notifyOn());
    }

    @Test
    void rawLetterKeepsEnvelope() {
        ContentSource raw = () -> new ByteArrayInputStream("Subject: x\r\n\r\nbody\r\n".getBytes(
                StandardCharsets.US_ASCII));
        Letter letter = Letter.from("s@example.org").to("a@example.org").raw(raw).build();
        assertTrue(letter.isRaw());
        assertSame(raw, letter.raw());
        assertEquals(List.of(MailAddress.of("a@example.org")), letter.recipients());
        assertTrue(letter.toString().endsWith(", raw]"), letter.toString());
    }

    @Test
    void exceptionMessageFormat() {
        InvalidLetterException e = new InvalidLetterException("subject", "too long");
        assertEquals("Invalid letter field 'subject': too long", e.getMessage());
        assertEquals("subject", e.field());
        assertEquals("too long", e.reason());
    }
}
