package io.github.smtpletter.mime;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.Base64;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimeUtility;

import io.github.smtpletter.letter.Attachment;
import io.github.smtpletter.letter.ContentSource;
import io.github.smtpletter.letter.Letter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The base64 of attachments against Jakarta Mail's encoder, and the size computed from the attachment's length
 * against the bytes written, for lengths around the line (57 bytes of input) and block boundaries.
 */
class Base64LinesTest {

    private static final int BLOCK = 512 * 57;

    private final LetterMimeWriter writer = new LetterMimeWriter();

    private static byte[] data(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    /** Jakarta Mail's base64 encoder, flushed (not closed) like a part's content. */
    private static byte[] jakartaMail(byte[] data) throws IOException, MessagingException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        OutputStream encoder = MimeUtility.encode(out, "base64");
        encoder.write(data);
        encoder.flush();
        return out.toByteArray();
    }

    /** Gives at most 1000 bytes per read, so blocks are filled from several reads. */
    private static InputStream smallReads(byte[] data) {
        return new FilterInputStream(new ByteArrayInputStream(data)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, 1000));
            }
        };
    }

    @ParameterizedTest
    @ValueSource(ints = { 0, 1, 2, 3, 4, 55, 56, 57, 58, 59, 113, 114, 115, 116, 76 * 57 - 1, 76 * 57, 76 * 57 + 1,
            BLOCK - 1, BLOCK, BLOCK + 1, BLOCK + 57, 3 * BLOCK + 5 })
    void encodesLikeJakartaMailAndKnowsItsLength(int n) throws Exception {
        byte[] data = data(n);
        byte[] expected = jakartaMail(data);
        for (InputStream in : new InputStream[] { new ByteArrayInputStream(data), smallReads(data) }) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertEquals(n, Base64Lines.copy(in, out));
            assertArrayEquals(expected, out.toByteArray(), "length " + n);
        }
        assertEquals(expected.length, Base64Lines.encodedLength(n), "encoded length of " + n);
        assertArrayEquals(data, Base64.getMimeDecoder().decode(expected));
    }

    @ParameterizedTest
    @ValueSource(ints = { 0, 1, 56, 57, 58, 114, 76 * 57, 76 * 57 + 1, BLOCK, BLOCK + 1 })
    void computedSizeIsTheWrittenLengthWithoutReadingTheAttachment(int n) throws Exception {
        byte[] data = data(n);
        AtomicInteger opens = new AtomicInteger();
        ContentSource known = new ContentSource() {
            @Override
            public InputStream open() {
                opens.incrementAndGet();
                return new ByteArrayInputStream(data);
            }

            @Override
            public long size() {
                return data.length;
            }
        };
        ContentSource unknown = () -> new ByteArrayInputStream(data); // size -1: measured by encoding
        Letter letter = Letter.from("a@example.org").to("b@example.org").subject("sizes").text("see attachments")
                .html("<p>see attachments</p>")
                .attach(Attachment.of("known.bin", "application/octet-stream", known))
                .attach(Attachment.of("unknown.bin", "application/octet-stream", unknown))
                .attach(Attachment.of("inline.png", data).inline("logo@example.org"))
                .messageId("sizes@example.org").createdAt(Instant.parse("2025-03-04T05:06:07Z"))
                .build();

        long size = writer.size(letter);
        assertEquals(0, opens.get(), "an attachment of known size is not read to measure it");

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writer.write(letter, out);
        assertEquals(out.size(), size, "attachments of " + n + " bytes");
        MimeMessage parsed = new MimeMessage(null, new ByteArrayInputStream(out.toByteArray()));
        MimeMultipart mixed = (MimeMultipart) parsed.getContent();
        assertArrayEquals(data, mixed.getBodyPart(1).getInputStream().readAllBytes());
        assertArrayEquals(data, mixed.getBodyPart(2).getInputStream().readAllBytes());
    }
}
