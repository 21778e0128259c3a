package io.github.smtpletter.smtp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import io.github.smtpletter.letter.Letter;
import io.github.smtpletter.mime.dkim.DkimSettings;
import io.github.smtpletter.mime.dkim.DkimSignedMessage;
import io.github.smtpletter.mime.dkim.DkimSigner;

/**
 * The message of one letter as it goes to the server. When the server announces SIZE, a letter whose content is
 * known to be small is written into memory once, which gives both the exact SIZE and the bytes to send; a bigger one
 * is measured without being held in memory: the base64 length of an attachment whose source declares its size is
 * computed from that size, without reading it; text parts, attachments of unknown size and raw letters are written
 * to a counting stream. The SIZE value is therefore exact unless a source's declared size is wrong or its content
 * changes before it is sent, in which case it is the estimate RFC 1870 allows (section 4: the server still enforces
 * its limit on the data it receives).
 * <p>
 * With DKIM settings, the letter is always {@link #measure() measured} by a full streaming pass, which also hashes the
 * body and signs ({@link DkimSigner}); sending then writes the {@code DKIM-Signature} field ahead of the message, and
 * the size includes it. Sending checks that the message is still the one signed and fails before the end of the data
 * when it is not.
 */
final class MessageContent {

    /**
     * When the server announces SIZE, letters whose content is known to be at most about this big are written once
     * into memory, which gives both the exact SIZE and the bytes to send (instead of writing them twice).
     */
    static final int RENDER_IN_MEMORY_LIMIT = 256 * 1024;

    /**
     * BDAT chunk size for a message not known to be small: without PIPELINING each chunk's reply is awaited before
     * the next chunk goes, so a 200 MB attachment in 64 KiB chunks would wait for over 4,000 replies (with it, a few
     * chunks go ahead of their replies). One such buffer is held per transfer.
     */
    static final int BIG_CHUNK_SIZE = 1024 * 1024;

    private final Letter letter;
    private final MessageWriter writer;
    /** The whole message, once {@link #measure()} wrote it into memory; else it is written while sending. */
    private byte[] rendered;
    /** Signs the message, or {@code null}. */
    private final DkimSigner signer;
    /** The signature, once {@link #measure()} signed. */
    private DkimSignedMessage signed;

    MessageContent(Letter letter, MessageWriter writer, DkimSettings dkim) {
        this.letter = letter;
        this.writer = writer;
        this.signer = dkim != null ? new DkimSigner(dkim) : null;
    }

    /** @return whether the message is signed: {@link #measure()} must then run before {@link #writeTo} */
    boolean signs() {
        return signer != null;
    }

    /**
     * @return the size of the message in bytes (see the class comment); a {@link #isSmall(Letter) small} message is
     *         written into memory on the way and later sent from there
     */
    long measure() throws IOException {
        if (isSmall(letter)) {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream(8 * 1024);
            writer.write(letter, buffer);
            rendered = buffer.toByteArray();
        }
        if (signer != null) {
            byte[] inMemory = rendered;
            signed = signer.sign(inMemory != null ? out -> out.write(inMemory) : out -> writer.write(letter, out));
            return signed.size();
        }
        return rendered != null ? rendered.length : writer.size(letter);
    }

    /** @return whether the letter is a raw message with a byte outside US-ASCII (read through once) */
    boolean isRawWith8bit() throws IOException {
        if (!letter.isRaw()) {
            return false;
        }
        byte[] buf = new byte[8192];
        try (InputStream in = letter.raw().open()) {
            int n;
            while ((n = in.read(buf)) > 0) {
                for (int i = 0; i < n; i++) {
                    if (buf[i] < 0) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /**
     * For a raw letter: an address in one of its address header fields ({@code From}, {@code Sender}, {@code To},
     * {@code Cc}, {@code Bcc}, {@code Reply-To}, the read-receipt fields, their {@code Resent-} forms) whose local
     * part has a byte outside US-ASCII, so the message needs {@code SMTPUTF8}. Only the header section is read.
     *
     * @return {@code "Reply-To address jörg@example.org"} (control characters replaced, shortened), or {@code null}
     *         when the letter is not raw or has no such address
     */
    String rawInternationalAddress() throws IOException {
        if (!letter.isRaw()) {
            return null;
        }
        try (InputStream in = letter.raw().open()) {
            return RawAddressHeaders.firstInternational(in);
        }
    }

    /** Writes the message: the bytes already in memory, or straight from the letter. */
    void writeTo(OutputStream out) throws IOException {
        if (signer != null) {
            if (signed == null) {
                throw new IllegalStateException("a signed message is measured before it is sent");
            }
            signed.writeTo(out);
        } else if (rendered != null) {
            out.write(rendered);
        } else {
            writer.write(letter, out);
        }
    }

    /**
     * @return the BDAT chunk size: a message held in memory goes in one chunk when it fits the configured size; one
     *         not known to be small goes in chunks of at least {@link #BIG_CHUNK_SIZE}, since every chunk waits for
     *         its reply
     */
    int chunkSize(int configured) {
        if (rendered != null) {
            long n = signed != null ? signed.size() : rendered.length;
            return (int) Math.max(1, Math.min(configured, n));
        }
        return isSmall(letter) ? configured : Math.max(configured, BIG_CHUNK_SIZE);
    }

    /** Whether the letter's content is known (from its parts' sizes) to fit {@link #RENDER_IN_MEMORY_LIMIT}. */
    static boolean isSmall(Letter letter) {
        if (letter.raw() != null) {
            long n = letter.raw().size();
            return n >= 0 && n <= RENDER_IN_MEMORY_LIMIT / 2; // bare LFs may become CRLF
        }
        // text: UTF-8 and quoted-printable may triple it; attachments: base64 (4/3 and line ends); headers
        long n = 3L * (length(letter.text()) + length(letter.html())) + 8 * 1024;
        for (var a : letter.attachments()) {
            long size = a.size();
            if (size < 0) {
                return false;
            }
            n += size / 3 * 4 + size / 38 + 1024;
        }
        return n <= RENDER_IN_MEMORY_LIMIT;
    }

    private static long length(String s) {
        return s == null ? 0 : s.length();
    }
}
