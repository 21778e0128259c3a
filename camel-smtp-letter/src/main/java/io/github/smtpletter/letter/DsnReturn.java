package io.github.smtpletter.letter;

/** What a delivery status notification returns of the letter (RFC 3461 {@code RET} parameter of {@code MAIL FROM}). */
public enum DsnReturn {
    /** The whole letter. */
    FULL,
    /** Only the headers of the letter. */
    HEADERS
}
