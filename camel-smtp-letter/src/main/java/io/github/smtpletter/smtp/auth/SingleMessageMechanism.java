package io.github.smtpletter.smtp.auth;

import javax.security.sasl.AuthenticationException;

/**
 * A mechanism whose whole exchange is one client message (PLAIN, ANONYMOUS): sent as the initial response, or as the
 * answer to the empty challenge of a server that did not take an initial response. Any other challenge, or a second
 * request for the message, is refused.
 */
abstract class SingleMessageMechanism implements AuthMechanism {

    private boolean sent;

    /** The message; asked for once. */
    protected abstract byte[] message() throws AuthenticationException;

    @Override
    public final byte[] initialResponse() throws AuthenticationException {
        return take();
    }

    @Override
    public final byte[] evaluateChallenge(byte[] challenge) throws AuthenticationException {
        if (challenge.length != 0) {
            throw new AuthenticationException(name() + " expects no server challenge, got a non-empty one");
        }
        return take();
    }

    private byte[] take() throws AuthenticationException {
        if (sent) {
            throw new AuthenticationException(name() + " sends its message only once; the server asked again");
        }
        sent = true;
        return message();
    }
}
