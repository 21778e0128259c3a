package io.github.smtpletter.mime.dkim;

import java.io.OutputStream;
import java.security.MessageDigest;

/**
 * The "relaxed" body canonicalisation of RFC 6376 section 3.4.4, streamed into a digest at constant memory: runs of
 * spaces and tabs within a line become one space, spaces and tabs at the end of a line go, empty lines at the end of
 * the body go, and a body that is not empty ends with one CRLF.
 * <p>
 * Whitespace and line ends are held back (as counts) until the next visible byte shows whether they are inside the
 * body or trailing, so a run of whitespace or empty lines may span any number of writes. Lines end with CRLF; a CR
 * not followed by LF is an ordinary byte.
 */
final class RelaxedBodyStream extends OutputStream {

    private static final int CR = '\r';
    private static final int LF = '\n';

    private final MessageDigest digest;
    private final byte[] out = new byte[16 * 1024];
    private int used;
    /** A space or tab run seen on the current line and not yet written. */
    private boolean pendingSpace;
    /** Line ends seen since the last visible byte and not yet written. */
    private long pendingLines;
    /** The previous byte was a CR whose meaning depends on the next byte. */
    private boolean pendingCr;
    /** Whether any visible byte was written (the body is not empty). */
    private boolean any;
    private boolean finished;

    RelaxedBodyStream(MessageDigest digest) {
        this.digest = digest;
    }

    @Override
    public void write(int b) {
        write(new byte[] { (byte) b }, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
        if (finished) {
            throw new IllegalStateException("body already finished");
        }
        byte[] o = out;
        int n = used;
        boolean space = pendingSpace;
        boolean cr = pendingCr;
        boolean seen = false;
        int end = off + len;
        for (int i = off; i < end; i++) {
            int c = b[i];
            if (cr) {
                cr = false;
                if (c == LF) {
                    space = false;
                    pendingLines++;
                    continue;
                }
                // a lone CR is an ordinary byte
                n = visible(o, n, space, CR);
                space = false;
            }
            if (c == ' ' || c == '\t') {
                space = true;
            } else if (c == CR) {
                cr = true;
            } else {
                if (n > o.length - 4 || pendingLines > 0) {
                    n = visible(o, n, space, c);
                } else {
                    if (space) {
                        o[n++] = ' ';
                    }
                    o[n++] = (byte) c;
                    seen = true;
                }
                space = false;
            }
        }
        used = n;
        any |= seen;
        pendingSpace = space;
        pendingCr = cr;
    }

    /** Writes the held-back line ends and space, then {@code c}; returns the new fill of the buffer. */
    private int visible(byte[] o, int n, boolean space, int c) {
        while (pendingLines > 0) {
            if (n > o.length - 2) {
                digest.update(o, 0, n);
                n = 0;
            }
            o[n++] = CR;
            o[n++] = LF;
            pendingLines--;
        }
        if (n > o.length - 2) {
            digest.update(o, 0, n);
            n = 0;
        }
        if (space) {
            o[n++] = ' ';
        }
        o[n++] = (byte) c;
        any = true;
        return n;
    }

    /** Ends the body: a trailing CR counts as a byte; a body that is not empty ends with exactly one CRLF. */
    void finish() {
        if (finished) {
            return;
        }
        if (pendingCr) {
            used = visible(out, used, pendingSpace, CR);
            pendingCr = false;
        }
        if (any) {
            if (used > out.length - 2) {
                digest.update(out, 0, used);
                used = 0;
            }
            out[used++] = CR;
            out[used++] = LF;
        }
        digest.update(out, 0, used);
        used = 0;
        finished = true;
    }
}
