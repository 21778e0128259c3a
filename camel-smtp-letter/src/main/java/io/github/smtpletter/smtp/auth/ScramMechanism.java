package io.github.smtpletter.smtp.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.security.sasl.AuthenticationException;

/**
 * {@code SCRAM-SHA-256} (RFC 7677) and {@code SCRAM-SHA-1} (RFC 5802), with or without channel binding
 * ({@code -PLUS}), on the JDK's {@link Mac} and {@link MessageDigest}.
 *
 * <p>The exchange: client-first {@code gs2-header n=user,r=cnonce} (the initial response); server-first
 * {@code r=nonce,s=salt,i=iterations}; client-final {@code c=binding,r=nonce,p=proof}; server-final
 * {@code v=signature} (or {@code e=error}), answered with an empty line. The password never crosses the wire, so
 * SCRAM may be used without TLS.
 *
 * <p>Checks, each failing the attempt before the client-final message is sent: the server nonce must extend the
 * client nonce (24 bytes from {@link SecureRandom}); the salt must be base64 and not empty; the iteration count must
 * lie between {@link #MIN_ITERATIONS} (RFC 7677 section 4 asks for at least 4096) and {@link #MAX_ITERATIONS} (so a
 * hostile server cannot burn the CPU); mandatory extensions ({@code m=}) are refused. The server signature is
 * verified in constant time: a server that cannot prove it knows the password fails the attempt, also when it
 * claims success ({@code 235}) without it.
 *
 * <p>GS2 header (RFC 5802 section 6): {@code p=tls-server-end-point} for the {@code -PLUS} mechanisms;
 * {@code y} when the client could bind (TLS, see {@link ChannelBinding}) but the server did not offer {@code -PLUS},
 * which lets a server that does support it detect a downgrade; {@code n} otherwise. User name and password go
 * through {@link SaslPrep}; no authorization identity is sent.
 */
final class ScramMechanism implements AuthMechanism {

    /** The fewest iterations accepted (RFC 7677 section 4; RFC 5802 section 5 uses 4096 too). */
    static final int MIN_ITERATIONS = 4096;
    /** The most iterations accepted. */
    static final int MAX_ITERATIONS = 1_000_000;
    /** The longest server message accepted, in bytes. */
    static final int MAX_MESSAGE = 4096;

    private static final int NONCE_BYTES = 24;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The hash functions. */
    enum Hash {
        /** RFC 5802. */
        SHA_1("SCRAM-SHA-1", "SHA-1", "HmacSHA1"),
        /** RFC 7677. */
        SHA_256("SCRAM-SHA-256", "SHA-256", "HmacSHA256");

        final String mechanism;
        final String digest;
        final String hmac;

        Hash(String mechanism, String digest, String hmac) {
            this.mechanism = mechanism;
            this.digest = digest;
            this.hmac = hmac;
        }
    }

    private final Hash hash;
    private final String name;
    private final String gs2Header;
    private final byte[] bindingData;
    private final String clientNonce;
    private final String clientFirstBare;
    private final int minIterations;
    private byte[] password;
    private byte[] expectedServerSignature;
    private boolean verified;
    private int step;
    private String serverError;

    /**
     * @param hash         SHA-1 or SHA-256
     * @param username     the user name, not empty
     * @param password     the password, not empty
     * @param binding      the connection's channel binding, or {@code null} when it has none (no TLS)
     * @param plus         use the {@code -PLUS} mechanism (needs {@code binding})
     * @throws IllegalArgumentException when the user name or password is missing or fails SASLprep
     */
    ScramMechanism(Hash hash, String username, String password, ChannelBinding binding, boolean plus) {
        this(hash, username, password, binding, plus, nonce(), MIN_ITERATIONS);
    }

    /** Test seam: a fixed client nonce and another lower bound of the iteration count. */
    ScramMechanism(Hash hash, String username, String password, ChannelBinding binding, boolean plus,
                   String clientNonce, int minIterations) {
        if (username == null || username.isEmpty()) {
            throw new IllegalArgumentException(hash.mechanism + " authentication needs a non-empty username");
        }
        if (password == null || password.isEmpty()) {
            throw new IllegalArgumentException(hash.mechanism + " authentication needs a non-empty password");
        }
        if (plus && binding == null) {
            throw new IllegalArgumentException(hash.mechanism + "-PLUS needs a TLS connection with channel binding");
        }
        String user = SaslPrep.prepare("username", username, true);
        String pass = SaslPrep.prepare("password", password, false);
        if (user.isEmpty() || pass.isEmpty()) {
            throw new IllegalArgumentException(hash.mechanism + ": " + (user.isEmpty() ? "username" : "password")
                                               + " is empty after SASLprep");
        }
        this.hash = hash;
        this.name = plus ? hash.mechanism + "-PLUS" : hash.mechanism;
        this.gs2Header = (plus ? "p=" + binding.type() : binding != null ? "y" : "n") + ",,";
        this.bindingData = plus ? binding.data().clone() : new byte[0];
        this.clientNonce = clientNonce;
        this.clientFirstBare = "n=" + user.replace("=", "=3D").replace(",", "=2C") + ",r=" + clientNonce;
        this.minIterations = minIterations;
        this.password = pass.getBytes(StandardCharsets.UTF_8);
    }

