package io.github.smtpletter.smtp.auth;

import java.util.Base64;
import java.util.HexFormat;

import javax.security.sasl.AuthenticationException;

import org.junit.jupiter.api.Test;

import static java.nio.charset.StandardCharsets.US_ASCII;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CramMd5MechanismTest {

    @Test
    void rfc2195Example() throws Exception {
        CramMd5Mechanism m = new CramMd5Mechanism("tim", "tanstaaftanstaaf");
        assertEquals("CRAM-MD5", m.name());
        assertFalse(m.sendsSecretInClear());
        assertNull(m.initialResponse());
        byte[] challenge = "<1896.697170952@postoffice.reston.mci.net>".getBytes(US_ASCII);
        byte[] response = m.evaluateChallenge(challenge);
        assertEquals("tim b913a602c7eda7a495b4e6e7334d3890", new String(response, US_ASCII));
    }

    @Test
    void rfc2195ExampleOnTheWire() throws Exception {
        // the RFC's wire form: S: + PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+
        //                      C: dGltIGI5MTNhNjAyYzdlZGE3YTQ5NWI0ZTZlNzMzNGQzODkw
        CramMd5Mechanism m = new CramMd5Mechanism("tim", "tanstaaftanstaaf");
        byte[] challenge = Base64.getDecoder().decode("PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+");
        assertEquals("dGltIGI5MTNhNjAyYzdlZGE3YTQ5NWI0ZTZlNzMzNGQzODkw",
                Base64.getEncoder().encodeToString(m.evaluateChallenge(challenge)));
    }

    @Test
    void hmacMd5MatchesRfc2104TestVector() throws Exception {
        // RFC 2104 appendix test: key "Jefe", data "what do ya want for nothing?"
        byte[] mac = CramMd5Mechanism.hmacMd5("Jefe".getBytes(US_ASCII),
                "what do ya want for nothing?".getBytes(US_ASCII));
        assertArrayEquals(HexFormat.of().parseHex("750c783e6ab0b503eaa86e310a5db738"), mac);
    }

    @Test
    void answersOneChallengeOnly() throws Exception {
        CramMd5Mechanism m = new CramMd5Mechanism("tim", "pw");
        m.evaluateChallenge("<1.2@x>".getBytes(US_ASCII));
        assertThrows(AuthenticationException.class, () -> m.evaluateChallenge("<1.2@x>".getBytes(US_ASCII)));
    }

    @Test
    void refusesAnEmptyChallenge() {
        CramMd5Mechanism m = new CramMd5Mechanism("tim", "pw");
        assertThrows(AuthenticationException.class, () -> m.evaluateChallenge(new byte[0]));
    }

    @Test
    void missingCredentialsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new CramMd5Mechanism("", "p"));
        assertThrows(IllegalArgumentException.class, () -> new CramMd5Mechanism("u", null));
    }
}
