package io.github.smtpletter.letter;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MailAddressTest {

    @Test
    void plainAddress() {
        MailAddress a = MailAddress.of("john.doe+tag@Example.org");
        assertEquals("john.doe+tag@Example.org", a.address());
        assertEquals("john.doe+tag", a.localPart());
        assertEquals("Example.org", a.domain());
        assertEquals("john.doe+tag@Example.org", a.asciiAddress());
        assertNull(a.displayName());
        assertFalse(a.isInternational());
        assertEquals("john.doe+tag@Example.org", a.toString());
    }

    @Test
    void surroundingSpacesAreIgnoredAndBlankDisplayNameIsNone() {
        MailAddress a = MailAddress.of("  a@b.example ", "   ");
        assertEquals("a@b.example", a.address());
        assertNull(a.displayName());
    }

    @Test
    void parseNameAndAngleAddress() {
        MailAddress a = MailAddress.parse("John Doe <john@example.org>");
        assertEquals("john@example.org", a.address());
        assertEquals("John Doe", a.displayName());
        assertEquals("John Doe <john@example.org>", a.toString());
    }

    @Test
    void parseQuotedDisplayNameWithComma() {
        MailAddress a = MailAddress.parse("\"Doe, John\" <john@example.org>");
        assertEquals("Doe, John", a.displayName());
        assertEquals("john@example.org", a.address());
        assertEquals("\"Doe, John\" <john@example.org>", a.toString());
        assertEquals(a.displayName(), MailAddress.parse(a.toString()).displayName());
    }

    @Test
    void parseQuotedDisplayNameWithEscapes() {
        MailAddress a = MailAddress.parse("\"Say \\\"hi\\\" <now>\" <x@example.org>");
        assertEquals("Say \"hi\" <now>", a.displayName());
        assertEquals("x@example.org", a.address());
        MailAddress back = MailAddress.parse(a.toString());
        assertEquals(a.displayName(), back.displayName());
        assertEquals(a.address(), back.address());
    }

    @Test
    void parseAngleOnlyAndBare() {
        assertNull(MailAddress.parse("<a@example.org>").displayName());
        assertEquals("a@example.org", MailAddress.parse("<a@example.org>").address());
        assertEquals("a@example.org", MailAddress.parse(" a@example.org ").address());
    }

    @Test
    void unicodeDisplayName() {
        MailAddress a = MailAddress.parse("Иван Петров <ivan@1c.ru>");
        assertEquals("Иван Петров", a.displayName());
        assertEquals("ivan@1c.ru", a.address());
    }

    @Test
    void idnDomainKeptAndConvertedToAscii() {
        MailAddress a = MailAddress.of("user@bücher.example");
        assertEquals("user@bücher.example", a.address());
        assertEquals("bücher.example", a.domain());
        assertEquals("user@xn--bcher-kva.example", a.asciiAddress());
        assertEquals("xn--bcher-kva.example", a.asciiDomain());
        assertFalse(a.isInternational(), "a Unicode domain alone does not need SMTPUTF8");
    }

    @Test
    void unicodeLocalPartIsInternational() {
        MailAddress a = MailAddress.of("пользователь@пример.рф");
        assertTrue(a.isInternational());
        assertEquals("пользователь@xn--e1afmkfd.xn--p1ai", a.asciiAddress());
    }

    @Test
    void quotedLocalPart() {
        MailAddress a = MailAddress.of("\"john doe\"@example.org");
        assertEquals("\"john doe\"", a.localPart());
        assertEquals("example.org", a.domain());
        MailAddress withAt = MailAddress.of("\"a@b\"@example.org");
        assertEquals("\"a@b\"", withAt.localPart());
        assertEquals("example.org", withAt.domain());
        assertEquals("\"john doe\"@example.org", MailAddress.parse("John <\"john doe\"@example.org>").address());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "\"a> NOTIFY=SUCCESS ORCPT=rfc822;evil@evil.test\"@example.org", "\"a<b\"@example.org",
            "\"a\\>b\"@example.org", "\"a\\<b\"@example.org", "\"a\tb\"@example.org", "\"a\\\u0001b\"@example.org"
    })
    void angleBracketsAndControlsInQuotedLocalPartRefusedByEveryPath(String spec) {
        InvalidLetterException of = assertThrows(InvalidLetterException.class, () -> MailAddress.of(spec));
        InvalidLetterException bare = assertThrows(InvalidLetterException.class, () -> MailAddress.parse(spec));
        InvalidLetterException angle = assertThrows(InvalidLetterException.class,
                () -> MailAddress.parse("Name <" + spec + ">"));
        InvalidLetterException list = assertThrows(InvalidLetterException.class,
                () -> MailAddress.parseList("ok@example.org, " + spec));
        for (InvalidLetterException e : List.of(of, bare, angle, list)) {
            assertEquals("address", e.field());
            assertFalse(e.getMessage().contains("\r") || e.getMessage().contains("\n") || e.getMessage().contains("\t"),
                    e.getMessage());
        }
        if (spec.chars().noneMatch(c -> c < 0x20)) { // control characters are refused before the local part is read
            for (InvalidLetterException e : List.of(of, bare, angle, list)) {
                assertTrue(e.reason().contains("quoted local part must not contain '<', '>' or control characters"),
                        e.reason());
            }
        }
    }

    @Test
    void otherCharactersInQuotedLocalPartsStayAllowed() {
        for (String spec : List.of("\"a b\"@example.org", "\"a,b;c:d\"@example.org", "\"a\\\"b\"@example.org",
                "\"jörg doe\"@example.org")) {
            assertEquals(MailAddress.of(spec), MailAddress.parse(spec));
            assertEquals(MailAddress.of(spec), MailAddress.parse("Name <" + spec + ">"));
        }
    }

    @Test
    void addressLiterals() {
        assertEquals("[192.0.2.1]", MailAddress.of("postmaster@[192.0.2.1]").domain());
        assertEquals("[IPv6:2001:db8::1]", MailAddress.of("postmaster@[IPv6:2001:db8::1]").domain());
        assertEquals("postmaster@[192.0.2.1]", MailAddress.of("postmaster@[192.0.2.1]").asciiAddress());
    }

    @Test
    void singleLabelDomainAllowed() {
        assertEquals("localhost", MailAddress.of("root@localhost").domain());
    }

    @Test
    void lengthLimits() {
        String local64 = "a".repeat(64);
        assertEquals(local64, MailAddress.of(local64 + "@example.org").localPart());
        InvalidLetterException e = assertThrows(InvalidLetterException.class,
                () -> MailAddress.of("a".repeat(65) + "@example.org"));
        assertTrue(e.reason().contains("64"), e.getMessage());
        // 254 octets total is fine, 255 is not
        String domain = "d".repeat(63) + "." + "d".repeat(63) + "." + "d".repeat(63) + "." + "d".repeat(57);
        assertEquals(249, domain.length());
        assertEquals(254, MailAddress.of("abcd@" + domain).address().length());
        e = assertThrows(InvalidLetterException.class, () -> MailAddress.of("abcde@" + domain));
        assertTrue(e.reason().contains("254"), e.getMessage());
    }

    @Test
    void equalityOnAddressDomainCaseInsensitive() {
        MailAddress a = MailAddress.of("John@Example.ORG", "John");
        MailAddress b = MailAddress.of("John@example.org", "Someone else");
        MailAddress c = MailAddress.of("john@example.org");
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, c, "the local part is case-sensitive");
        assertEquals(MailAddress.of("u@bücher.example"), MailAddress.of("u@xn--bcher-kva.example"));
    }

    @Test
    void parseListRespectsQuotesAndAngles() {
        List<MailAddress> list = MailAddress.parseList(
                "\"Doe, John\" <john@example.org>, jane@example.org,, <\"x,y\"@example.org> ,Bob <bob@example.org>");
        assertEquals(4, list.size());
        assertEquals("Doe, John", list.get(0).displayName());
        assertEquals("jane@example.org", list.get(1).address());
        assertEquals("\"x,y\"@example.org", list.get(2).address());
        assertEquals("Bob", list.get(3).displayName());
        assertThrows(UnsupportedOperationException.class, () -> list.add(MailAddress.of("a@b.c")));
    }

    @Test
    void parseListEmpty() {
        assertTrue(MailAddress.parseList("").isEmpty());
        assertTrue(MailAddress.parseList("  ").isEmpty());
        assertTrue(MailAddress.parseList(null).isEmpty());
    }

    @Test
    void withDisplayName() {
        MailAddress a = MailAddress.of("a@example.org").withDisplayName("A");
        assertEquals("A <a@example.org>", a.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "", "   ", "plain", "@example.org", "a@", "a..b@example.org", ".a@example.org", "a.@example.org",
            "a b@example.org", "a@example..org", "a@.example.org", "a@example.org.", "a@-example.org",
            "a@example-.org", "a@exa_mple.org", "a@exa mple.org", "a(b)@example.org", "a,b@example.org",
            "a@[300.1.1.1]", "a@[1.2.3]", "a@[IPv6:zz]", "a@[1.2.3.4", "\"unterminated@example.org",
            "\"a\"b\"@example.org", "a@b@", "a@xn--.org", "<a@example.org"
    })
    void invalidAddressesRejectedNamingTheInput(String input) {
        InvalidLetterException e = assertThrows(InvalidLetterException.class, () -> MailAddress.parse(input));
        assertEquals("address", e.field());
        assertTrue(e.getMessage().startsWith("Invalid letter field 'address': "), e.getMessage());
        if (!input.isBlank()) {
            assertTrue(e.reason().contains(Checks.quote(input.strip())), "reason should quote the input: " + e
                    .reason());
        }
    }

    @Test
    void longLabelRejected() {
        InvalidLetterException e = assertThrows(InvalidLetterException.class,
                () -> MailAddress.of("a@" + "l".repeat(64) + ".org"));
        assertEquals("address", e.field());
        assertTrue(e.reason().contains("63"), e.reason());
    }

    @Test
    void controlCharactersRejectedAndEscapedInMessage() {
        InvalidLetterException e = assertThrows(InvalidLetterException.class,
                () -> MailAddress.of("a@example.org\r\nRCPT TO:<evil@example.org>"));
        assertEquals("address", e.field());
        assertTrue(e.reason().contains("line break"), e.reason());
        assertTrue(e.getMessage().contains("\\r\\n"), e.getMessage());
        assertFalse(e.getMessage().contains("\r") || e.getMessage().contains("\n"), "message must be one safe line");

        e = assertThrows(InvalidLetterException.class, () -> MailAddress.of("a@example.org", "Evil\nBcc: x@y.z"));
        assertTrue(e.reason().contains("display name"), e.reason());

        e = assertThrows(InvalidLetterException.class, () -> MailAddress.of("a\0b@example.org"));
        assertTrue(e.reason().contains("NUL") && e.getMessage().contains("\\0"), e.getMessage());

        e = assertThrows(InvalidLetterException.class, () -> MailAddress.of("a\u0007b@example.org"));
        assertTrue(e.reason().contains("control") && e.getMessage().contains("\\u0007"), e.getMessage());
    }

    @Test
    void nullRejected() {
        assertEquals("address", assertThrows(InvalidLetterException.class, () -> MailAddress.of(null)).field());
        assertEquals("address", assertThrows(InvalidLetterException.class, () -> MailAddress.parse(null)).field());
    }
}
