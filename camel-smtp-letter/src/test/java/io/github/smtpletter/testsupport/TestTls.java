package io.github.smtpletter.testsupport;

import java.io.InputStream;
import java.security.KeyStore;
import java.security.cert.X509Certificate;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS material for tests: the self-signed certificate that GreenMail ships (greenmail.p12 on the test class path,
 * subject "CN=GreenMail selfsigned Test Certificate", no subject alternative names, so it never matches 127.0.0.1).
 */
public final class TestTls {

    private static final char[] PASSWORD = "changeit".toCharArray();

    private TestTls() {
    }

    private static KeyStore keyStore() throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = TestTls.class.getClassLoader().getResourceAsStream("greenmail.p12")) {
            if (in == null) {
                throw new IllegalStateException("greenmail.p12 not on the class path");
            }
            ks.load(in, PASSWORD);
        }
        return ks;
    }

    /** The certificate the server side presents. */
    public static X509Certificate certificate() throws Exception {
        return (X509Certificate) keyStore().getCertificate("greenmail");
    }

    /** The server side: presents the GreenMail certificate. */
    public static SSLContext serverContext() throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keyStore(), PASSWORD);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
    }

    /** A client context that trusts exactly the GreenMail certificate. */
    public static SSLContext clientTrustingTestCertificate() throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry("greenmail", keyStore().getCertificate("greenmail"));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}
