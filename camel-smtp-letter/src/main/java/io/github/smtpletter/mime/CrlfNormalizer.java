package io.github.smtpletter.mime;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import io.github.smtpletter.letter.ContentSource;

/**
 * Line ends to CRLF: every CRLF, bare CR and bare LF becomes CRLF, in text (bodies) and in bytes (raw letters).
 */
final class CrlfNormalizer {

    private static final byte CR = '\r';
    private static final byte LF = '\n';
    private static final int BUFFER = 16 * 1024;

    private CrlfNormalizer() {
    }

    /** Turns every line break (CRLF, bare CR, bare LF) into CRLF; the same string when there is nothing to do. */
    static String normalize(String text) {
        StringBuilder sb = null;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            boolean crlf = c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n';
            boolean bare = (c == '\r' || c == '\n') && !crlf;
            if (bare && sb == null) {
                sb = new StringBuilder(n + 16).append(text, 0, i);
            }
            if (sb != null) {
                if (crlf) {
                    sb.append("\r\n");
                } else if (bare) {
                    sb.append("\r\n");
                    continue;
                } else {
                    sb.append(c);
                }
            }
            if (crlf) {
                i++;
            }
        }
        return sb == null ? text : sb.toString();
    }

    /**
     * Copies the source's bytes, bare CR or LF written as CRLF, a CRLF added at the end when missing (nothing is
     * added to empty content).
     */
    static void copy(ContentSource source, OutputStream out) throws IOException {
        byte[] buf = new byte[BUFFER];
        boolean pendingCr = false;
        boolean any = false;
        boolean endsWithLf = false;
        try (InputStream in = source.open()) {
            int n;
            while ((n = in.read(buf)) > 0) {
                any = true;
                for (int i = 0; i < n; i++) {
                    byte b = buf[i];
                    if (pendingCr) {
                        out.write(LF);
                        pendingCr = false;
                        endsWithLf = true;
                        if (b == LF) {
                            continue;
                        }
                    }
                    if (b == CR) {
                        out.write(CR);
                        pendingCr = true;
                    } else if (b == LF) {
                        out.write(CR);
                        out.write(LF);
                        endsWithLf = true;
                    } else {
                        out.write(b);
                        endsWithLf = false;
                    }
                }
            }
        }
        if (pendingCr) {
            out.write(LF);
        } else if (any && !endsWithLf) {
            out.write(CR);
            out.write(LF);
        }
    }
}
