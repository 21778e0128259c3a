package io.github.smtpletter.smtp;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SmtpCapabilitiesTest {

    @Test
    void parsesExtensionsFromEhlo() {
        SmtpReply ehlo = new SmtpReply(250, null, List.of("mx.example.org Hello client", "PIPELINING",
                "SIZE 10240000", "auth plain LOGIN cram-md5", "AUTH=LOGIN XOAUTH2", "8BITMIME", "SMTPUTF8", "DSN",
                "STARTTLS", "ENHANCEDSTATUSCODES", "CHUNKING", "X-CUSTOM a b"));
        SmtpCapabilities c = SmtpCapabilities.parse(ehlo);
        assertEquals("mx.example.org", c.serverName());
        assertNotEquals("{HELO}", c.toString(), "from EHLO");
        for (String k : List.of("PIPELINING", "SIZE", "AUTH", "8BITMIME", "SMTPUTF8", "DSN", "STARTTLS",
                "ENHANCEDSTATUSCODES", "CHUNKING", "x-custom")) {
            assertTrue(c.has(k), k);
        }
        assertEquals(10240000L, c.sizeLimit());
        assertEquals(Set.of("PLAIN", "LOGIN", "CRAM-MD5", "XOAUTH2"), c.authMechanisms());
        assertEquals(List.of("a", "b"), c.params("X-CUSTOM"));
        assertFalse(c.has("BINARYMIME"));
    }

    @Test
    void sizeWithoutLimitAndAbsent() {
        assertEquals(0, SmtpCapabilities.parse(new SmtpReply(250, null, List.of("x", "SIZE"))).sizeLimit());
        assertEquals(0, SmtpCapabilities.parse(new SmtpReply(250, null, List.of("x", "SIZE junk"))).sizeLimit());
        assertEquals(-1, SmtpCapabilities.parse(new SmtpReply(250, null, List.of("x"))).sizeLimit());
        assertEquals(-1, SmtpCapabilities.none().sizeLimit());
        assertTrue(SmtpCapabilities.none().authMechanisms().isEmpty());
        assertEquals("{HELO}", SmtpCapabilities.none().toString(), "as after a HELO fallback");
    }
}
