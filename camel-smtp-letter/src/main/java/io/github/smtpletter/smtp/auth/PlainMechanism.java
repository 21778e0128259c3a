package io.github.smtpletter.smtp.auth;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import javax.security.sasl.AuthenticationException;

/**
 * {@code PLAIN} (RFC 4616): the message {@code [authzid] NUL authcid NUL passwd}, UTF-8, sent as the initial
 * response. The password travels in clear (only base64 coded), so this mechanism needs TLS unless clear-text
 * authentication is allowed explicitly.
 *
 * <p>The strings are sent as given (no SASLprep normalisation). A NUL character in any of them is refused, since it
 * would shift the fields the server reads; the authentication identity and the password must not be empty.
 */
final class PlainMechanism extends SingleMessageMechanism {

    /** The name sent after {@code AUTH}. */
    public static final String NAME = "PLAIN";

    private byte[] message;

    /**
     * @param authorizationId the identity to act as, or {@code null}/empty to act as {@code username}
     * @param username        the authentication identity (authcid), not empty
     * @param password        the password, not empty
     * @throws IllegalArgumentException when a part is missing or contains NUL
     */
    public PlainMechanism(String authorizationId, String username, String password) {
        String authzid = authorizationId == null ? "" : authorizationId;
        check("authorizationId", authzid, true);
        check("username", username, false);
        check("password", password, false);
        byte[] z = authzid.getBytes(StandardCharsets.UTF_8);
        byte[] c = username.getBytes(StandardCharsets.UTF_8);
        byte[] p = password.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buffer = ByteBuffer.allocate(z.length + c.length + p.length + 2);
        buffer.put(z).put((byte) 0).put(c).put((byte) 0).put(p);
        this.message = buffer.array();
        Arrays.fill(p, (byte) 0);
    }

    private static void check(String option, String value, boolean mayBeEmpty) {
        if (value == null || (!mayBeEmpty && value.isEmpty())) {
            throw new IllegalArgumentException("PLAIN authentication needs a non-empty " + option);
        }
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("PLAIN authentication: " + option + " must not contain a NUL character");
        }
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
    protected byte[] message() throws AuthenticationException {
        if (message == null) {
            throw new AuthenticationException("PLAIN: the message was disposed of");
        }
        return message.clone();
    }

    @Override
    public void dispose() {
        if (message != null) {
            Arrays.fill(message, (byte) 0);
            message = null;
        }
    }
}
