package io.github.smtpletter.smtp.auth;

import javax.security.sasl.AuthenticationException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static java.nio.charset.StandardCharsets.UTF_8;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AnonymousMechanismTest {

    @Test
    void emailTrace() throws Exception {
        AnonymousMechanism m = new AnonymousMechanism("sirhc@example.org");
        assertEquals("ANONYMOUS", m.name());
        assertFalse(m.sendsSecretInClear());
        assertArrayEquals("sirhc@example.org".getBytes(UTF_8), m.initialResponse());
    }

    @Test
    void opaqueTokenTrace() throws Exception {
        // RFC 4505 section 3 example
        assertArrayEquals("sirhc".getBytes(UTF_8), new AnonymousMechanism("sirhc").initialResponse());
        assertArrayEquals("Bücherwurm".getBytes(UTF_8), new AnonymousMechanism("Bücherwurm").initialResponse());
    }

    @Test
    void noTraceIsAnEmptyInitialResponse() throws Exception {
        assertArrayEquals(new byte[0], new AnonymousMechanism(null).initialResponse());
        assertArrayEquals(new byte[0], new AnonymousMechanism("").initialResponse());
    }

    @Test
    void tokenOf255CharactersIsAcceptedAnd256Rejected() {
        new AnonymousMechanism("x".repeat(255));
        new AnonymousMechanism("ü".repeat(255)); // characters, not octets
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new AnonymousMechanism("x".repeat(256)));
        assertTrue(e.getMessage().contains("anonymousTrace"), e.getMessage());
        assertTrue(e.getMessage().contains("255"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = { "a@b@c", "@example.org", "user@", "us er@example.org", "line\r\nbreak", "tab\there",
            "nul\0" })
    void invalidTracesAreRejectedNamingTheOption(String trace) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new AnonymousMechanism(trace));
        assertTrue(e.getMessage().contains("anonymousTrace"), e.getMessage());
    }

    @Test
    void overlongEmailIsRejected() {
        String address = "a".repeat(64) + "@" + "d".repeat(190) + ".example";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new AnonymousMechanism(address));
        assertTrue(e.getMessage().contains("anonymousTrace"), e.getMessage());
    }

    @Test
    void answersAnEmptyChallengeOnce() throws Exception {
        AnonymousMechanism m = new AnonymousMechanism("trace");
        assertArrayEquals("trace".getBytes(UTF_8), m.evaluateChallenge(new byte[0]));
        assertThrows(AuthenticationException.class, () -> m.evaluateChallenge(new byte[0]));
    }
}
