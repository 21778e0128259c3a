package io.github.smtpletter.smtp;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SmtpReplyReaderTest {

    private static SmtpReplyReader reader(String text, boolean enhanced) {
        SmtpReplyReader r = new SmtpReplyReader(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
        r.enhancedStatusCodes(enhanced);
        return r;
    }

    @Test
    void singleLine() throws IOException {
        SmtpReply r = reader("250 OK\r\n", false).read();
        assertEquals(250, r.code());
        assertNull(r.enhancedCode());
        assertEquals(List.of("OK"), r.lines());
        assertEquals("OK", r.text());
        assertTrue(r.isPositive());
        assertTrue(r.isPositiveCompletion());
        assertEquals("250 OK", r.toString());
    }

    @Test
    void multiLineKeepsOrderAndReadsConsecutiveReplies() throws IOException {
        SmtpReplyReader reader = reader("250-mx.test Hello\r\n250-SIZE 1000\r\n250 PIPELINING\r\n354 go ahead\r\n",
                false);
        SmtpReply ehlo = reader.read();
        assertEquals(List.of("mx.test Hello", "SIZE 1000", "PIPELINING"), ehlo.lines());
        assertEquals("mx.test Hello\nSIZE 1000\nPIPELINING", ehlo.text());
        SmtpReply next = reader.read();
        assertEquals(354, next.code());
        assertTrue(next.isIntermediate());
    }

    @Test
    void enhancedCodesAreSplitOffEveryLineWhenEnabled() throws IOException {
        SmtpReply r = reader("550-5.1.1 No such user\r\n550 5.1.1 here\r\n", true).read();
        assertEquals("5.1.1", r.enhancedCode());
        assertEquals(List.of("No such user", "here"), r.lines());
        assertEquals("550 5.1.1 No such user\nhere", r.toString());
        assertTrue(r.isPermanent());
    }

    @Test
    void enhancedCodeOfTheWrongClassIsText() throws IOException {
        SmtpReply r = reader("250 5.0.0 odd\r\n", true).read();
        assertNull(r.enhancedCode());
        assertEquals("5.0.0 odd", r.text());
    }

    @Test
    void enhancedCodesAreTextWhenNotAnnounced() throws IOException {
        SmtpReply r = reader("250 2.0.0 Ok: queued as ABC\r\n", false).read();
        assertNull(r.enhancedCode());
        assertEquals("2.0.0 Ok: queued as ABC", r.text());
    }

    @Test
    void codeOnlyLinesAndBareLf() throws IOException {
        SmtpReplyReader reader = reader("250\n451-4.3.0\n451 4.3.0 try later\n", true);
        SmtpReply r = reader.read();
        assertEquals(250, r.code());
        assertEquals("", r.text());
        SmtpReply t = reader.read();
        assertEquals("4.3.0", t.enhancedCode());
        assertEquals("\ntry later", t.text());
        assertTrue(t.isTransient());
        assertFalse(t.isPositive());
    }

    @Test
    void malformedRepliesAreProtocolErrors() {
        assertThrows(SmtpException.class, () -> reader("hello\r\n", false).read());
        assertThrows(SmtpException.class, () -> reader("25\r\n", false).read());
        assertThrows(SmtpException.class, () -> reader("250xOK\r\n", false).read());
        assertThrows(SmtpException.class, () -> reader("999 what\r\n", false).read());
        SmtpException e = assertThrows(SmtpException.class,
                () -> reader("250-a\r\n251 b\r\n", false).read());
        assertTrue(e.getMessage().contains("inconsistent"), e.getMessage());
        assertThrows(SmtpException.class,
                () -> reader("250 " + "x".repeat(SmtpReplyReader.MAX_LINE) + "\r\n", false).read());
    }

    @Test
    void endOfStreamIsEof() {
        assertThrows(EOFException.class, () -> reader("", false).read());
        assertThrows(EOFException.class, () -> reader("250-more coming\r\n", false).read());
        assertThrows(EOFException.class, () -> reader("250 no line end", false).read());
    }

    @Test
    void utf8Text() throws IOException {
        assertEquals("größe", reader("250 größe\r\n", false).read().text());
    }
}
