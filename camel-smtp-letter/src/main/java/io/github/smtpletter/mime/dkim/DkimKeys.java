package io.github.smtpletter.mime.dkim;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;

/**
 * Reads DKIM private keys from PEM text (PKCS#8, {@code -----BEGIN PRIVATE KEY-----}), RSA or Ed25519. Error
 * messages say what is wrong with the text, never show any of it.
 */
public final class DkimKeys {

    private static final String BEGIN = "-----BEGIN PRIVATE KEY-----";
    private static final String END = "-----END PRIVATE KEY-----";
    /** The DER of the object identifier rsaEncryption (1.2.840.113549.1.1.1). */
    private static final byte[] RSA_OID = { 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01,
            0x01, 0x01 };
    /** The DER of the object identifier id-Ed25519 (1.3.101.112). */
    private static final byte[] ED25519_OID = { 0x06, 0x03, 0x2b, 0x65, 0x70 };

    private DkimKeys() {
    }

    /**
     * @param  pem                      PEM text holding one PKCS#8 private key ({@code openssl genpkey} writes it;
     *                                  {@code openssl pkcs8 -topk8 -nocrypt} converts an older RSA key)
     * @return                          the RSA or Ed25519 private key
     * @throws IllegalArgumentException when the text holds no such key (the message never shows the text)
     */
    public static PrivateKey fromPem(String pem) {
        if (pem == null || pem.isBlank()) {
            throw new IllegalArgumentException("dkimPrivateKey is empty");
        }
        if (pem.contains("-----BEGIN RSA PRIVATE KEY-----")) {
            throw new IllegalArgumentException("dkimPrivateKey is a PKCS#1 RSA key (BEGIN RSA PRIVATE KEY): convert "
                                               + "it to PKCS#8 with: openssl pkcs8 -topk8 -nocrypt -in old.pem");
        }
        if (pem.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")) {
            throw new IllegalArgumentException("dkimPrivateKey is encrypted: an unencrypted PKCS#8 key is needed");
        }
        int begin = pem.indexOf(BEGIN);
        int end = pem.indexOf(END);
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException("dkimPrivateKey is not a PEM PKCS#8 private key (" + BEGIN + " ... "
                                               + END + ")");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder()
                    .decode(pem.substring(begin + BEGIN.length(), end).getBytes(StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("dkimPrivateKey: the PEM text is not valid base64");
        }
        try {
            return fromPkcs8(der);
        } finally {
            Arrays.fill(der, (byte) 0);
        }
    }

    /**
     * @param  der                      a PKCS#8 DER encoded private key
     * @return                          the RSA or Ed25519 private key
     * @throws IllegalArgumentException when the bytes hold no RSA or Ed25519 key (the message never shows them)
     */
    public static PrivateKey fromPkcs8(byte[] der) {
        String algorithm = contains(der, RSA_OID) ? "RSA" : contains(der, ED25519_OID) ? "Ed25519" : null;
        if (algorithm == null) {
            throw new IllegalArgumentException("dkimPrivateKey is neither an RSA nor an Ed25519 key");
        }
        try {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            // the cause is left out on purpose: nothing of the key may reach a message
            throw new IllegalArgumentException("dkimPrivateKey is not a valid " + algorithm + " PKCS#8 key");
        }
    }

    private static boolean contains(byte[] der, byte[] oid) {
        // the algorithm identifier comes early in PrivateKeyInfo
        int limit = Math.min(der.length, 32) - oid.length;
        for (int i = 0; i <= limit; i++) {
            if (Arrays.equals(der, i, i + oid.length, oid, 0, oid.length)) {
                return true;
            }
        }
        return false;
    }
}
