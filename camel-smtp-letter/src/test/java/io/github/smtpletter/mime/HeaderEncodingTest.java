package io.github.smtpletter.mime;

import jakarta.mail.internet.ContentDisposition;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.MimeUtility;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HeaderEncodingTest {

    @Test
    void asciiValuesStayPlain() throws Exception {
        assertEquals("Hello there", HeaderEncoding.unstructured("Subject", "Hello there"));
        assertEquals("application/pdf; name=a.pdf",
                HeaderEncoding.contentType(new ContentType("application/pdf"), "a.pdf"));
        assertEquals("attachment; filename=a.pdf", HeaderEncoding.contentDisposition("attachment", "a.pdf"));
    }

    @Test
    void aWordTooLongForALineIsSplitIntoEncodedWords() throws Exception {
        String value = "x".repeat(1200) + "\uD83D\uDE00".repeat(40);
        String folded = HeaderEncoding.unstructured("X-Long", value);
        for (String line : folded.split("\r\n")) {
            assertTrue(line.length() <= 76, line);
        }
        assertEquals(value, MimeUtility.decodeText(MimeUtility.unfold(folded)));
    }

    @Test
    void longNonAsciiFileNameGoesAsRfc2231ContinuationsThatNeverSplitACharacter() throws Exception {
        String name = "\uD83D\uDE00 отчёт ".repeat(12) + ".pdf";
        String value = HeaderEncoding.contentDisposition("attachment", name);
        assertTrue(value.startsWith("attachment;\r\n\tfilename*0*=UTF-8''"), value);
        for (String line : value.split("\r\n")) {
            assertTrue(line.length() <= 90, "values of at most 60 characters: " + line);
        }
        // Jakarta Mail decodes each continuation on its own: a split character would not decode
        ContentDisposition parsed = new ContentDisposition(MimeUtility.unfold(value));
        assertEquals(name, parsed.getParameter("filename"));
    }
}
