package io.github.smtpletter.mime.dkim;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * Takes a whole message (CRLF line ends, not dot-stuffed), passes it on unchanged when given a stream to pass it to,
 * counts it, keeps its header section (bounded: header sections are small) and hashes its body through the relaxed
 * body canonicalisation. The body is never held: memory stays constant whatever the size of the message.
 */
final class MessageHashingStream extends OutputStream {

    /** The most header bytes kept; a message with a bigger header section cannot be signed. */
    static final int MAX_HEADER_SECTION = 1024 * 1024;

    private final OutputStream forward;
    private final ByteArrayOutputStream header = new ByteArrayOutputStream(4096);
    private final MessageDigest digest;
    private final RelaxedBodyStream body;
    /** How much of CRLF CRLF ended the header bytes so far (the message start counts as a CRLF). */
    private int matched = 2;
    private boolean inBody;
    private long count;
    private byte[] headerSection;
    private byte[] bodyHash;

    /** @param forward where the message goes on to unchanged, or {@code null} */
    MessageHashingStream(OutputStream forward) {
        this.forward = forward;
        try {
            this.digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
        this.body = new RelaxedBodyStream(digest);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] { (byte) b }, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (forward != null) {
            forward.write(b, off, len);
        }
        count += len;
        if (inBody) {
            body.write(b, off, len);
            return;
        }
        int end = off + len;
        for (int i = off; i < end; i++) {
            byte c = b[i];
            matched = c == (matched % 2 == 0 ? '\r' : '\n') ? matched + 1 : c == '\r' ? 1 : 0;
            if (matched == 4) {
                header.write(b, off, i + 1 - off);
                inBody = true;
                body.write(b, i + 1, end - i - 1);
                return;
            }
        }
        if (header.size() + len > MAX_HEADER_SECTION) {
            throw new IOException("the header section is bigger than " + MAX_HEADER_SECTION + " bytes: not signed");
        }
        header.write(b, off, len);
    }

    @Override
    public void flush() throws IOException {
        if (forward != null) {
            forward.flush();
        }
    }

    /** Does not close the stream passed on to. */
    @Override
    public void close() {
        finish();
    }

    /** Ends the message; {@link #headerSection()} and {@link #bodyHash()} are then known. */
    void finish() {
        if (bodyHash != null) {
            return;
        }
        byte[] h = header.toByteArray();
        // without the empty line that separates the body (a message that starts with it has no header field)
        headerSection = inBody ? Arrays.copyOf(h, Math.max(0, h.length - 2)) : h;
        body.finish();
        bodyHash = digest.digest();
    }

    /** @return the bytes written so far */
    long count() {
        return count;
    }

    /** @return the header fields, each with its CRLF, without the empty line (after {@link #finish()}) */
    byte[] headerSection() {
        return headerSection;
    }

    /** @return SHA-256 of the canonicalised body (after {@link #finish()}) */
    byte[] bodyHash() {
        return bodyHash;
    }
}
