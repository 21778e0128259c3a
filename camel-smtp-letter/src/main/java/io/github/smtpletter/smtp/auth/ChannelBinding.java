package io.github.smtpletter.smtp.auth;

import java.io.IOException;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.PSSParameterSpec;
import java.util.Locale;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * TLS channel binding data for the SCRAM {@code -PLUS} mechanisms (RFC 5056).
 *
 * <p>Only {@code tls-server-end-point} (RFC 5929 section 4) is computed: the hash of the server's certificate (the
 * first of {@link SSLSession#getPeerCertificates()}), with the hash function of the certificate's signature
 * algorithm, SHA-256 when that is MD5 or SHA-1. A certificate whose signature has no single hash function (Ed25519,
 * Ed448) has no {@code tls-server-end-point} binding: then the client cannot bind.
 *
 * <p>{@code tls-exporter} (RFC 9266) needs the TLS keying material exporter (RFC 5705, RFC 8446 section 7.5), and
 * {@code tls-unique} (RFC 5929 section 3) the Finished message: Java 17's {@code javax.net.ssl} exposes neither, so
 * neither binding is offered.
 *
 * @param type the channel binding type name, as sent in the GS2 header ({@code p=type})
 * @param data the channel binding data
 */
record ChannelBinding(String type, byte[] data) {

    /** The one type this client computes. */
    static final String TLS_SERVER_END_POINT = "tls-server-end-point";

    /**
     * @param  session the TLS session of the connection, or {@code null} when it has no TLS
     * @return         the {@code tls-server-end-point} binding, or {@code null} when there is no TLS or no binding can
     *                 be computed for the server's certificate
     */
    static ChannelBinding of(SSLSession session) {
        if (session == null) {
            return null;
        }
        Certificate[] chain;
        try {
            chain = session.getPeerCertificates();
        } catch (SSLPeerUnverifiedException e) {
            return null;
        }
        if (chain.length == 0 || !(chain[0] instanceof X509Certificate cert)) {
            return null;
        }
        byte[] hash = serverEndPoint(cert);
        return hash == null ? null : new ChannelBinding(TLS_SERVER_END_POINT, hash);
    }

    /**
     * @param  cert the server certificate
     * @return      the RFC 5929 {@code tls-server-end-point} hash of it, or {@code null} when it has none
     */
    static byte[] serverEndPoint(X509Certificate cert) {
        String digest = digestOf(cert);
        if (digest == null) {
            return null;
        }
        try {
            return MessageDigest.getInstance(digest).digest(cert.getEncoded());
        } catch (GeneralSecurityException e) {
            return null;
        }
    }

    /** The JDK digest name for the certificate's signature hash (RFC 5929 section 4.1 rules), or {@code null}. */
    static String digestOf(X509Certificate cert) {
        String alg = cert.getSigAlgName().toUpperCase(Locale.ROOT);
        if (alg.equals("RSASSA-PSS")) {
            try {
                AlgorithmParameters params = AlgorithmParameters.getInstance("RSASSA-PSS");
                params.init(cert.getSigAlgParams());
                alg = params.getParameterSpec(PSSParameterSpec.class).getDigestAlgorithm().toUpperCase(Locale.ROOT)
                      + "WITH";
            } catch (GeneralSecurityException | IOException | RuntimeException e) {
                return null;
            }
        }
        int with = alg.indexOf("WITH");
        if (with <= 0) {
            return null;
        }
        String hash = alg.substring(0, with).replace("-", "");
        return switch (hash) {
            case "MD5", "SHA1", "SHA256" -> "SHA-256";
            case "SHA224" -> "SHA-224";
            case "SHA384" -> "SHA-384";
            case "SHA512" -> "SHA-512";
            case "SHA3256" -> "SHA3-256";
            case "SHA3384" -> "SHA3-384";
            case "SHA3512" -> "SHA3-512";
            default -> null;
        };
    }
}
