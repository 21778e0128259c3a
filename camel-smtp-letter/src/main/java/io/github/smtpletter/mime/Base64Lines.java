package io.github.smtpletter.mime;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Base64;

/**
 * The base64 content transfer encoding of an attachment (RFC 2045 section 6.8), streamed in constant memory: lines
 * of 76 characters, each followed by CRLF, and a last shorter line without CRLF (the multipart's own line break
 * follows it), byte for byte what Jakarta Mail's base64 encoder writes before it is closed (which also ends a last
 * line of 76 characters that has padding with CRLF).
 * <p>
 * The input is read in blocks of a multiple of 57 bytes (the input of one line), so every block encodes to whole
 * lines with the JDK's encoder, and the output goes on in whole blocks. The encoded length follows from the input
 * length alone ({@link #encodedLength(long)}).
 */
final class Base64Lines {

    /** Input bytes per line: 57 bytes give 76 characters. */
    static final int LINE_INPUT = 57;
    /** Output bytes per full line: 76 characters and CRLF. */
    static final int LINE_OUTPUT = 78;

    private static final int LINES_PER_BLOCK = 512;
    private static final byte[] CRLF = { '\r', '\n' };
    private static final Base64.Encoder ENCODER = Base64.getMimeEncoder(76, CRLF);

    private Base64Lines() {
    }

    /**
     * @param inputLength bytes of content
     * @return the bytes {@link #copy} writes for that much content
     */
    static long encodedLength(long inputLength) {
        if (inputLength < 0) {
            throw new IllegalArgumentException("negative length: " + inputLength);
        }
        long rest = inputLength % LINE_INPUT;
        // a full last line (rest 0) is counted in the first term; one of 55 or 56 bytes gets its CRLF added
        return inputLength / LINE_INPUT * LINE_OUTPUT + (rest + 2) / 3 * 4 + (rest >= LINE_INPUT - 2 ? 2 : 0);
    }

    /**
     * Whether the last line of the encoding of {@code inputLength > 0} bytes has all 76 characters and so is followed
     * by CRLF: 57 bytes, and also 55 or 56 bytes, whose padded last group fills the line too.
     */
    private static boolean endsFullLine(long inputLength) {
        long rest = inputLength % LINE_INPUT;
        return inputLength > 0 && (rest == 0 || rest >= LINE_INPUT - 2);
    }

    /**
     * Encodes everything {@code in} gives into {@code out}; neither is closed.
     *
     * @return the bytes of content read
     */
    static long copy(InputStream in, OutputStream out) throws IOException {
        byte[] block = new byte[LINES_PER_BLOCK * LINE_INPUT];
        byte[] encoded = new byte[LINES_PER_BLOCK * LINE_OUTPUT];
        long total = 0;
        int n;
        while ((n = in.readNBytes(block, 0, block.length)) == block.length) {
            int len = ENCODER.encode(block, encoded); // lines separated by CRLF: the block's last CRLF is missing
            encoded[len++] = '\r';
            encoded[len++] = '\n';
            out.write(encoded, 0, len);
            total += n;
        }
        if (n > 0) {
            int len = ENCODER.encode(Arrays.copyOf(block, n), encoded);
            if (endsFullLine(n)) {
                encoded[len++] = '\r';
                encoded[len++] = '\n';
            }
            out.write(encoded, 0, len);
            total += n;
        }
        return total;
    }
}
