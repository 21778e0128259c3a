package io.github.smtpletter.smtp;

/**
 * Authentication failed or could not be attempted (no common mechanism, plaintext refused, bad credentials...).
 * Retryable only when the server answered with a transient (4xx) reply. Neither its message, nor its reply, nor its
 * cause shows a password or token, also when the server quoted one back: a cause that would is kept as a copy with
 * the secret masked.
 */
public class SmtpAuthException extends SmtpException {

    private static final long serialVersionUID = 1L;

    /**
     * A failure detected on the client side (not retryable: the configuration must change).
     *
     * @param message what went wrong, without secrets
     */
    public SmtpAuthException(String message) {
        super(message, null, false, null);
    }

    /**
     * A failure detected on the client side, with a cause (not retryable).
     *
     * @param message what went wrong, without secrets
     * @param cause   the cause
     */
    public SmtpAuthException(String message, Throwable cause) {
        super(message, null, false, cause);
    }

    /**
     * A failure reported by the server; retryable when the reply is 4xx (e.g. 454).
     *
     * @param message what went wrong, without secrets
     * @param reply   the server's reply
     */
    public SmtpAuthException(String message, SmtpReply reply) {
        super(message, reply, reply != null && reply.isTransient(), null);
    }

    /**
     * Full constructor.
     *
     * @param message   what went wrong, without secrets
     * @param reply     the server's reply, or {@code null}
     * @param retryable whether trying again later may work
     * @param cause     the cause, or {@code null}
     */
    public SmtpAuthException(String message, SmtpReply reply, boolean retryable, Throwable cause) {
        super(message, reply, retryable, cause);
    }
}
