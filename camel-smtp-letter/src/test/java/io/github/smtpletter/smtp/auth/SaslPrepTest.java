package io.github.smtpletter.smtp.auth;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SASLprep (RFC 4013): the examples of its section 3, and each table. */
class SaslPrepTest {

    private static String prep(String s) {
        return SaslPrep.prepare("username", s, true);
    }

    private static String refused(String s) {
        return assertThrows(IllegalArgumentException.class, () -> prep(s)).getMessage();
    }

    @Test
    void rfc4013Examples() {
        assertEquals("IX", prep("I\u00ADX"));
        assertEquals("user", prep("user"));
        assertEquals("USER", prep("USER"));
        assertEquals("a", prep("\u00AA"));
        assertEquals("IX", prep("\u2168"));
        assertTrue(refused("\u0007").contains("U+0007"));
        assertTrue(refused("\u0627\u0031").contains("bidirectional"));
    }

    @Test
    void mappings() {
        assertEquals("a b c d", prep("a\u00A0b\u3000c\u2003d"));
        assertEquals("ab", prep("a\u00AD\uFEFF\u180Bb"));
        assertEquals("a b", prep("a\u200Bb"));
        assertEquals("\u00E9", prep("e\u0301"));
    }

    @Test
    void prohibitedOutput() {
        for (String s : new String[] { "a\u0085", "a\u200E", "a\uE000", "a\uFDD0", "a\uFFFF", "a\uD800", "a\uFFFD",
                "a\u2FF0", "a\u206A", "a" + new String(Character.toChars(0xE0041)),
                "a" + new String(Character.toChars(0x1D173)), "a" + new String(Character.toChars(0x10FFFD)) }) {
            assertTrue(refused(s).contains("prohibits"), s);
        }
    }

    @Test
    void rightToLeftText() {
        assertEquals("\u0627\u0628", prep("\u0627\u0628"));
        assertEquals("\u0627 1 \u0628", prep("\u0627 1 \u0628"));
        assertTrue(refused("\u0627a\u0628").contains("bidirectional"));
        assertTrue(refused("1\u0627").contains("bidirectional"));
    }

    @Test
    void unassignedCodePointsAreAllowedAsForAQuery() {
        String unassigned = new String(Character.toChars(0x50000));
        assertEquals(unassigned, prep(unassigned));
    }

    @Test
    void passwordsAreNeverQuoted() {
        String msg = assertThrows(IllegalArgumentException.class,
                () -> SaslPrep.prepare("password", "hunter2\u0000", false)).getMessage();
        assertTrue(msg.startsWith("password contains"), msg);
        assertTrue(!msg.contains("hunter2") && !msg.contains("U+0000"), msg);
    }
}
