package io.github.smtpletter.letter;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Bad input of every kind must be refused with an {@link InvalidLetterException} that names the field and the
 * reason, and whose message is a single safe line (no raw CR/LF/NUL).
 */
class LetterBadInputTest {

    @TempDir
    static Path tempDir;

    /** A builder with a valid sender and recipient, to break one thing at a time. */
    private static Letter.Builder valid() {
        return Letter.from("sender@example.org").to("rcpt@example.org");
    }

    private static Arguments bad(String description, String field, String reasonPart, Supplier<?> action) {
        return arguments(description, field, reasonPart, action);
    }

    static Stream<Arguments> badInput() {
        return Stream.of(
                // --- header injection through every text field
                bad("CRLF in subject", "subject", "line break",
                        () -> valid().subject("Hello\r\nBcc: victim@example.org").build()),
                bad("bare LF in subject", "subject", "line break", () -> valid().subject("Hello\nX-Evil: 1").build()),
                bad("bare CR in subject", "subject", "line break", () -> valid().subject("Hello\rthere").build()),
                bad("NUL in subject", "subject", "NUL", () -> valid().subject("Hel\0lo").build()),
                bad("escape char in subject", "subject", "control", () -> valid().subject("\u001b[31mred").build()),
                bad("CRLF in sender display name", "from", "line break",
                        () -> Letter.from("\"Evil\r\nBcc: x@example.org\" <s@example.org>")),
                bad("LF in recipient display name", "to", "line break",
                        () -> valid().to("\"a\nb\" <a@example.org>")),
                bad("CRLF in a To address", "to", "line break",
                        () -> valid().to("a@example.org\r\nRCPT TO:<evil@example.org>")),
                bad("CRLF in a Cc address", "cc", "line break", () -> valid().cc("c@example.org\r\n")),
                bad("LF in a Bcc address", "bcc", "line break", () -> valid().bcc("b@exam\nple.org")),
                bad("CRLF in reply-to", "replyTo", "line break", () -> valid().replyTo("r@example.org\r\nX: y")),
                bad("CRLF in read-receipt address", "readReceiptTo", "line break",
                        () -> valid().readReceiptTo("r@example.org\r\nX: y")),
                bad("CRLF in header value", "headers", "line break",
                        () -> valid().header("X-Tag", "a\r\nBcc: victim@example.org")),
                bad("LF in header value", "headers", "line break", () -> valid().header("X-Tag", "a\nb")),
                bad("NUL in header value", "headers", "NUL", () -> valid().header("X-Tag", "a\0b")),
                bad("CRLF in header name", "headers", "printable ASCII", () -> valid().header("X-Tag\r\nBcc", "x")),
                bad("colon in header name", "headers", "':'", () -> valid().header("X-Tag:", "x")),
                bad("space in header name", "headers", "printable ASCII", () -> valid().header("X Tag", "x")),
                bad("non-ASCII header name", "headers", "printable ASCII", () -> valid().header("X-Тег", "x")),
                bad("empty header name", "headers", "empty", () -> valid().header("", "x")),
                bad("header name over 76 characters", "headers", "longer than 76 characters",
                        () -> valid().header("X-" + "n".repeat(1500), "x")),
                bad("null header value", "headers", "null", () -> valid().header("X-Tag", null)),
                bad("reserved header Bcc", "headers", "reserved", () -> valid().header("bcc", "x@example.org")),
                bad("reserved header Content-Type", "headers", "reserved", () -> valid().header("Content-Type",
                        "text/html")),
                bad("reserved header Message-ID", "headers", "reserved", () -> valid().header("Message-Id", "<a@b>")),
                bad("CRLF in attachment name", "attachments", "line break",
                        () -> Attachment.of("a.pdf\r\nContent-Type: text/html", new byte[1])),
                bad("NUL in attachment name", "attachments", "NUL", () -> Attachment.of("a\0.pdf", new byte[1])),
                bad("blank attachment name", "attachments", "empty", () -> Attachment.of(" ", new byte[1])),
                bad("CRLF in content id", "attachments", "line break",
                        () -> Attachment.of("a.png", new byte[1]).inline("id\r\nX: y")),
                bad("angle brackets in content id", "attachments", "angle brackets",
                        () -> Attachment.of("a.png", new byte[1]).inline("<id@example.org>")),
                bad("space in content id", "attachments", "without spaces",
                        () -> Attachment.of("a.png", new byte[1]).inline("id @example.org")),
                bad("duplicate content ids", "attachments", "duplicate content id",
                        () -> valid().html("<img src=cid:x>")
                                .attach(Attachment.of("a.png", new byte[1]).inline("x@example.org"))
                                .attach(Attachment.of("b.png", new byte[1]).inline("x@example.org")).build()),
                // --- bad content types
                bad("content type without subtype", "attachments", "type/subtype",
                        () -> Attachment.of("a.bin", new byte[1], "application")),
                bad("content type with spaces", "attachments", "type/subtype",
                        () -> Attachment.of("a.bin", new byte[1], "app lication/pdf")),
                bad("content type with CRLF", "attachments", "line break",
                        () -> Attachment.of("a.bin", new byte[1], "text/plain\r\nX-Evil: 1")),
                bad("multipart content type", "attachments", "multipart",
                        () -> Attachment.of("a.bin", new byte[1], "multipart/mixed")),
                // --- invalid addresses
                bad("sender without @", "from", "missing '@'", () -> Letter.from("sender.example.org")),
                bad("recipient with two dots", "to", "misplaced '.'", () -> valid().to("a..b@example.org")),
                bad("recipient with bad domain", "to", "domain", () -> valid().to("a@exa_mple.org")),
                bad("cc with empty domain", "cc", "empty domain", () -> valid().cc("a@")),
                bad("unbalanced angle brackets", "to", "unbalanced", () -> valid().to("Name <a@example.org")),
                bad("'>' in a quoted local part, parsed", "to", "quoted local part must not contain '<', '>'",
                        () -> valid().to("\"a> NOTIFY=SUCCESS ORCPT=rfc822;evil@evil.test\"@example.org")),
                bad("'<' in a quoted local part, parsed with a name", "cc", "quoted local part must not contain",
                        () -> valid().cc("Ann <\"a<b\"@example.org>")),
                bad("'>' in a quoted local part, MailAddress.of", "address", "quoted local part must not contain",
                        () -> MailAddress.of("\"a> NOTIFY=SUCCESS ORCPT=rfc822;evil@evil.test\"@example.org")),
                bad("local part too long", "to", "64", () -> valid().to("x".repeat(65) + "@example.org")),
                bad("null recipient", "to", "null", () -> valid().to((String) null)),
                // --- required parts
                bad("no sender", "from", "a sender is required", () -> Letter.builder().to("a@example.org").build()),
                bad("no recipient", "to", "at least one recipient", () -> Letter.from("s@example.org").build()),
                bad("missing attachment file", "attachments", "file not found",
                        () -> valid().attach(Attachment.of(tempDir.resolve("missing.pdf"))).build()),
                bad("null attachment", "attachments", "null", () -> valid().attach((Attachment) null)),
                // --- message id and DSN
                bad("message id with angle brackets", "messageId", "brackets",
                        () -> valid().messageId("<id@example.org>").build()),
                bad("message id without domain", "messageId", "local@domain", () -> valid().messageId("justlocal")
                        .build()),
                bad("message id with CRLF", "messageId", "printable ASCII",
                        () -> valid().messageId("a@b\r\nX: y").build()),
                bad("DSN NEVER with FAILURE", "dsn", "NEVER",
                        () -> new DsnOptions(EnumSet.of(DsnNotify.NEVER, DsnNotify.FAILURE), null, null)),
                bad("DSN envelope id with space", "dsn", "printable ASCII",
                        () -> new DsnOptions(null, DsnReturn.FULL, "env id")),
                bad("DSN envelope id too long", "dsn", "100", () -> new DsnOptions(null, null, "e".repeat(101))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInput")
    void rejected(String description, String field, String reasonPart, Supplier<?> action) {
        InvalidLetterException e = assertThrows(InvalidLetterException.class, action::get, description);
        assertEquals(field, e.field(), () -> "field of: " + e.getMessage());
        assertTrue(e.reason().contains(reasonPart), () -> "reason should mention '" + reasonPart + "': " + e.reason());
        assertEquals("Invalid letter field '" + field + "': " + e.reason(), e.getMessage());
        String m = e.getMessage();
        assertFalse(m.indexOf('\r') >= 0 || m.indexOf('\n') >= 0 || m.indexOf('\0') >= 0,
                () -> "message must be one safe line: " + Checks.quote(m));
    }

    @Test
    void atLeastThirtyCases() {
        assertTrue(badInput().count() >= 30);
    }

    @Test
    void injectedInputIsQuotedEscaped() {
        InvalidLetterException e = assertThrows(InvalidLetterException.class,
                () -> valid().subject("Hi\r\nBcc: victim@example.org").build());
        assertTrue(e.getMessage().contains("\"Hi\\r\\nBcc: victim@example.org\""), e.getMessage());
    }
}
