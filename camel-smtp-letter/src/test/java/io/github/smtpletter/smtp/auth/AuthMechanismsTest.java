package io.github.smtpletter.smtp.auth;

import static io.github.smtpletter.smtp.auth.AuthenticatorTest.params;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.github.smtpletter.smtp.SmtpConnectionParameters;

class AuthMechanismsTest {

    private final SmtpConnectionParameters p = params("NONE").anonymousTrace("trace")
            .oauthTokenSupplier(() -> "token").saslMechanism("DIGEST-MD5").build();

    @Test
    void namesAreCaseInsensitive() {
        assertInstanceOf(PlainMechanism.class, AuthMechanisms.create("plain", p));
        assertInstanceOf(LoginMechanism.class, AuthMechanisms.create("Login", p));
        assertInstanceOf(CramMd5Mechanism.class, AuthMechanisms.create("cram-md5", p));
        assertInstanceOf(AnonymousMechanism.class, AuthMechanisms.create("anonymous", p));
        assertInstanceOf(XOAuth2Mechanism.class, AuthMechanisms.create("xoauth2", p));
        AuthMechanism sasl = AuthMechanisms.create(" sasl ", p);
        assertInstanceOf(SaslMechanism.class, sasl);
        assertEquals("DIGEST-MD5", sasl.name());
    }

    @Test
    void everyCallGivesANewInstance() {
        assertNotSame(AuthMechanisms.create("PLAIN", p), AuthMechanisms.create("PLAIN", p));
    }

    @Test
    void unknownNameListsTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AuthMechanisms.create("SCRAM-SHA-1", p));
        assertTrue(e.getMessage().contains("'SCRAM-SHA-1'"), e.getMessage());
        assertTrue(e.getMessage().contains("NONE, AUTO, PLAIN, LOGIN, CRAM-MD5, ANONYMOUS, XOAUTH2, SASL"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> AuthMechanisms.create(null, p));
    }

    @Test
    void noneAndAutoAreNotMechanisms() {
        assertThrows(IllegalArgumentException.class, () -> AuthMechanisms.create("NONE", p));
        assertThrows(IllegalArgumentException.class, () -> AuthMechanisms.create("auto", p));
    }

    @Test
    void namesAndSettings() {
        assertEquals(List.of("PLAIN", "LOGIN", "CRAM-MD5", "ANONYMOUS", "XOAUTH2", "SASL"),
                List.copyOf(AuthMechanisms.names()));
        assertEquals(List.of("NONE", "AUTO", "PLAIN", "LOGIN", "CRAM-MD5", "ANONYMOUS", "XOAUTH2", "SASL"),
                List.copyOf(AuthMechanisms.settings()));
    }

    @Test
    void normalize() {
        assertEquals("NONE", AuthMechanisms.normalize(null));
        assertEquals("NONE", AuthMechanisms.normalize(" "));
        assertEquals("AUTO", AuthMechanisms.normalize("auto"));
        assertEquals("CRAM-MD5", AuthMechanisms.normalize(" cram-md5 "));
        assertThrows(IllegalArgumentException.class, () -> AuthMechanisms.normalize("MD5"));
    }

    @Test
    void missingCredentialsAreReportedByName() {
        SmtpConnectionParameters bare = SmtpConnectionParameters.builder().host("h").build();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AuthMechanisms.create("LOGIN", bare))
                .getMessage().contains("username"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AuthMechanisms.create("XOAUTH2", bare))
                .getMessage().contains("username"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AuthMechanisms.create("SASL", bare))
                .getMessage().contains("saslMechanism"));
        assertInstanceOf(AnonymousMechanism.class, AuthMechanisms.create("ANONYMOUS", bare));
    }
}
