package io.github.smtpletter.testsupport;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * Verifies DKIM signatures with somebody else's code: dkimpy (Debian package {@code python3-dkim}) run by the
 * system's Python 3 ({@code /usr/bin/python3}, where apt installs its modules), offline: the script
 * {@code src/test/resources/dkim/verify.py} answers the DNS query with the public key the test hands in.
 * {@link #assumeAvailable()} skips a test with a message when dkimpy cannot be imported.
 */
public final class DkimVerifier {

    /** The Python that has dkimpy (not the pyenv one that comes first on PATH). */
    public static final String PYTHON = "/usr/bin/python3";
    private static volatile Boolean available;

    private DkimVerifier() {
    }

    /** Skips the calling test when /usr/bin/python3 cannot import dkim. */
    public static void assumeAvailable() {
        Assumptions.assumeTrue(available(), "dkimpy is missing: install it with `apt-get install -y python3-dkim` "
                                            + "(run by " + PYTHON + ")");
    }

    static boolean available() {
        if (available == null) {
            try {
                Process p = new ProcessBuilder(PYTHON, "-c", "import dkim").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                available = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
            } catch (IOException e) {
                available = false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                available = false;
            }
        }
        return available;
    }

    /** @return the DNS TXT record that publishes this public key (RSA or Ed25519) */
    public static String txtRecord(PublicKey key) {
        byte[] der = key.getEncoded();
        if (key.getAlgorithm().equals("RSA")) {
            return "v=DKIM1; k=rsa; p=" + Base64.getEncoder().encodeToString(der);
        }
        // Ed25519: the raw 32 bytes at the end of the SubjectPublicKeyInfo (RFC 8463 section 4.2)
        return "v=DKIM1; k=ed25519; p=" + Base64.getEncoder().encodeToString(Arrays.copyOfRange(der, der.length - 32,
                der.length));
    }

    /**
     * @param  message  the whole message as delivered (CRLF or LF line ends)
     * @param  selector the selector
     * @param  domain   the signing domain
     * @param  record   the TXT record dkimpy is to find at {@code <selector>._domainkey.<domain>}
     * @return          dkimpy's verdict: {@code "pass"} or {@code "fail: <why>"}
     */
    public static String verify(byte[] message, String selector, String domain, String record) {
        try {
            Process p = new ProcessBuilder(PYTHON, script().toString(), selector + "._domainkey." + domain, record)
                    .redirectErrorStream(true).start();
            try (OutputStream in = p.getOutputStream()) {
                in.write(message);
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("dkimpy did not finish within 60 s");
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** @return a fresh key pair: {@code "RSA"} (2048 bits) or {@code "Ed25519"} */
    public static KeyPair keyPair(String algorithm) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm);
            if (algorithm.equals("RSA")) {
                g.initialize(2048);
            }
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return the PEM (PKCS#8) text of a private key, as {@code openssl genpkey} writes it */
    public static String pem(PrivateKey key) {
        return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, new byte[] { '\n' })
                .encodeToString(key.getEncoded()) + "\n-----END PRIVATE KEY-----\n";
    }

    private static Path script() {
        try {
            Path p = Path.of(DkimVerifier.class.getResource("/dkim/verify.py").toURI());
            if (!Files.isRegularFile(p)) {
                throw new IllegalStateException("missing " + p);
            }
            return p;
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
