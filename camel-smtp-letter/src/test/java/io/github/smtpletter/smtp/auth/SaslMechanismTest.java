package io.github.smtpletter.smtp.auth;

import java.security.MessageDigest;
import java.security.Provider;
import java.security.Security;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.security.sasl.AuthenticationException;

import org.junit.jupiter.api.Test;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SaslMechanismTest {

    private static final String HOST = "mail.example.org";

    @Test
    void digestMd5AnswersAScriptedChallengeWithAWellFormedResponse() throws Exception {
        SaslMechanism m = new SaslMechanism("digest-md5", null, "chris", "secret", HOST);
        assertEquals("DIGEST-MD5", m.name());
        assertFalse(m.sendsSecretInClear());
        assertNull(m.initialResponse(), "DIGEST-MD5: the server speaks first");

        byte[] challenge = ("realm=\"example.org\",nonce=\"OA6MG9tEQGm2hh\",qop=\"auth\",charset=utf-8,"
                            + "algorithm=md5-sess").getBytes(US_ASCII);
        String response = new String(m.evaluateChallenge(challenge), UTF_8);
        Map<String, String> fields = directives(response);

        assertEquals("chris", fields.get("username"), response);
        assertEquals("example.org", fields.get("realm"), response);
        assertEquals("OA6MG9tEQGm2hh", fields.get("nonce"), response);
        assertTrue(fields.get("cnonce") != null && !fields.get("cnonce").isEmpty(), response);
        assertEquals("00000001", fields.get("nc"), response);
        assertEquals("auth", fields.get("qop"), response);
        assertEquals("smtp/" + HOST, fields.get("digest-uri"), response);
        assertTrue(fields.get("response").matches("[0-9a-f]{32}"), response);
        assertFalse(response.contains("secret"), "the password itself never goes out");
        m.dispose();
    }

    @Test
    void digestMd5ResponseIsTheRfc2831Digest() throws Exception {
        SaslMechanism m = new SaslMechanism("DIGEST-MD5", null, "chris", "secret", HOST);
        byte[] challenge = "realm=\"elwood.innosoft.com\",nonce=\"OA6MG9tEQGm2hh\",qop=\"auth\",algorithm=md5-sess,charset=utf-8"
                .getBytes(US_ASCII);
        Map<String, String> f = directives(new String(m.evaluateChallenge(challenge), UTF_8));
        // RFC 2831 section 2.1.2.1, computed independently of the JDK client
        byte[] a1Head = md5(("chris:" + f.get("realm") + ":secret").getBytes(UTF_8));
        byte[] tail = (":" + f.get("nonce") + ":" + f.get("cnonce")).getBytes(UTF_8);
        byte[] a1 = new byte[a1Head.length + tail.length];
        System.arraycopy(a1Head, 0, a1, 0, a1Head.length);
        System.arraycopy(tail, 0, a1, a1Head.length, tail.length);
        String ha1 = hex(md5(a1));
        String ha2 = hex(md5(("AUTHENTICATE:" + f.get("digest-uri")).getBytes(UTF_8)));
        String expected = hex(md5((ha1 + ":" + f.get("nonce") + ":" + f.get("nc") + ":" + f.get("cnonce") + ":"
                                   + f.get("qop") + ":" + ha2).getBytes(UTF_8)));
        assertEquals(expected, f.get("response"));
    }

    @Test
    void cramMd5ThroughTheJdkReproducesTheRfcExample() throws Exception {
        SaslMechanism m = new SaslMechanism("CRAM-MD5", null, "tim", "tanstaaftanstaaf", HOST);
        assertNull(m.initialResponse());
        byte[] response = m.evaluateChallenge("<1896.697170952@postoffice.reston.mci.net>".getBytes(US_ASCII));
        assertEquals("tim b913a602c7eda7a495b4e6e7334d3890", new String(response, US_ASCII));
    }

    @Test
    void plainThroughTheJdkIsClearText() throws Exception {
        SaslMechanism m = new SaslMechanism("PLAIN", "Ursel", "Kurt", "xipj3plmq", HOST);
        assertTrue(m.sendsSecretInClear());
        assertArrayEquals("Ursel\0Kurt\0xipj3plmq".getBytes(UTF_8), m.initialResponse());
    }

    @Test
    void externalHasAnEmptyInitialResponseOrTheAuthorizationId() throws Exception {
        assertArrayEquals(new byte[0], new SaslMechanism("EXTERNAL", null, null, null, HOST).initialResponse());
        assertArrayEquals("bob".getBytes(UTF_8), new SaslMechanism("EXTERNAL", "bob", null, null, HOST)
                .initialResponse());
    }

    @Test
    void unknownMechanismFailsListingWhatTheJdkHas() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SaslMechanism("SCRAM-SHA-256", null, "u", "p", HOST));
        assertTrue(e.getMessage().contains("no SASL client for mechanism 'SCRAM-SHA-256'"), e.getMessage());
        assertTrue(e.getMessage().contains("DIGEST-MD5"), e.getMessage());
    }

    @Test
    void missingMechanismNameFailsNamingTheOption() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SaslMechanism(" ", null, "u", "p", HOST));
        assertTrue(e.getMessage().contains("saslMechanism"), e.getMessage());
    }

    @Test
    void missingCredentialSurfacesAsAuthenticationException() throws Exception {
        SaslMechanism m = new SaslMechanism("DIGEST-MD5", null, "chris", null, HOST);
        AuthenticationException e = assertThrows(AuthenticationException.class,
                () -> m.evaluateChallenge("realm=\"r\",nonce=\"n\",qop=\"auth\",algorithm=md5-sess".getBytes(
                        US_ASCII)));
        assertTrue(e.getMessage().contains("DIGEST-MD5"), e.getMessage());
    }

    @Test
    void jdkMechanismsAndSupport() {
        assertTrue(SaslMechanism.jdkMechanisms().containsAll(List.of("DIGEST-MD5", "CRAM-MD5", "PLAIN", "EXTERNAL")),
                SaslMechanism.jdkMechanisms().toString());
        assertTrue(SaslMechanism.isSupported("digest-md5"));
        assertFalse(SaslMechanism.isSupported("SCRAM-SHA-256"));
        assertFalse(SaslMechanism.isSupported(null));
    }

    @Test
    void nothingIsRegisteredGlobally() throws Exception {
        List<String> before = Arrays.stream(Security.getProviders()).map(Provider::getName).toList();
        new SaslMechanism("DIGEST-MD5", null, "u", "p", HOST).dispose();
        new SaslMechanism("NTLM", null, "u", "p", HOST).dispose();
        SaslMechanism.jdkMechanisms();
        assertEquals(before, Arrays.stream(Security.getProviders()).map(Provider::getName).toList());
    }

    @Test
    void disposedMechanismRefusesToWork() {
        SaslMechanism m = new SaslMechanism("CRAM-MD5", null, "u", "p", HOST);
        m.dispose();
        m.dispose();
        assertThrows(AuthenticationException.class, () -> m.evaluateChallenge(new byte[] { 1 }));
    }

    @Test
    void digestMd5AgainstTheJdkServer() throws Exception {
        // client and server talk directly, no SMTP: proves the callbacks answer what the JDK asks
        SaslServerChannel peer = new SaslServerChannel(HOST, "chris", "secret", "example.org");
        SaslMechanism m = new SaslMechanism("DIGEST-MD5", null, "chris", "secret", HOST);
        Authenticator.exchange(peer, m, AuthenticatorTest.params("SASL").saslMechanism("DIGEST-MD5").username("chris")
                .password("secret").build());
        assertEquals("chris", peer.authorizedAs());
        AuthenticationException done = assertThrows(AuthenticationException.class,
                () -> m.evaluateChallenge(new byte[0]), "the client checked the server's rspauth and is complete");
        assertTrue(done.getMessage().contains("already complete"), done.getMessage());
        assertNotNull(peer.lines());
    }

    /** Parses a DIGEST-MD5 directive list: name=value or name="quoted value", comma separated. */
    static Map<String, String> directives(String text) {
        Map<String, String> out = new HashMap<>();
        Matcher m = Pattern.compile("([a-zA-Z-]+)=(?:\"((?:[^\"\\\\]|\\\\.)*)\"|([^,]*))").matcher(text);
        while (m.find()) {
            out.put(m.group(1), m.group(2) != null ? m.group(2) : m.group(3));
        }
        return out;
    }

    private static byte[] md5(byte[] data) throws Exception {
        return MessageDigest.getInstance("MD5").digest(data);
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
