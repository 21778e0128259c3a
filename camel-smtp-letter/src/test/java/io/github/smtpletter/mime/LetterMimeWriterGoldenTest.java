package io.github.smtpletter.mime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;

import jakarta.mail.internet.MailDateFormat;

import io.github.smtpletter.letter.Attachment;
import io.github.smtpletter.letter.Importance;
import io.github.smtpletter.letter.Letter;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The exact bytes written for letters that use every part of the writer: multipart nesting, inline parts,
 * regular attachments with ASCII, non-ASCII and very long names, RFC 2047 headers, a forced encoded word,
 * quoted-printable text and UTF-8 (RFC 6532) headers. The expected files are the reference output; any change to
 * them is a change of what goes on the wire. Their first line, the {@code Date} header, is the one written in UTC;
 * it is compared in the time zone of the running JVM.
 */
class LetterMimeWriterGoldenTest {

    private static final Instant CREATED = Instant.parse("2025-03-04T05:06:07.123Z");

    private final LetterMimeWriter writer = new LetterMimeWriter();

    static Letter multipartLetter() {
        byte[] pdf = new byte[700];
        for (int i = 0; i < pdf.length; i++) {
            pdf[i] = (byte) (i * 31 + 7);
        }
        byte[] eml = "Subject: inner\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);
        return Letter.from("Иван Петров <ivan@bücher.example>")
                .to("\"Doe, John\" <john@example.org>", "plain@example.org")
                .cc("Копия <copy@example.org>")
                .bcc("hidden@example.org")
                .replyTo("Support Team <support@example.org>")
                .readReceiptTo("receipts@example.org")
                .subject("Отчёт за квартал: итоги, планы и очень длинная тема, которая не помещается в одну строку")
                .text("Здравствуйте!\nОтчёт во вложении.\r\nline with =_ and a bare CR\rend")
                .html("<p>Здравствуйте!</p><img src=\"cid:logo@example.org\"><img src=\"cid:sig@example.org\">")
                .attach(Attachment.of("logo.png", new byte[] { (byte) 0x89, 'P', 'N', 'G', 0, 1, 2 })
                        .inline("logo@example.org"))
                .attach(Attachment.of("Подпись.gif", new byte[] { 'G', 'I', 'F', 8, 9 }).inline("sig@example.org"))
                .attach(Attachment.of("Отчёт за 2024 год.pdf", pdf))
                .attach(Attachment.of("notes (final); v2.txt", "a\nb".getBytes(StandardCharsets.US_ASCII)))
                .attach(Attachment.of("Очень длинное имя файла ".repeat(6) + "— финал.xlsx", new byte[] { 1, 2, 3 }))
                .attach(Attachment.of("fwd.eml", eml, "message/rfc822"))
                .header("X-Campaign", "spring-2025")
                .header("X-Note", "Примечание с юникодом")
                .header("X-Long-Word", "w".repeat(1100))
                .importance(Importance.HIGH)
                .messageId("golden.1@example.org")
                .createdAt(CREATED)
                .build();
    }

    static Letter smtpUtf8Letter() {
        return Letter.from("Отправитель <отправитель@пример.рф>")
                .to("получатель@пример.рф")
                .replyTo("ответ@example.org")
                .subject("Привет")
                .text("Текст")
                .html("<b>Текст</b>")
                .attach(Attachment.of("данные.csv", "a;b\n1;2\n".getBytes(StandardCharsets.UTF_8)))
                .importance(Importance.LOW)
                .messageId("golden.2@example.org")
                .createdAt(CREATED)
                .build();
    }

    @Test
    void multipartLetterWithAttachmentsInlinePartsAndUtf8Headers() throws IOException {
        assertGolden("golden-multipart.eml", multipartLetter());
    }

    @Test
    void letterWithInternationalAddressesWritesUtf8Headers() throws IOException {
        assertGolden("golden-smtputf8.eml", smtpUtf8Letter());
    }

    private void assertGolden(String resource, Letter letter) throws IOException {
        byte[] golden;
        try (InputStream in = getClass().getResourceAsStream(resource)) {
            assertNotNull(in, resource);
            golden = in.readAllBytes();
        }
        String expected = new String(golden, StandardCharsets.UTF_8);
        int firstLineEnd = expected.indexOf("\r\n");
        assertEquals("Date: Tue, 4 Mar 2025 05:06:07 +0000 (UTC)", expected.substring(0, firstLineEnd), resource);
        expected = "Date: " + new MailDateFormat().format(Date.from(CREATED)) + expected.substring(firstLineEnd);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writer.write(letter, out);
        assertEquals(expected, out.toString(StandardCharsets.UTF_8), resource);
        assertArrayEquals(expected.getBytes(StandardCharsets.UTF_8), out.toByteArray(), resource);
        assertEquals(out.size(), writer.size(letter), "size of " + resource);
    }
}
