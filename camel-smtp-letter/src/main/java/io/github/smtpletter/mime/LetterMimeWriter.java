package io.github.smtpletter.mime;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

import jakarta.mail.MessagingException;

import io.github.smtpletter.letter.ContentSource;
import io.github.smtpletter.letter.Letter;

/**
 * Writes a {@link Letter} as an RFC 5322 / MIME (RFC 2045-2049) message with Jakarta Mail, streamed.
 * <p>
 * Shapes: text only gives {@code text/plain}; HTML only {@code text/html}; HTML and text
 * {@code multipart/alternative}; inline parts (attachments with a content id) put the HTML (or the alternative)
 * into a {@code multipart/related}; regular attachments make {@code multipart/mixed} the outermost part.
 * Without HTML, inline parts are written like regular attachments (with {@code Content-Disposition: inline}).
 * <p>
 * Encoding: UTF-8 everywhere; subjects, display names and non-ASCII extra header values RFC 2047 encoded;
 * attachment names RFC 2047 encoded in {@code Content-Type; name=} and RFC 2231 encoded in
 * {@code Content-Disposition; filename=}; text parts {@code 7bit} when pure ASCII with lines of at most 998
 * characters, else {@code quoted-printable}; attachments {@code base64}, streamed from their
 * {@link ContentSource} (opened anew on every write, never read whole into memory). An attachment declared
 * {@code message/*} is sent as {@code application/octet-stream}, since MIME forbids base64 for message types.
 * The output is therefore 7-bit ASCII, except headers with addresses whose local part is non-ASCII (letters
 * that {@linkplain Letter#needsSmtpUtf8() need SMTPUTF8}), which are written in UTF-8 (RFC 6532).
 * <p>
 * Headers: Date (from {@link Letter#createdAt()}), From, Reply-To, To, Cc (never Bcc), Message-ID
 * ({@code <letter.messageId()>}), Subject, MIME-Version, X-Priority and Importance (for HIGH and LOW importance),
 * Disposition-Notification-To, then the extra headers (an extra header named like one of the last three replaces
 * it).
 * <p>
 * The output is deterministic for a given letter (multipart boundaries derive from the message id, the date
 * from the creation time), so {@link #size(Letter)} is the exact length of what {@link #write(Letter, OutputStream)}
 * writes (computed without reading attachments whose size is known). Line ends are CRLF; the output is not dot-stuffed (the SMTP layer does that).
 * <p>
 * Raw letters ({@link Letter#raw()}) are copied verbatim, bare CR and LF turned into CRLF and a final CRLF ensured.
 * <p>
 * Instances are stateless, reusable and thread-safe. No network is used.
 */
public final class LetterMimeWriter {

    private static final int BUFFER = 16 * 1024;

    /** Creates a writer. */
    public LetterMimeWriter() {
        // stateless
    }

    /**
     * Writes the letter as an RFC 5322 message with CRLF line ends, not dot-stuffed. The stream is flushed,
     * not closed.
     *
     * @param letter the letter
     * @param out    where to write
     * @throws IOException when writing fails or an attachment cannot be read
     */
    public void write(Letter letter, OutputStream out) throws IOException {
        // a letter written into memory needs no buffer of its own in front
        OutputStream buffered = out instanceof ByteArrayOutputStream
                ? new NonClosingOutputStream(out) : new BufferedOutputStream(new NonClosingOutputStream(out), BUFFER);
        if (letter.raw() != null) {
            CrlfNormalizer.copy(letter.raw(), buffered);
        } else {
            try {
                JakartaMailFastPath.write(MimeTreeBuilder.build(letter), buffered);
            } catch (MessagingException e) {
                throw new IOException("cannot write letter " + letter.messageId() + ": " + e.getMessage(), e);
            }
        }
        buffered.flush();
    }

    /**
     * The number of bytes {@link #write(Letter, OutputStream)} writes for this letter. Attachments whose
     * {@link ContentSource#size() size} is known are not read: their base64 length follows from their size (lines of
     * 76 characters and CRLF for every 57 bytes). The rest of the letter is written to a counting stream: text parts,
     * attachments of unknown size (read and encoded, nothing buffered), and raw letters (read through once).
     * <p>
     * The result is exact as long as every attachment's source declares the size of the content it then gives (a
     * file that changes in between, or a source that declares a wrong size, makes it an estimate).
     *
     * @param letter the letter
     * @return the size in bytes
     * @throws IOException when content that must be read cannot be read
     */
    public long size(Letter letter) throws IOException {
        if (letter.raw() != null) {
            CountingOutputStream counter = new CountingOutputStream();
            write(letter, counter);
            return counter.count;
        }
        try {
            return JakartaMailFastPath.size(MimeTreeBuilder.build(letter));
        } catch (MessagingException e) {
            throw new IOException("cannot measure letter " + letter.messageId() + ": " + e.getMessage(), e);
        }
    }

    /** Counts bytes, keeps none. */
    private static final class CountingOutputStream extends OutputStream {
        private long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }

    /** Shields the caller's stream from close(). */
    private static final class NonClosingOutputStream extends FilterOutputStream {
        NonClosingOutputStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
