package io.github.smtpletter.smtp.auth;

import java.nio.charset.StandardCharsets;

import javax.security.sasl.AuthenticationException;

/**
 * {@code LOGIN}: the old, unregistered mechanism many servers still offer. The server prompts twice with
 * {@code 334 VXNlcm5hbWU6} ("Username:") and {@code 334 UGFzc3dvcmQ6} ("Password:"); the client answers the user
 * name, then the password, whatever the prompts say (servers word them differently). There is no initial response.
 * The password travels in clear (only base64 coded).
 */
final class LoginMechanism implements AuthMechanism {

    /** The name sent after {@code AUTH}. */
    public static final String NAME = "LOGIN";

    private final String username;
    private String password;
    private int step;

    /**
     * @param username the user name, not empty
     * @param password the password, not empty
     * @throws IllegalArgumentException when either is missing
     */
    public LoginMechanism(String username, String password) {
        if (username == null || username.isEmpty()) {
            throw new IllegalArgumentException("LOGIN authentication needs a non-empty username");
        }
        if (password == null || password.isEmpty()) {
            throw new IllegalArgumentException("LOGIN authentication needs a non-empty password");
        }
        this.username = username;
        this.password = password;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean sendsSecretInClear() {
        return true;
    }

    @Override
    public byte[] initialResponse() {
        return null;
    }

    @Override
    public byte[] evaluateChallenge(byte[] challenge) throws AuthenticationException {
        step++;
        if (step == 1) {
            return username.getBytes(StandardCharsets.UTF_8);
        }
        if (step == 2 && password != null) {
            return password.getBytes(StandardCharsets.UTF_8);
        }
        throw new AuthenticationException("LOGIN expects two prompts (user name, password); the server sent a third");
    }

    @Override
    public void dispose() {
        password = null;
    }
}
