package io.github.smtpletter.smtp;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;

/**
 * Streams message content for the SMTP DATA command (RFC 5321 section 4.5.2): a line starting with {@code "."}
 * gets a second dot, and {@link #finish()} ends the data with {@code CRLF . CRLF}, adding the CRLF when the
 * content does not end with a line break.
 * <p>
 * Line ends are normalised on the way: a bare CR or a bare LF becomes CRLF. Besides keeping the data valid
 * (RFC 5321 section 2.3.8), this means the content can never contain an end-of-data look-alike such as
 * {@code LF . LF} that a lenient server might honour ("SMTP smuggling").
 * <p>
 * Closing this stream does nothing (see {@link #close()}); {@link #finish()} ends the data. Nothing is buffered here
 * besides a pending CR; the underlying stream is expected to be buffered.
 */
final class DotStuffingOutputStream extends FilterOutputStream {

    private static final byte CR = '\r';
    private static final byte LF = '\n';
    private static final byte[] CRLF = { CR, LF };
    private static final byte[] END = { '.', CR, LF };

    private boolean lineStart = true;
    private boolean pendingCr;
    private boolean finished;
    private long count;

    DotStuffingOutputStream(OutputStream out) {
        super(out);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] { (byte) b }, 0, 1);
    }

    /**
     * Scans the array once and passes the runs between changes on in one write each: a CRLF inside the array stays
     * in its run, so only a dot at a line start, a bare CR or LF, and a CR at the end of the array split it.
     */
    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (finished) {
            throw new IOException("message data already finished");
        }
        Objects.checkFromIndexSize(off, len, b.length);
        int end = off + len;
        int runStart = off; // bytes [runStart, i) are content not yet written, passed on unchanged
        int i = off;
        if (pendingCr && i < end) {
            // the CR that ended the previous write: with this LF a line end, else a bare CR
            emit(CRLF);
            pendingCr = false;
            lineStart = true;
            if (b[i] == LF) {
                runStart = ++i;
            }
        }
        boolean atLineStart = lineStart;
        for (; i < end; i++) {
            byte c = b[i];
            if (c == CR) {
                if (i + 1 == end) {
                    // the LF may come with the next write: hold the CR back
                    flushRun(b, runStart, i);
                    runStart = end;
                    pendingCr = true;
                } else if (b[i + 1] == LF) {
                    i++; // CRLF, unchanged
                } else {
                    flushRun(b, runStart, i); // bare CR
                    emit(CRLF);
                    runStart = i + 1;
                }
                atLineStart = true;
            } else if (c == LF) {
                flushRun(b, runStart, i); // bare LF
                emit(CRLF);
                runStart = i + 1;
                atLineStart = true;
            } else {
                if (atLineStart && c == '.') {
                    flushRun(b, runStart, i);
                    runStart = i; // the dot itself goes with the run
                    out.write('.');
                    count++;
                }
                atLineStart = false;
            }
        }
        lineStart = atLineStart;
        flushRun(b, runStart, end);
    }

    private void flushRun(byte[] b, int from, int to) throws IOException {
        if (to > from) {
            out.write(b, from, to - from);
            count += to - from;
        }
    }

    private void emit(byte[] bytes) throws IOException {
        out.write(bytes);
        count += bytes.length;
    }

    /**
     * Ends the data: completes the last line when needed and writes {@code "." CRLF}, then flushes.
     * Idempotent.
     */
    void finish() throws IOException {
        finish(true);
    }

    /**
     * Ends the data like {@link #finish()}; with {@code flush == false} the end stays in the underlying buffer, for
     * the next commands to join it in one flight (RFC 2920 section 3.1).
     */
    void finish(boolean flush) throws IOException {
        if (finished) {
            return;
        }
        if (pendingCr || !lineStart) {
            emit(CRLF);
            pendingCr = false;
            lineStart = true;
        }
        emit(END);
        finished = true;
        if (flush) {
            out.flush();
        }
    }

    /**
     * Does not flush: the message writer's own flush at the end of the content would otherwise send the content in a
     * packet of its own, ahead of the end of data. The session flushes when the flight is complete ({@link #finish()}
     * or the next letter's commands); a long message still leaves in full buffers.
     */
    @Override
    public void flush() {
        // intentionally empty
    }

    /** @return bytes written to the underlying stream so far */
    long count() {
        return count;
    }

    /**
     * Does nothing: only an explicit {@link #finish()} ends the data, so a writer that closes the stream while
     * failing can never make a truncated message look complete. The underlying stream stays open.
     */
    @Override
    public void close() {
        // intentionally empty
    }
}
