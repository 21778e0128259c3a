package io.github.smtpletter.smtp;

import java.io.IOException;

/**
 * An SMTP level failure: a negative or unexpected reply, or a protocol/TLS problem. Carries the server's reply
 * when there is one. Messages never contain secrets.
 */
public class SmtpException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient SmtpReply reply;
    private final boolean retryable;

    /**
     * A failure without a reply; retryable.
     *
     * @param message what went wrong
     */
    public SmtpException(String message) {
        this(message, null, true, null);
    }

    /**
     * A failure without a reply, caused by another exception; retryable.
     *
     * @param message what went wrong
     * @param cause   the cause
     */
    public SmtpException(String message, Throwable cause) {
        this(message, null, true, cause);
    }

    /**
     * A failure caused by a negative/unexpected reply; retryable when the reply is transient (4xx).
     *
     * @param message what went wrong
     * @param reply   the server's reply, or {@code null} (then retryable)
     */
    public SmtpException(String message, SmtpReply reply) {
        this(message, reply, reply == null || reply.isTransient(), null);
    }

    /**
     * A failure with an explicit retryable flag.
     *
     * @param message   what went wrong
     * @param reply     the server's reply, or {@code null}
     * @param retryable whether trying again later may work
     */
    public SmtpException(String message, SmtpReply reply, boolean retryable) {
        this(message, reply, retryable, null);
    }

    /**
     * Full constructor.
     *
     * @param message   what went wrong
     * @param reply     the server's reply, or {@code null}
     * @param retryable whether trying again later may work
     * @param cause     the cause, or {@code null}
     */
    public SmtpException(String message, SmtpReply reply, boolean retryable, Throwable cause) {
        super(message, cause);
        this.reply = reply;
        this.retryable = retryable;
    }

    /** @return the server reply that caused this failure, or {@code null} */
    public SmtpReply reply() {
        return reply;
    }

    /** @return whether trying again later may succeed (transient reply or connection level problem) */
    public boolean isRetryable() {
        return retryable;
    }
}
