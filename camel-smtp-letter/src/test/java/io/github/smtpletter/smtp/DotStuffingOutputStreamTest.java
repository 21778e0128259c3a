package io.github.smtpletter.smtp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DotStuffingOutputStreamTest {

    private static String stuffBulk(String in) throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        DotStuffingOutputStream out = new DotStuffingOutputStream(sink);
        out.write(in.getBytes(StandardCharsets.ISO_8859_1));
        out.finish();
        assertEquals(sink.size(), out.count());
        return sink.toString(StandardCharsets.ISO_8859_1);
    }

    private static String stuffBytewise(String in) throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        DotStuffingOutputStream out = new DotStuffingOutputStream(sink);
        for (byte b : in.getBytes(StandardCharsets.ISO_8859_1)) {
            out.write(b);
        }
        out.finish();
        return sink.toString(StandardCharsets.ISO_8859_1);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''                          | '.\r\n'",
            "'a'                         | 'a\r\n.\r\n'",
            "'a\r\n'                     | 'a\r\n.\r\n'",
            "'.'                         | '..\r\n.\r\n'",
            "'.\r\n'                     | '..\r\n.\r\n'",
            "'a\r\n.\r\nb'               | 'a\r\n..\r\nb\r\n.\r\n'",
            "'..x\r\n.y\r\n'             | '...x\r\n..y\r\n.\r\n'",
            "'a.b\r\n x.\r\n'            | 'a.b\r\n x.\r\n.\r\n'",
            "'a\nb'                      | 'a\r\nb\r\n.\r\n'",
            "'a\rb'                      | 'a\r\nb\r\n.\r\n'",
            "'a\r'                       | 'a\r\n.\r\n'",
            "'a\r\r\n'                   | 'a\r\n\r\n.\r\n'",
            "'x\n.\n'                    | 'x\r\n..\r\n.\r\n'",
            "'x\r.\r'                    | 'x\r\n..\r\n.\r\n'",
            "'\r\n\r\n'                  | '\r\n\r\n.\r\n'",
    })
    void stuffsAndTerminates(String in, String expected) throws IOException {
        assertEquals(expected, stuffBulk(in));
        assertEquals(expected, stuffBytewise(in));
    }

    @Test
    void contentCannotFakeTheEndOfData() throws IOException {
        String out = stuffBulk("Hi\n.\nMAIL FROM:<evil@x>\r\n.\r\nRCPT TO:<v@x>\r\n");
        // the only CRLF . CRLF is the final one
        assertEquals(out.length() - 5, out.indexOf("\r\n.\r\n"));
    }

    @Test
    void closeDoesNotFinishAndFinishIsIdempotent() throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        DotStuffingOutputStream out = new DotStuffingOutputStream(sink);
        out.write("partial".getBytes(StandardCharsets.US_ASCII));
        out.close();
        assertEquals("partial", sink.toString(StandardCharsets.US_ASCII));
        out.finish();
        out.finish();
        assertEquals("partial\r\n.\r\n", sink.toString(StandardCharsets.US_ASCII));
        assertThrows(IOException.class, () -> out.write('x'));
    }

    /** What the stream must write, from a plain string model: line ends normalised, leading dots doubled, the end. */
    private static String reference(String in) {
        String lines = in.replaceAll("\r\n|\r|\n", "\r\n");
        if (!lines.isEmpty() && !lines.endsWith("\r\n")) {
            lines += "\r\n";
        }
        StringBuilder sb = new StringBuilder();
        String[] split = lines.split("\r\n", -1); // the last element is the empty rest after the final CRLF
        for (int i = 0; i < split.length - 1; i++) {
            sb.append(split[i].startsWith(".") ? "." : "").append(split[i]).append("\r\n");
        }
        return sb.append(".\r\n").toString();
    }

    @Test
    void everySplitOfTheContentGivesTheSameBytes() throws IOException {
        String in = ".a\r\n.b\rc\n.\r\r\n..\n\r.x\r\n\r\n.\r";
        String expected = stuffBulk(in);
        assertEquals(expected, stuffBytewise(in));
        byte[] bytes = in.getBytes(StandardCharsets.ISO_8859_1);
        for (int a = 0; a <= bytes.length; a++) {
            for (int b = a; b <= bytes.length; b++) {
                ByteArrayOutputStream sink = new ByteArrayOutputStream();
                DotStuffingOutputStream out = new DotStuffingOutputStream(sink);
                out.write(bytes, 0, a);
                out.write(bytes, a, b - a);
                out.write(bytes, b, bytes.length - b);
                out.finish();
                assertEquals(expected, sink.toString(StandardCharsets.ISO_8859_1), "split at " + a + ", " + b);
                assertEquals(sink.size(), out.count());
            }
        }
    }

    @Test
    void randomContentMatchesAPlainModel() throws IOException {
        Random random = new Random(42);
        byte[] alphabet = { '\r', '\n', '.', 'a', ' ' };
        for (int round = 0; round < 2000; round++) {
            byte[] bytes = new byte[random.nextInt(40)];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = alphabet[random.nextInt(alphabet.length)];
            }
            String in = new String(bytes, StandardCharsets.ISO_8859_1);
            ByteArrayOutputStream sink = new ByteArrayOutputStream();
            DotStuffingOutputStream out = new DotStuffingOutputStream(sink);
            for (int off = 0; off < bytes.length;) {
                int n = Math.min(bytes.length - off, random.nextInt(8));
                out.write(bytes, off, n);
                off += n;
            }
            out.finish();
            assertEquals(reference(in), sink.toString(StandardCharsets.ISO_8859_1), in);
        }
    }
}
