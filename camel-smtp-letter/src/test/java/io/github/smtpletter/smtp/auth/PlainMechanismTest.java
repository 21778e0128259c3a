package io.github.smtpletter.smtp.auth;

import java.util.Base64;

import javax.security.sasl.AuthenticationException;

import org.junit.jupiter.api.Test;

import static java.nio.charset.StandardCharsets.UTF_8;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PlainMechanismTest {

    @Test
    void rfc4616ExampleWithoutAuthorizationId() throws Exception {
        // RFC 4616 section 4: "\0tim\0tanstaaftanstaaf"
        PlainMechanism m = new PlainMechanism(null, "tim", "tanstaaftanstaaf");
        byte[] ir = m.initialResponse();
        assertArrayEquals("\0tim\0tanstaaftanstaaf".getBytes(UTF_8), ir);
        assertEquals("AHRpbQB0YW5zdGFhZnRhbnN0YWFm", Base64.getEncoder().encodeToString(ir));
    }

    @Test
    void rfc4616ExampleWithAuthorizationId() throws Exception {
        // RFC 4616 section 4: "Ursel\0Kurt\0xipj3plmq"
        PlainMechanism m = new PlainMechanism("Ursel", "Kurt", "xipj3plmq");
        assertArrayEquals("Ursel\0Kurt\0xipj3plmq".getBytes(UTF_8), m.initialResponse());
    }

    @Test
    void emptyAuthorizationIdIsTheSameAsNone() throws Exception {
        assertArrayEquals("\0tim\0pw".getBytes(UTF_8), new PlainMechanism("", "tim", "pw").initialResponse());
    }

    @Test
    void utf8() throws Exception {
        byte[] ir = new PlainMechanism(null, "jürgen", "pässwörd€").initialResponse();
        assertArrayEquals("\0jürgen\0pässwörd€".getBytes(UTF_8), ir);
    }

    @Test
    void nameAndClearText() {
        PlainMechanism m = new PlainMechanism(null, "u", "p");
        assertEquals("PLAIN", m.name());
        assertTrue(m.sendsSecretInClear());
    }

    @Test
    void nulInAnyPartIsRejected() {
        IllegalArgumentException e1 = assertThrows(IllegalArgumentException.class,
                () -> new PlainMechanism("a\0b", "u", "p"));
        assertTrue(e1.getMessage().contains("authorizationId"), e1.getMessage());
        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class,
                () -> new PlainMechanism(null, "u\0", "p"));
        assertTrue(e2.getMessage().contains("username"), e2.getMessage());
        IllegalArgumentException e3 = assertThrows(IllegalArgumentException.class,
                () -> new PlainMechanism(null, "u", "se\0cret"));
        assertTrue(e3.getMessage().contains("password"), e3.getMessage());
        assertTrue(!e3.getMessage().contains("se\0cret"));
    }

    @Test
    void missingCredentialsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new PlainMechanism(null, null, "p"));
        assertThrows(IllegalArgumentException.class, () -> new PlainMechanism(null, "", "p"));
        assertThrows(IllegalArgumentException.class, () -> new PlainMechanism(null, "u", null));
        assertThrows(IllegalArgumentException.class, () -> new PlainMechanism(null, "u", ""));
    }

    @Test
    void answersAnEmptyChallengeWhenNoInitialResponseWasSentButOnlyOnce() throws Exception {
        PlainMechanism m = new PlainMechanism(null, "tim", "pw");
        assertArrayEquals("\0tim\0pw".getBytes(UTF_8), m.evaluateChallenge(new byte[0]));
        assertThrows(AuthenticationException.class, () -> m.evaluateChallenge(new byte[0]));
    }

    @Test
    void refusesAChallengeAfterTheInitialResponse() throws Exception {
        PlainMechanism m = new PlainMechanism(null, "tim", "pw");
        m.initialResponse();
        assertThrows(AuthenticationException.class, () -> m.evaluateChallenge(new byte[0]));
        assertThrows(AuthenticationException.class, () -> m.evaluateChallenge("x".getBytes(UTF_8)));
    }

    @Test
    void disposeForgetsTheMessage() {
        PlainMechanism m = new PlainMechanism(null, "tim", "pw");
        m.dispose();
        assertThrows(AuthenticationException.class, m::initialResponse);
    }
}
