package io.github.smtpletter.mime;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class CrlfNormalizerTest {

    @Test
    void textWithCrlfOnlyIsReturnedAsIs() {
        String text = "a\r\nb\r\n";
        assertSame(text, CrlfNormalizer.normalize(text));
    }

    @Test
    void bareCrAndLfBecomeCrlf() {
        assertEquals("a\r\nb\r\nc\r\n\r\nd\r\n", CrlfNormalizer.normalize("a\nb\rc\r\n\nd\r"));
    }

    @Test
    void bytesAreCopiedWithCrlfAndAFinalLineEnd() throws IOException {
        assertEquals("a\r\nb\r\nc\r\n", copy("a\nb\rc"));
        assertEquals("a\r\n", copy("a\r\n"));
        assertEquals("", copy(""), "empty content stays empty");
    }

    private static String copy(String s) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CrlfNormalizer.copy(() -> new ByteArrayInputStream(s.getBytes(StandardCharsets.US_ASCII)), out);
        return out.toString(StandardCharsets.US_ASCII);
    }
}
