package io.github.smtpletter.smtp;

/** What happened to one letter. */
public enum SendStatus {
    /** The server accepted the message for every recipient (final reply 2xx). */
    SENT,
    /** The server accepted the message for some recipients; others were refused (see the recipient failures). */
    PARTIALLY_SENT,
    /** Refused permanently (5xx, or a letter-level problem such as SIZE or SMTPUTF8): do not retry unchanged. */
    REJECTED,
    /** Not handed over (connection problem, transient 4xx reply, broken before the end of data): safe to retry. */
    FAILED,
    /** The connection broke after the end of data was sent and before the reply: the server may have taken it. */
    UNKNOWN;

    /** @return {@code true} for {@link #FAILED} only: the letter was not delivered and may be sent again */
    public boolean isRetryable() {
        return this == FAILED;
    }
}
