package io.github.smtpletter.smtp.auth;

import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import javax.security.sasl.AuthenticationException;

import org.junit.jupiter.api.Test;

import static java.nio.charset.StandardCharsets.UTF_8;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class XOAuth2MechanismTest {

    @Test
    void initialResponseFormat() throws Exception {
        XOAuth2Mechanism m = new XOAuth2Mechanism("someuser@example.com",
                () -> "ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg");
        assertEquals("XOAUTH2", m.name());
        assertTrue(m.sendsSecretInClear());
        byte[] ir = m.initialResponse();
        assertEquals(
                "user=someuser@example.com\u0001auth=Bearer ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg\u0001\u0001",
                new String(ir, UTF_8));
        // Google's documented example of the encoded form
        assertEquals(
                "dXNlcj1zb21ldXNlckBleGFtcGxlLmNvbQFhdXRoPUJlYXJlciB5YTI5LnZGOWRmdDRxbVRjMk52YjNSbGNrQmhkSFJoZG1semRH"
                     + "RXVZMjl0Q2cBAQ==", Base64.getEncoder().encodeToString(ir));
    }

    @Test
    void tokenIsAskedOncePerMechanismInstance() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Supplier<String> supplier = () -> "token-" + calls.incrementAndGet();
        assertTrue(new String(new XOAuth2Mechanism("u", supplier).initialResponse(), UTF_8).contains(
                "Bearer token-1\u0001"));
        assertTrue(new String(new XOAuth2Mechanism("u", supplier).initialResponse(), UTF_8).contains(
                "Bearer token-2\u0001"));
        assertEquals(2, calls.get());
    }

    @Test
    void missingTokenFails() {
        assertThrows(AuthenticationException.class, () -> new XOAuth2Mechanism("u", () -> null).initialResponse());
        assertThrows(AuthenticationException.class, () -> new XOAuth2Mechanism("u", () -> " ").initialResponse());
        AuthenticationException e = assertThrows(AuthenticationException.class,
                () -> new XOAuth2Mechanism("u", () -> {
                    throw new IllegalStateException("refresh failed");
                })
                        .initialResponse());
        assertTrue(e.getMessage().contains("oauthTokenSupplier"), e.getMessage());
        assertThrows(AuthenticationException.class, () -> new XOAuth2Mechanism("u", () -> "a\u0001b")
                .initialResponse());
    }

    @Test
    void missingConfigurationIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new XOAuth2Mechanism(null, () -> "t"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new XOAuth2Mechanism("u",
                null));
        assertTrue(e.getMessage().contains("oauthTokenSupplier"));
    }

    @Test
    void errorChallengeIsAnsweredEmptyAndReported() throws Exception {
        XOAuth2Mechanism m = new XOAuth2Mechanism("u", () -> "t");
        m.initialResponse();
        assertNull(m.failureDetail());
        byte[] json = "{\"status\":\"401\",\"schemes\":\"Bearer\",\"scope\":\"https://mail.google.com/\"}".getBytes(
                UTF_8);
        assertArrayEquals(new byte[0], m.evaluateChallenge(json));
        String detail = m.failureDetail();
        assertTrue(detail.contains("status 401"), detail);
        assertTrue(detail.contains("https://mail.google.com/"), detail);
        assertThrows(AuthenticationException.class, () -> m.evaluateChallenge(json));
    }

    @Test
    void errorWithoutStatusIsStillReported() throws Exception {
        XOAuth2Mechanism m = new XOAuth2Mechanism("u", () -> "t");
        m.evaluateChallenge("not json".getBytes(UTF_8));
        assertEquals("XOAUTH2 error from server: not json", m.failureDetail());
        assertFalse(m.failureDetail().contains("status"));
    }
}
