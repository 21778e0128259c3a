package io.github.smtpletter.smtp;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The server side of SCRAM-SHA-256 / SCRAM-SHA-1 (RFC 5802 section 3) for scripted peers, written apart from the
 * client (the salted password comes from the JDK's PBKDF2): checks the client's proof and channel binding, and
 * computes the server signature.
 */
final class ScramTestServer {

    private final String algorithm; // "SHA-256" or "SHA-1"
    private final String password;
    private final byte[] salt = "pepper-salt-1234".getBytes(StandardCharsets.US_ASCII);
    private final int iterations;
    private String gs2Header;
    private String clientFirstBare;
    private String serverFirst;
    private String nonce;

    ScramTestServer(String algorithm, String password, int iterations) {
        this.algorithm = algorithm;
        this.password = password;
        this.iterations = iterations;
    }

    /** @return the server-first message (not base64) for the client-first message (base64, as on the wire) */
    String first(String clientFirstBase64) {
        String clientFirst = new String(Base64.getDecoder().decode(clientFirstBase64), StandardCharsets.UTF_8);
        int second = clientFirst.indexOf(',', clientFirst.indexOf(',') + 1);
        gs2Header = clientFirst.substring(0, second + 1);
        clientFirstBare = clientFirst.substring(second + 1);
        String clientNonce = clientFirstBare.substring(clientFirstBare.indexOf(",r=") + 3);
        nonce = clientNonce + "ServerPart%$)";
        serverFirst = "r=" + nonce + ",s=" + Base64.getEncoder().encodeToString(salt) + ",i=" + iterations;
        return serverFirst;
    }

    /** @return the GS2 header the client sent */
    String gs2Header() {
        return gs2Header;
    }

    /** @return the user name of the client-first message, as sent */
    String username() {
        return clientFirstBare.substring(2, clientFirstBare.indexOf(",r="));
    }

    /**
     * @param  clientFinalBase64 the client-final message as on the wire
     * @param  bindingData       the channel binding data the client must have used (empty without -PLUS)
     * @return                   the server-final message {@code v=...}, or {@code null} when the proof is wrong
     * @throws AssertionError    when the channel binding or nonce is wrong
     */
    String last(String clientFinalBase64, byte[] bindingData) throws Exception {
        String clientFinal = new String(Base64.getDecoder().decode(clientFinalBase64), StandardCharsets.UTF_8);
        int p = clientFinal.lastIndexOf(",p=");
        String withoutProof = clientFinal.substring(0, p);
        byte[] cbind = concat(gs2Header.getBytes(StandardCharsets.UTF_8), bindingData);
        String expected = "c=" + Base64.getEncoder().encodeToString(cbind) + ",r=" + nonce;
        if (!withoutProof.equals(expected)) {
            throw new AssertionError("channel binding or nonce differ: got " + withoutProof + ", want " + expected);
        }
        byte[] proof = Base64.getDecoder().decode(clientFinal.substring(p + 3));
        byte[] authMessage = (clientFirstBare + "," + serverFirst + "," + withoutProof)
                .getBytes(StandardCharsets.UTF_8);
        String hmac = "Hmac" + algorithm.replace("-", "");
        int bits = algorithm.equals("SHA-1") ? 160 : 256;
        byte[] salted = SecretKeyFactory.getInstance("PBKDF2With" + hmac)
                .generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, bits)).getEncoded();
        byte[] clientKey = hmac(hmac, salted, "Client Key");
        byte[] storedKey = MessageDigest.getInstance(algorithm).digest(clientKey);
        byte[] signature = hmac(hmac, storedKey, authMessage);
        byte[] recovered = new byte[proof.length];
        for (int i = 0; i < proof.length && i < signature.length; i++) {
            recovered[i] = (byte) (proof[i] ^ signature[i]);
        }
        if (!Arrays.equals(MessageDigest.getInstance(algorithm).digest(recovered), storedKey)) {
            return null;
        }
        byte[] serverKey = hmac(hmac, salted, "Server Key");
        return "v=" + Base64.getEncoder().encodeToString(hmac(hmac, serverKey, authMessage));
    }

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] hmac(String alg, byte[] key, String data) throws Exception {
        return hmac(alg, key, data.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] hmac(String alg, byte[] key, byte[] data) throws Exception {
        Mac mac = Mac.getInstance(alg);
        mac.init(new SecretKeySpec(key, alg));
        return mac.doFinal(data);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
