package io.github.smtpletter.smtp;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import io.github.smtpletter.letter.Letter;

/**
 * A trivial message writer for session tests: "Subject: s" CRLF CRLF then the letter's text as given (so tests
 * control line ends and leading dots exactly). Optionally fails after a number of bytes.
 */
final class TestWriter implements MessageWriter {

    private final int failAfter;

    TestWriter() {
        this(-1);
    }

    private TestWriter(int failAfter) {
        this.failAfter = failAfter;
    }

    /** A writer that writes {@code n} bytes and then throws an IOException of its own (an unreadable attachment). */
    static TestWriter failingAfter(int n) {
        return new TestWriter(n);
    }

    static byte[] bytes(Letter letter) {
        String s = "Subject: " + letter.subject() + "\r\n\r\n" + (letter.text() == null ? "" : letter.text());
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void write(Letter letter, OutputStream out) throws IOException {
        byte[] b = bytes(letter);
        if (failAfter >= 0) {
            out.write(b, 0, Math.min(failAfter, b.length));
            throw new IOException("attachment /tmp/missing.pdf cannot be read");
        }
        // write in odd pieces to exercise the streams
        int off = 0;
        while (off < b.length) {
            int n = Math.min(7, b.length - off);
            out.write(b, off, n);
            off += n;
        }
        out.flush();
    }

    @Override
    public long size(Letter letter) {
        return bytes(letter).length;
    }
}
