package io.github.smtpletter.smtp;

import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Locale;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Layers TLS over a connected socket for STARTTLS and SMTPS: the SSL context from the parameters (or the JDK
 * default), host name verification ({@code HTTPS} endpoint identification, RFC 6125 style) unless disabled (which
 * logs a warning on every connection), and the explicit, logged, trust-everything mode for tests.
 */
final class TlsSupport {

    private static final Logger LOG = LoggerFactory.getLogger(TlsSupport.class);

    private TlsSupport() {
    }

    /**
     * Wraps {@code plain} (already connected) in a client-mode TLS socket and completes the handshake.
     *
     * @throws SmtpException when the handshake fails; not retryable for certificate/handshake problems
     */
    static SSLSocket wrap(Socket plain, SmtpServer p) throws IOException {
        SSLContext context = context(p);
        SSLSocket tls = (SSLSocket) context.getSocketFactory()
                .createSocket(plain, p.host(), p.effectivePort(), true);
        tls.setUseClientMode(true);
        SSLParameters sp = tls.getSSLParameters();
        if (p.verifyHostname() && !p.trustAllCertificates()) {
            sp.setEndpointIdentificationAlgorithm("HTTPS");
        } else if (!p.trustAllCertificates()) {
            LOG.warn("TLS to {}:{} does not check that the certificate names this host (verifyHostname=false): any "
                     + "trusted certificate is accepted, so the connection can be intercepted by whoever holds one",
                    p.host(), p.effectivePort());
        }
        tls.setSSLParameters(sp);
        tls.setSoTimeout(plain.getSoTimeout());
        try {
            tls.startHandshake();
        } catch (SSLHandshakeException e) {
            closeQuietly(tls);
            throw new SmtpException("TLS handshake with " + p.address() + " failed: "
                                    + explain(e, p), null, false, e);
        } catch (SSLException e) {
            closeQuietly(tls);
            throw new SmtpException("TLS with " + p.address() + " failed: " + e.getMessage(),
                    null, true, e);
        }
        return tls;
    }

    /**
     * Says in words what a failed handshake means when the JDK's message alone would not: a server certificate
     * that does not chain to a trusted one ("PKIX path building failed ...") or does not match the host name.
     */
    static String explain(SSLHandshakeException e, SmtpServer p) {
        String jdk = e.getMessage();
        boolean certificate = false;
        boolean path = false;
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof CertificateException) {
                certificate = true;
            }
            if (t instanceof CertPathBuilderException || t instanceof CertPathValidatorException) {
                path = true;
            }
        }
        if (!certificate) {
            return jdk;
        }
        if (path) {
            return "the server certificate is not trusted (" + jdk + "); put the server's certificate or its CA "
                   + "into the trust store given with sslContextParameters (trustAllCertificates=true is for tests "
                   + "only)";
        }
        String lower = jdk == null ? "" : jdk.toLowerCase(Locale.ROOT);
        if (lower.contains("subject alternative") || lower.contains("no name matching")) {
            return "the server certificate does not match the host name " + p.host() + " (" + jdk + "); connect "
                   + "with a name the certificate is issued for, or set verifyHostname=false";
        }
        return "the server certificate was refused (" + jdk + ")";
    }

    private static SSLContext context(SmtpServer p) throws SmtpException {
        try {
            if (p.trustAllCertificates()) {
                LOG.warn("TLS to {}:{} trusts ALL certificates (trustAllCertificates=true): the connection can be "
                         + "intercepted; use this for tests only", p.host(), p.effectivePort());
                SSLContext ctx = SSLContext.getInstance("TLS");
                ctx.init(null, new TrustManager[] { new TrustAll() }, null);
                return ctx;
            }
            return p.sslContext() != null ? p.sslContext() : SSLContext.getDefault();
        } catch (GeneralSecurityException e) {
            throw new SmtpException("cannot set up TLS: " + e.getMessage(), null, false, e);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing after a failure
        }
    }

    /** Accepts every certificate; only used when trustAllCertificates is set explicitly. */
    private static final class TrustAll extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
