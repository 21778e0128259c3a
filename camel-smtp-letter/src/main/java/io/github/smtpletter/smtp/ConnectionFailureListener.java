package io.github.smtpletter.smtp;

import java.io.IOException;

/**
 * Told by {@link SmtpClient} when opening a connection for sending fails: the server could not be reached, or TLS,
 * the greeting, EHLO or authentication failed. Lets a caller learn that a server is away from real sends, without
 * probing it. Called on the sending thread; must be quick and must not throw.
 */
@FunctionalInterface
public interface ConnectionFailureListener {

    /**
     * Opening a connection failed.
     *
     * @param parameters the parameters the connection was opened with
     * @param failure    why (an {@link SmtpException}, with the server's reply when it gave one, or an I/O
     *                   exception); its message carries no secret
     */
    void connectionFailed(SmtpConnectionParameters parameters, IOException failure);
}
