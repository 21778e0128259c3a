package io.github.smtpletter.letter;

/** When a delivery status notification is wanted (RFC 3461 {@code NOTIFY} parameter of {@code RCPT TO}). */
public enum DsnNotify {
    /** Notify on successful delivery. */
    SUCCESS,
    /** Notify on delivery failure. */
    FAILURE,
    /** Notify when delivery is delayed. */
    DELAY,
    /** Never notify; cannot be combined with the other values. */
    NEVER
}
