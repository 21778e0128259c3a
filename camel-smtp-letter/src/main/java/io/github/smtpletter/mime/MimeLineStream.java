package io.github.smtpletter.mime;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

import jakarta.mail.util.LineOutputStream;

/**
 * The line stream a message is written through: header lines as Jakarta Mail's own line stream writes them, and
 * content passed on in whole arrays. (Jakarta Mail's line stream is a {@link FilterOutputStream} that does not
 * override {@code write(byte[], int, int)}, so everything written through it, such as every line of a base64 encoder,
 * would reach the stream below one byte at a time.)
 * <p>
 * A measuring stream writes nothing and counts the bytes that would have been written; {@link #addMeasured(long)}
 * counts content whose encoded length is known without encoding it.
 */
final class MimeLineStream extends FilterOutputStream implements LineOutputStream {

    private static final byte[] CRLF = { '\r', '\n' };

    private final boolean allowUtf8;
    private final boolean measuring;
    private long measured;

    private MimeLineStream(OutputStream out, boolean allowUtf8, boolean measuring) {
        super(out);
        this.allowUtf8 = allowUtf8;
        this.measuring = measuring;
    }

    /**
     * @param out       where the message goes
     * @param allowUtf8 header lines in UTF-8 (RFC 6532), else one byte per character like Jakarta Mail
     */
    static MimeLineStream writing(OutputStream out, boolean allowUtf8) {
        return new MimeLineStream(out, allowUtf8, false);
    }

    /** @param allowUtf8 as for {@link #writing} */
    static MimeLineStream measuring(boolean allowUtf8) {
        return new MimeLineStream(OutputStream.nullOutputStream(), allowUtf8, true);
    }

    /** @return whether this stream only counts */
    boolean isMeasuring() {
        return measuring;
    }

    /** Counts {@code n} bytes as written without writing them; only for a {@linkplain #isMeasuring measuring} stream. */
    void addMeasured(long n) {
        if (!measuring) {
            throw new IllegalStateException("not a measuring stream");
        }
        measured += n;
    }

    /** @return the bytes counted by a {@linkplain #isMeasuring measuring} stream */
    long measured() {
        return measured;
    }

    @Override
    public void write(int b) throws IOException {
        if (measuring) {
            measured++;
        } else {
            out.write(b);
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (measuring) {
            measured += len;
        } else {
            out.write(b, off, len);
        }
    }

    @Override
    public void writeln(String s) throws IOException {
        byte[] bytes;
        if (allowUtf8) {
            bytes = s.getBytes(StandardCharsets.UTF_8);
        } else {
            // like Jakarta Mail: the low byte of each character (the header lines written here are ASCII)
            bytes = new byte[s.length()];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = (byte) s.charAt(i);
            }
        }
        write(bytes, 0, bytes.length);
        write(CRLF, 0, CRLF.length);
    }

    @Override
    public void writeln() throws IOException {
        write(CRLF, 0, CRLF.length);
    }
}
