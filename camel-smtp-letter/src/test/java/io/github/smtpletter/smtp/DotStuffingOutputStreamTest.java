package io.github.smtpletter.smtp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

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
}
