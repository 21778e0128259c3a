package io.github.smtpletter.smtp.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.security.sasl.AuthenticationException;

/**
 * {@code CRAM-MD5} (RFC 2195): the server sends a challenge (a unique message id such as
 * {@code <1896.697170952@postoffice.reston.mci.net>}); the client answers {@code user SP digest} where digest is the
 * lower-case hex HMAC-MD5 (RFC 2104) of the challenge keyed with the password (UTF-8). The password itself never
 * crosses the wire, so this mechanism may be used without TLS (it is still weak: an eavesdropper can attack the
 * digest offline, and the server has to keep the password).
 */
final class CramMd5Mechanism implements AuthMechanism {

    /** The name sent after {@code AUTH}. */
    public static final String NAME = "CRAM-MD5";

    private final String username;
    private byte[] key;
    private boolean answered;

    /**
     * @param username the user name, not empty
     * @param password the shared secret, not empty
     * @throws IllegalArgumentException when either is missing
     */
    public CramMd5Mechanism(String username, String password) {
        if (username == null || username.isEmpty()) {
            throw new IllegalArgumentException("CRAM-MD5 authentication needs a non-empty username");
        }
        if (password == null || password.isEmpty()) {
            throw new IllegalArgumentException("CRAM-MD5 authentication needs a non-empty password");
        }
        this.username = username;
        this.key = password.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean sendsSecretInClear() {
        return false;
    }

    @Override
    public byte[] initialResponse() {
        return null;
    }

    @Override
    public byte[] evaluateChallenge(byte[] challenge) throws AuthenticationException {
        if (answered || key == null) {
            throw new AuthenticationException("CRAM-MD5 answers a single challenge; the server sent another");
        }
        if (challenge.length == 0) {
            throw new AuthenticationException("CRAM-MD5 needs a non-empty server challenge, got an empty one");
        }
        answered = true;
        String digest = HexFormat.of().formatHex(hmacMd5(key, challenge));
        return (username + ' ' + digest).getBytes(StandardCharsets.UTF_8);
    }

    /** HMAC-MD5 of {@code data} keyed with {@code key} (RFC 2104), as the JDK's {@code HmacMD5} computes it. */
    static byte[] hmacMd5(byte[] key, byte[] data) throws AuthenticationException {
        try {
            Mac mac = Mac.getInstance("HmacMD5");
            mac.init(new SecretKeySpec(key, "HmacMD5"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new AuthenticationException("CRAM-MD5: the JDK cannot compute HmacMD5: " + e.getClass().getName(), e);
        }
    }

    @Override
    public void dispose() {
        if (key != null) {
            Arrays.fill(key, (byte) 0);
            key = null;
        }
    }
}
