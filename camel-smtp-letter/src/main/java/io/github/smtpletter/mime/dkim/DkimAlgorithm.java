package io.github.smtpletter.mime.dkim;

import java.security.PrivateKey;
import java.security.interfaces.EdECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.util.Locale;

import io.github.smtpletter.letter.Checks;

/** The DKIM signing algorithms (the {@code a=} tag): RSA with SHA-256 (RFC 6376) and Ed25519 with SHA-256 (RFC 8463). */
public enum DkimAlgorithm {

    /** {@code rsa-sha256}: an RSA key of at least 1024 bits (2048 recommended); every verifier knows it. */
    RSA_SHA256("rsa-sha256"),
    /** {@code ed25519-sha256} (RFC 8463): short keys and signatures; not every verifier knows it yet. */
    ED25519_SHA256("ed25519-sha256");

    private final String tag;

    DkimAlgorithm(String tag) {
        this.tag = tag;
    }

    /** @return the value of the {@code a=} tag, e.g. {@code rsa-sha256} */
    public String tag() {
        return tag;
    }

    /**
     * @param  value                    {@code rsa-sha256} or {@code ed25519-sha256} (case-insensitive; the enum
     *                                  constant names are accepted too)
     * @return                          the algorithm
     * @throws IllegalArgumentException when the value names no algorithm
     */
    public static DkimAlgorithm of(String value) {
        if (value != null) {
            String v = value.strip().toLowerCase(Locale.ROOT).replace('_', '-');
            for (DkimAlgorithm a : values()) {
                if (a.tag.equals(v)) {
                    return a;
                }
            }
        }
        throw new IllegalArgumentException("dkimAlgorithm " + Checks.quote(value)
                                           + " is not a DKIM algorithm: use rsa-sha256 or ed25519-sha256");
    }

    /** @return whether the key is of the kind this algorithm signs with */
    boolean fits(PrivateKey key) {
        return this == RSA_SHA256 ? key instanceof RSAPrivateKey
                : key instanceof EdECPrivateKey ed && "Ed25519".equalsIgnoreCase(ed.getParams().getName());
    }

    @Override
    public String toString() {
        return tag;
    }
}
