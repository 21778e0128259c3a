package io.github.smtpletter.smtp.auth;

import javax.security.sasl.AuthenticationException;

/**
 * One SMTP authentication mechanism (RFC 4954), seen from the client side.
 *
 * <p>An instance serves exactly one authentication attempt: it may keep state between the initial response and
 * the challenges that follow, and it may fetch a fresh credential (an OAuth token, say) for that attempt. Create
 * instances through {@link AuthMechanisms} (or {@link AutoMechanismSelector});
 * drive them with {@link Authenticator}.
 *
 * <p>All byte arrays are raw (not base64): the {@link Authenticator} does the base64 coding of the wire.
 * Implementations must never put a secret (password, token, or anything derived from it) into an exception
 * message.
 */
interface AuthMechanism {

    /**
     * The mechanism name as sent after {@code AUTH} and as listed in the server's EHLO {@code AUTH} line, in upper
     * case: {@code "PLAIN"}, {@code "CRAM-MD5"}, {@code "DIGEST-MD5"} ...
     */
    String name();

    /**
     * Whether the exchange reveals the secret to anyone who can read the connection: true for {@code PLAIN},
     * {@code LOGIN} and {@code XOAUTH2} (whose bearer token is as good as a password). Such mechanisms are only used
     * over TLS unless the user allows clear-text authentication explicitly.
     */
    boolean sendsSecretInClear();

    /**
     * The initial response sent on the {@code AUTH} line itself.
     *
     * @return {@code null} when the mechanism has no initial response (the server speaks first); an empty array for
     *         an empty initial response (sent as {@code "="})
     * @throws AuthenticationException when the response cannot be produced (a credential is missing, say)
     */
    byte[] initialResponse() throws AuthenticationException;

    /**
     * Answers one server challenge (the decoded payload of a {@code 334} reply).
     *
     * @param challenge the decoded challenge, possibly empty, never {@code null}
     * @return the raw response; an empty array (or {@code null}) for an empty response line
     * @throws AuthenticationException when the challenge is unexpected or malformed; the client then cancels the
     *         exchange with {@code "*"}
     */
    byte[] evaluateChallenge(byte[] challenge) throws AuthenticationException;

    /**
     * Extra detail the mechanism learnt from the server about a failure, worth putting into the error message, or
     * {@code null}. {@code XOAUTH2} returns the server's decoded JSON error status here. Never contains a secret.
     */
    default String failureDetail() {
        return null;
    }

    /**
     * Called when the server accepts the login ({@code 235}); a mechanism that authenticates the server too (SCRAM)
     * refuses the success here when the server has not proven itself.
     *
     * @param  replyText               the text of the {@code 235} reply
     * @throws AuthenticationException when the mechanism does not accept the success
     */
    default void succeeded(String replyText) throws AuthenticationException {
    }

    /** Releases whatever the attempt held (a JDK {@code SaslClient}, copies of secrets). Called once, at the end. */
    default void dispose() {
    }
}
