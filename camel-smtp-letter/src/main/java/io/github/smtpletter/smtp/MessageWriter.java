package io.github.smtpletter.smtp;

import java.io.IOException;
import java.io.OutputStream;

import io.github.smtpletter.letter.Letter;
import io.github.smtpletter.mime.LetterMimeWriter;

/**
 * Produces the bytes of a letter's message (RFC 5322, CRLF line ends, not dot-stuffed). The production one is
 * {@link LetterMimeWriter}; tests plug in their own to control the content or make it fail mid-way.
 */
interface MessageWriter {

    /** Writes the message to {@code out} (streamed; must not close it). */
    void write(Letter letter, OutputStream out) throws IOException;

    /** @return the exact number of bytes {@link #write} produces */
    long size(Letter letter) throws IOException;

    /** The Jakarta Mail based writer of package {@code mime}. */
    static MessageWriter mime() {
        LetterMimeWriter w = new LetterMimeWriter();
        return new MessageWriter() {
            @Override
            public void write(Letter letter, OutputStream out) throws IOException {
                w.write(letter, out);
            }

            @Override
            public long size(Letter letter) throws IOException {
                return w.size(letter);
            }
        };
    }
}