    private static String nonce() {
        byte[] bytes = new byte[NONCE_BYTES];
        RANDOM.nextBytes(bytes);
        return Base64.getEncoder().withoutPadding().encodeToString(bytes);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean sendsSecretInClear() {
        return false;
    }

    @Override
    public byte[] initialResponse() throws AuthenticationException {
        if (step != 0) {
            throw new AuthenticationException(name + " sends its first message only once");
        }
        step = 1;
        return (gs2Header + clientFirstBare).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] evaluateChallenge(byte[] challenge) throws AuthenticationException {
        if (challenge.length > MAX_MESSAGE) {
            throw new AuthenticationException(name + ": the server message is longer than " + MAX_MESSAGE + " bytes");
        }
        String text = new String(challenge, StandardCharsets.UTF_8);
        return switch (step) {
            case 0 -> {
                // a server that does not take the initial response asks with an empty challenge
                if (!text.isEmpty()) {
                    throw new AuthenticationException(name + ": expected an empty first challenge");
                }
                yield initialResponse();
            }
            case 1 -> clientFinal(text);
            case 2 -> serverFinal(text);
            default -> throw new AuthenticationException(name + ": the server sent a challenge after its final "
                                                         + "message; the exchange is over");
        };
    }

    /** Answers the server-first message. */
    private byte[] clientFinal(String serverFirst) throws AuthenticationException {
        step = 2;
        if (serverFirst.startsWith("e=")) {
            throw new AuthenticationException(name + ": the server reported an error: " + visible(serverFirst));
        }
        String[] attrs = serverFirst.split(",", -1);
        if (attrs.length < 3 || attrs[0].startsWith("m=")) {
            throw new AuthenticationException(name + ": malformed server-first message (expected r=...,s=...,i=...)"
                                              + (attrs[0].startsWith("m=") ? ": mandatory extension not supported"
                                                      : ""));
        }
        String nonce = attribute(attrs[0], 'r');
        if (!nonce.startsWith(clientNonce) || nonce.length() == clientNonce.length()) {
            throw new AuthenticationException(name + ": the server nonce does not extend the client nonce");
        }
        if (!nonce.chars().allMatch(c -> c >= 0x21 && c <= 0x7e && c != ',')) {
            throw new AuthenticationException(name + ": the server nonce has characters outside printable ASCII");
        }
        byte[] salt;
        try {
            salt = Base64.getDecoder().decode(attribute(attrs[1], 's'));
        } catch (IllegalArgumentException e) {
            throw new AuthenticationException(name + ": the salt is not valid base64");
        }
        if (salt.length == 0) {
            throw new AuthenticationException(name + ": the salt is empty");
        }
        String count = attribute(attrs[2], 'i');
        int iterations;
        if (!count.matches("[1-9][0-9]{0,9}") || Long.parseLong(count) > Integer.MAX_VALUE) {
            throw new AuthenticationException(name + ": the iteration count is not a positive number: "
                                              + visible(count));
        }
        iterations = Integer.parseInt(count);
        if (iterations < minIterations) {
            throw new AuthenticationException(name + ": the server asks for " + iterations + " iterations, fewer "
                                              + "than the " + minIterations + " required");
        }
        if (iterations > MAX_ITERATIONS) {
            throw new AuthenticationException(name + ": the server asks for " + iterations + " iterations, more than "
                                              + "the " + MAX_ITERATIONS + " allowed");
        }
        byte[] cbind = concat(gs2Header.getBytes(StandardCharsets.UTF_8), bindingData);
        String withoutProof = "c=" + Base64.getEncoder().encodeToString(cbind) + ",r=" + nonce;
        byte[] authMessage = (clientFirstBare + "," + serverFirst + "," + withoutProof)
                .getBytes(StandardCharsets.UTF_8);
        byte[] salted = hi(password, salt, iterations);
        byte[] clientKey = hmac(salted, "Client Key".getBytes(StandardCharsets.UTF_8));
        byte[] storedKey = digest(clientKey);
        byte[] proof = hmac(storedKey, authMessage);
        for (int k = 0; k < proof.length; k++) {
            proof[k] ^= clientKey[k];
        }
        byte[] serverKey = hmac(salted, "Server Key".getBytes(StandardCharsets.UTF_8));
        expectedServerSignature = hmac(serverKey, authMessage);
        Arrays.fill(salted, (byte) 0);
        Arrays.fill(clientKey, (byte) 0);
        Arrays.fill(password, (byte) 0);
        return (withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof)).getBytes(StandardCharsets.UTF_8);
    }

