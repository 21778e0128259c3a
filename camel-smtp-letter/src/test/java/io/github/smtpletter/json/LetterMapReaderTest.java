package io.github.smtpletter.json;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.smtpletter.letter.Attachment;
import io.github.smtpletter.letter.Importance;
import io.github.smtpletter.letter.InvalidLetterException;
import io.github.smtpletter.letter.Letter;
import io.github.smtpletter.letter.MailAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one Map reader behind JSON letters and Map bodies. */
class LetterMapReaderTest {

    private final LetterMapReader lenient = new LetterMapReader(null, false);

    @TempDir
    Path dir;

    private static Map<String, Object> letter(Object... pairs) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("from", "a@example.org");
        m.put("to", "b@example.org");
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((String) pairs[i], pairs[i + 1]);
        }
        return m;
    }

    @Test
    void javaValuesAreTakenBesideTheirJsonForms() throws Exception {
        Attachment logo = Attachment.of("logo.png", new byte[] { 1, 2 });
        Letter l = lenient.read(letter("from", MailAddress.of("a@example.org", "Ann"),
                "cc", List.of(MailAddress.parse("c@example.org"), "D <d@example.org>"),
                "importance", Importance.HIGH, "createdAt", Instant.parse("2025-01-31T12:00:00Z"),
                "headers", Map.of("X-Count", 3, "X-Flag", true),
                "attachments", List.of(logo, Map.of("name", "b.bin", "content", new byte[] { 7 }))));
        assertEquals("Ann", l.from().displayName());
        assertEquals(2, l.cc().size());
        assertEquals(Importance.HIGH, l.importance());
        assertEquals(Instant.parse("2025-01-31T12:00:00Z"), l.createdAt());
        assertEquals(Map.of("X-Count", "3", "X-Flag", "true"), l.headers());
        assertEquals(2, l.attachments().size());
        try (InputStream in = l.attachments().get(1).source().open()) {
            assertEquals(7, in.read());
        }
    }

    @Test
    void theFallbackFillsOnlyWhatTheMapLacks() {
        Map<String, Object> fallback = Map.of("from", "f@example.org", "to", "t@example.org", "cc", "c@example.org",
                "subject", "fallback", "text", "never taken");
        Letter l = lenient.read(letter("from", null, "subject", "own"), fallback::get);
        assertEquals("f@example.org", l.from().address());
        assertEquals("b@example.org", l.to().get(0).address());
        assertEquals("c@example.org", l.cc().get(0).address());
        assertEquals("own", l.subject());
        assertNull(l.text(), "only addressing and subject fall back");
    }

    @Test
    void anAttachmentHasExactlyOneSource() {
        InvalidLetterException e = assertThrows(InvalidLetterException.class, () -> lenient.read(letter(
                "attachments", List.of(Map.of("name", "a.txt", "content", "x", "base64", "eA==")))));
        assertEquals("attachments", e.field());
        assertTrue(e.getMessage().contains("exactly one"), e.getMessage());
    }

    @Test
    void pathsOnlyFromTheAttachmentDirectory() throws Exception {
        Path file = Files.writeString(dir.resolve("r.csv"), "q\n");
        Map<String, Object> map = letter("attachments", List.of(Map.of("path", file.toString())));
        InvalidLetterException refused = assertThrows(InvalidLetterException.class, () -> lenient.read(map));
        assertTrue(refused.getMessage().contains("file paths are not accepted"), refused.getMessage());
        Letter l = new LetterMapReader(dir, false).read(map);
        assertEquals("r.csv", l.attachments().get(0).name());
        try (InputStream in = l.attachments().get(0).source().open()) {
            assertEquals("q\n", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void aStrictReaderNamesAnUnknownMemberALenientOneIgnoresIt() {
        Map<String, Object> map = letter("bc", "c@example.org");
        InvalidLetterException e = assertThrows(InvalidLetterException.class,
                () -> new LetterMapReader(null, true).read(map));
        assertEquals("bc", e.field());
        assertEquals(1, lenient.read(map).recipients().size());
    }

    @Test
    void nonScalarTextIsRefusedNamingTheField() {
        InvalidLetterException e = assertThrows(InvalidLetterException.class,
                () -> lenient.read(letter("subject", List.of("a", "b"))));
        assertEquals("subject", e.field());
    }
}
