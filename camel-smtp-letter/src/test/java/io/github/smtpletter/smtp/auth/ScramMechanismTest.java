package io.github.smtpletter.smtp.auth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import javax.security.sasl.AuthenticationException;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SCRAM-SHA-1 and SCRAM-SHA-256: the RFC test vectors exactly, GS2 flags, and every refusal of a hostile server. */
class ScramMechanismTest {

    private static final String SHA1_NONCE = "fyko+d2lbbFgONRv9qkxdawL";
    private static final String SHA1_SERVER_FIRST = "r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,"
                                                    + "i=4096";
    private static final String SHA256_NONCE = "rOprNGfwEbeRWgbNEkqO";
    private static final String SHA256_SERVER_FIRST = "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
                                                      + "s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";

    private static ScramMechanism sha1() {
        return new ScramMechanism(ScramMechanism.Hash.SHA_1, "user", "pencil", null, false, SHA1_NONCE, 4096);
    }

    private static ScramMechanism sha256() {
        return new ScramMechanism(ScramMechanism.Hash.SHA_256, "user", "pencil", null, false, SHA256_NONCE, 4096);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void rfc5802Section5() throws Exception {
        ScramMechanism m = sha1();
        assertEquals("SCRAM-SHA-1", m.name());
        assertFalse(m.sendsSecretInClear());
        assertEquals("n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL", text(m.initialResponse()));
        assertEquals("c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=",
                text(m.evaluateChallenge(bytes(SHA1_SERVER_FIRST))));
        assertArrayEquals(new byte[0], m.evaluateChallenge(bytes("v=rmF9pqV8S7suAoZWja4dJRkFsKQ=")));
        m.succeeded("2.7.0 Authentication successful");
    }

    @Test
    void rfc7677Section3() throws Exception {
        ScramMechanism m = sha256();
        assertEquals("SCRAM-SHA-256", m.name());
        assertEquals("n,,n=user,r=rOprNGfwEbeRWgbNEkqO", text(m.initialResponse()));
        assertEquals("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
                     + "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=",
                text(m.evaluateChallenge(bytes(SHA256_SERVER_FIRST))));
        assertArrayEquals(new byte[0],
                m.evaluateChallenge(bytes("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=")));
        m.succeeded("2.7.0 ok");
    }

    @Test
    void serverSignatureInThe235IsAcceptedToo() throws Exception {
        ScramMechanism m = sha256();
        m.initialResponse();
        m.evaluateChallenge(bytes(SHA256_SERVER_FIRST));
        m.succeeded("2.7.0 " + Base64.getEncoder().encodeToString(
                bytes("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=")));
    }

    @Test
    void successWithoutServerSignatureIsRefused() throws Exception {
        ScramMechanism m = sha256();
        m.initialResponse();
        m.evaluateChallenge(bytes(SHA256_SERVER_FIRST));
        AuthenticationException e = assertThrows(AuthenticationException.class, () -> m.succeeded("2.7.0 ok"));
        assertTrue(e.getMessage().contains("without proving"), e.getMessage());
    }

    @Test
    void wrongServerSignatureIsRefused() throws Exception {
        ScramMechanism m = sha256();
        m.initialResponse();
        m.evaluateChallenge(bytes(SHA256_SERVER_FIRST));
        AuthenticationException e = assertThrows(AuthenticationException.class,
                () -> m.evaluateChallenge(bytes("v=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")));
        assertTrue(e.getMessage().contains("server signature is wrong"), e.getMessage());
        assertThrows(AuthenticationException.class, () -> m.succeeded("2.7.0 ok"));
    }

    @Test
    void serverErrorIsReported() throws Exception {
        ScramMechanism m = sha256();
        m.initialResponse();
        m.evaluateChallenge(bytes(SHA256_SERVER_FIRST));
        AuthenticationException e = assertThrows(AuthenticationException.class,
                () -> m.evaluateChallenge(bytes("e=invalid-proof")));
        assertTrue(e.getMessage().contains("invalid-proof"), e.getMessage());
        assertEquals("SCRAM-SHA-256 error from server: invalid-proof", m.failureDetail());
    }

    @Test
    void hostileServerFirstMessagesAreRefused() throws Exception {
        String[][] cases = {
                { "r=someoneElsesNonce123,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096", "does not extend" },
                { "r=" + SHA256_NONCE + ",s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096", "does not extend" },
                { "r=" + SHA256_NONCE + "x,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4095", "fewer than the 4096" },
                { "r=" + SHA256_NONCE + "x,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=1000001", "more than the 1000000" },
                { "r=" + SHA256_NONCE + "x,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=99999999999", "not a positive number" },
                { "r=" + SHA256_NONCE + "x,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=-1", "not a positive number" },
                { "r=" + SHA256_NONCE + "x,s=!!!,i=4096", "salt is not valid base64" },
                { "r=" + SHA256_NONCE + "x,s=,i=4096", "salt is empty" },
                { "r=" + SHA256_NONCE + "x,i=4096,s=W22ZaJ0SNY7soEsUEjb6gQ==", "expected the attribute s=" },
                { "m=ext,r=" + SHA256_NONCE + "x,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096", "mandatory extension" },
                { "r=" + SHA256_NONCE + "x", "malformed" },
                { "garbage", "malformed" },
                { "", "malformed" },
                { "e=unknown-user", "unknown-user" },
                { "r=" + SHA256_NONCE + "x\u0007,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096", "printable" },
                { "r=" + SHA256_NONCE + "x,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096," + "a".repeat(5000), "longer than" }, };
        for (String[] c : cases) {
            ScramMechanism m = sha256();
            m.initialResponse();
            AuthenticationException e = assertThrows(AuthenticationException.class,
                    () -> m.evaluateChallenge(bytes(c[0])), c[0]);
            assertTrue(e.getMessage().contains(c[1]), c[0] + " -> " + e.getMessage());
            assertFalse(e.getMessage().contains("pencil"));
        }
    }

    @Test
    void aThirdChallengeIsRefused() throws Exception {
        ScramMechanism m = sha256();
        m.initialResponse();
        m.evaluateChallenge(bytes(SHA256_SERVER_FIRST));
        m.evaluateChallenge(bytes("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="));
        assertThrows(AuthenticationException.class, () -> m.evaluateChallenge(new byte[0]));
    }

    @Test
    void emptyFirstChallengeGetsTheClientFirstMessage() throws Exception {
        ScramMechanism m = sha256();
        assertEquals("n,,n=user,r=rOprNGfwEbeRWgbNEkqO", text(m.evaluateChallenge(new byte[0])));
    }

    @Test
    void configuredLowerBoundAllowsFewerIterations() throws Exception {
        ScramMechanism m = new ScramMechanism(ScramMechanism.Hash.SHA_256, "user", "pencil", null, false,
                SHA256_NONCE, 1);
        m.initialResponse();
        assertTrue(text(m.evaluateChallenge(bytes("r=" + SHA256_NONCE + "x,s=QSXCR+Q6sek8bf92,i=1"))).contains(",p="));
    }

    @Test
    void gs2FlagsFollowTheChannelBinding() throws Exception {
        ChannelBinding cb = new ChannelBinding(ChannelBinding.TLS_SERVER_END_POINT, new byte[] { 1, 2, 3 });
        ScramMechanism y = new ScramMechanism(ScramMechanism.Hash.SHA_256, "user", "pencil", cb, false,
                SHA256_NONCE, 4096);
        assertEquals("y,,n=user,r=" + SHA256_NONCE, text(y.initialResponse()));
        assertTrue(text(y.evaluateChallenge(bytes(SHA256_SERVER_FIRST))).startsWith("c=eSws,r="));

        ScramMechanism p = new ScramMechanism(ScramMechanism.Hash.SHA_256, "user", "pencil", cb, true,
                SHA256_NONCE, 4096);
        assertEquals("SCRAM-SHA-256-PLUS", p.name());
        assertEquals("p=tls-server-end-point,,n=user,r=" + SHA256_NONCE, text(p.initialResponse()));
        String cbind = Base64.getEncoder().encodeToString(bytes("p=tls-server-end-point,,\u0001\u0002\u0003"));
        assertTrue(text(p.evaluateChallenge(bytes(SHA256_SERVER_FIRST))).startsWith("c=" + cbind + ",r="));

        assertThrows(IllegalArgumentException.class,
                () -> new ScramMechanism(ScramMechanism.Hash.SHA_1, "user", "pencil", null, true));
    }

    @Test
    void userNameIsPreparedAndEscaped() throws Exception {
        ScramMechanism m = new ScramMechanism(ScramMechanism.Hash.SHA_1, "a,b=c\u00AD\u00A0d", "pencil", null,
                false, "nonce", 4096);
        assertEquals("n,,n=a=2Cb=3Dc d,r=nonce", text(m.initialResponse()));
    }

    @Test
    void missingOrProhibitedCredentialsAreRefusedWithoutShowingThePassword() {
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new ScramMechanism(ScramMechanism.Hash.SHA_1, null, "p", null, false)).getMessage()
                .contains("username"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new ScramMechanism(ScramMechanism.Hash.SHA_1, "u", "", null, false)).getMessage()
                .contains("password"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ScramMechanism(ScramMechanism.Hash.SHA_256, "u", "secret\u0007pw", null, false));
        assertTrue(e.getMessage().startsWith("password contains a character"), e.getMessage());
        assertFalse(e.getMessage().contains("secret"), e.getMessage());
    }

    @Test
    void randomNoncesDiffer() throws Exception {
        String a = text(new ScramMechanism(ScramMechanism.Hash.SHA_256, "u", "p", null, false).initialResponse());
        String b = text(new ScramMechanism(ScramMechanism.Hash.SHA_256, "u", "p", null, false).initialResponse());
        assertTrue(a.matches("n,,n=u,r=[A-Za-z0-9+/]{32}"), a);
        assertFalse(a.equals(b));
        assertNull(sha256().failureDetail());
    }
}
