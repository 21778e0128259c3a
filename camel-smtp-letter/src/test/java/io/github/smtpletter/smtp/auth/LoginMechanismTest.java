package io.github.smtpletter.smtp.auth;

import javax.security.sasl.AuthenticationException;

import org.junit.jupiter.api.Test;

import static java.nio.charset.StandardCharsets.UTF_8;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoginMechanismTest {

    @Test
    void answersUsernameThenPassword() throws Exception {
        LoginMechanism m = new LoginMechanism("tim", "secret");
        assertEquals("LOGIN", m.name());
        assertTrue(m.sendsSecretInClear());
        assertNull(m.initialResponse());
        assertArrayEquals("tim".getBytes(UTF_8), m.evaluateChallenge("Username:".getBytes(UTF_8)));
        assertArrayEquals("secret".getBytes(UTF_8), m.evaluateChallenge("Password:".getBytes(UTF_8)));
    }

    @Test
    void ignoresThePromptText() throws Exception {
        LoginMechanism m = new LoginMechanism("tim", "secret");
        // some servers ask in lower case, some send other words or nothing at all
        assertArrayEquals("tim".getBytes(UTF_8), m.evaluateChallenge("Password:".getBytes(UTF_8)));
        assertArrayEquals("secret".getBytes(UTF_8), m.evaluateChallenge(new byte[0]));
    }

    @Test
    void refusesAThirdPrompt() throws Exception {
        LoginMechanism m = new LoginMechanism("tim", "secret");
        m.evaluateChallenge(new byte[0]);
        m.evaluateChallenge(new byte[0]);
        AuthenticationException e = assertThrows(AuthenticationException.class, () -> m.evaluateChallenge(new byte[0]));
        assertTrue(!e.getMessage().contains("secret"));
    }

    @Test
    void missingCredentialsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new LoginMechanism(null, "p"));
        assertThrows(IllegalArgumentException.class, () -> new LoginMechanism("u", ""));
    }
}