    /** Checks the server-final message; the answer is empty. */
    private byte[] serverFinal(String serverFinal) throws AuthenticationException {
        step = 3;
        verify(serverFinal);
        return new byte[0];
    }

    private void verify(String serverFinal) throws AuthenticationException {
        String first = serverFinal.split(",", -1)[0];
        if (first.startsWith("e=")) {
            serverError = visible(first.substring(2));
            throw new AuthenticationException(name + ": the server reported an error: " + serverError);
        }
        byte[] signature;
        try {
            signature = Base64.getDecoder().decode(attribute(first, 'v'));
        } catch (IllegalArgumentException e) {
            throw new AuthenticationException(name + ": the server signature is not valid base64");
        }
        if (!MessageDigest.isEqual(signature, expectedServerSignature)) {
            throw new AuthenticationException(name + ": the server signature is wrong: the server did not prove that "
                                              + "it knows the password");
        }
        verified = true;
    }

    /**
     * A {@code 235} reply: accepted only once the server signature was verified, either in a {@code 334} challenge
     * before or as the additional data of the {@code 235} itself.
     */
    @Override
    public void succeeded(String replyText) throws AuthenticationException {
        if (verified) {
            return;
        }
        if (step == 2 && replyText != null) {
            String data = replyText.strip();
            int space = data.lastIndexOf(' ');
            data = space >= 0 ? data.substring(space + 1) : data;
            try {
                verify(new String(Base64.getDecoder().decode(data), StandardCharsets.UTF_8));
                return;
            } catch (IllegalArgumentException | AuthenticationException e) {
                // not the server-final message: fall through
            }
        }
        throw new AuthenticationException(name + ": the server accepted the login without proving that it knows "
                                          + "the password (no valid server signature)");
    }

    @Override
    public String failureDetail() {
        return serverError == null ? null : name + " error from server: " + serverError;
    }

    private String attribute(String attr, char key) throws AuthenticationException {
        if (attr.length() < 2 || attr.charAt(0) != key || attr.charAt(1) != '=') {
            throw new AuthenticationException(name + ": malformed server message: expected the attribute " + key
                                              + "= but got " + visible(attr.length() > 2 ? attr.substring(0, 2)
                                                      : attr));
        }
        return attr.substring(2);
    }

    /** Hi(str, salt, i) of RFC 5802 section 2.2 (PBKDF2 with one block of the HMAC's length). */
    byte[] hi(byte[] str, byte[] salt, int iterations) throws AuthenticationException {
        Mac mac = mac(str);
        mac.update(salt);
        byte[] u = mac.doFinal(new byte[] { 0, 0, 0, 1 });
        byte[] result = u.clone();
        for (int n = 1; n < iterations; n++) {
            u = mac.doFinal(u);
            for (int k = 0; k < result.length; k++) {
                result[k] ^= u[k];
            }
        }
        return result;
    }

    private byte[] hmac(byte[] key, byte[] data) throws AuthenticationException {
        return mac(key).doFinal(data);
    }

    private Mac mac(byte[] key) throws AuthenticationException {
        try {
            Mac mac = Mac.getInstance(hash.hmac);
            mac.init(new SecretKeySpec(key, hash.hmac));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new AuthenticationException(name + ": the JDK cannot compute " + hash.hmac, e);
        }
    }

    private byte[] digest(byte[] data) throws AuthenticationException {
        try {
            return MessageDigest.getInstance(hash.digest).digest(data);
        } catch (GeneralSecurityException e) {
            throw new AuthenticationException(name + ": the JDK cannot compute " + hash.digest, e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Server text fit for a message: control characters replaced, at most 100 characters. */
    private static String visible(String s) {
        String t = s.replaceAll("\\p{Cntrl}", "?");
        return t.length() > 100 ? t.substring(0, 100) + "..." : t;
    }

    @Override
    public void dispose() {
        if (password != null) {
            Arrays.fill(password, (byte) 0);
            password = null;
        }
    }
}
