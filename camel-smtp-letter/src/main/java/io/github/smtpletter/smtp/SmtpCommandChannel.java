package io.github.smtpletter.smtp;

import java.io.IOException;

import javax.net.ssl.SSLSession;

/**
 * One command/reply round trip on an open session, as the authenticator in {@code smtp.auth} needs it. Public only
 * because that package is separate; not meant for users.
 */
public interface SmtpCommandChannel {

    /**
     * Sends one line (without CRLF) and reads the whole (multi-line) reply.
     *
     * @param line      the command line, without the trailing CRLF
     * @param sensitive {@code true} when the line carries a secret; it is then never logged
     *                  (logged as {@code "AUTH <mech> ****"} or {@code "****"})
     * @return the server's reply, whatever its code
     * @throws IOException when the connection fails or the reply cannot be read
     */
    SmtpReply exchange(String line, boolean sensitive) throws IOException;

    /**
     * The TLS session of the connection, for channel binding (SCRAM {@code -PLUS}).
     *
     * @return the session, or {@code null} when the connection has no TLS
     */
    default SSLSession tlsSession() {
        return null;
    }
}
