package io.github.smtpletter.letter;

import java.io.IOException;
import java.io.InputStream;

/**
 * Content that is opened lazily, every time it is needed (a message may be written twice: once to
 * count its size, once to send it). Implementations must return a fresh stream from each
 * {@link #open()} call, positioned at the start of the content.
 */
@FunctionalInterface
public interface ContentSource {

    /**
     * Opens the content. The caller closes the stream.
     *
     * @return a new stream over the whole content
     * @throws IOException when the content cannot be read
     */
    InputStream open() throws IOException;

    /** @return the content size in bytes, or {@code -1} when unknown */
    default long size() {
        return -1;
    }
}
