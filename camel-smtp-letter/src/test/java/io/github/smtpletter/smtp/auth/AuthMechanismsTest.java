package io.github.smtpletter.smtp.auth;

import io.github.smtpletter.smtp.SmtpAuthentication;
import io.github.smtpletter.smtp.SmtpAuthentication.PasswordMechanism;
import io.github.smtpletter.testsupport.TestParameters;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AuthMechanismsTest {

    private static final String HOST = "h";

    @Test
    void eachKindGetsItsMechanism() {
        assertInstanceOf(PlainMechanism.class, create(TestParameters.builder().authMechanism("plain")));
        assertInstanceOf(LoginMechanism.class, create(TestParameters.builder().authMechanism("Login")));
        assertInstanceOf(CramMd5Mechanism.class, create(TestParameters.builder().authMechanism("cram-md5")));
        assertInstanceOf(AnonymousMechanism.class, create(TestParameters.builder().authMechanism("anonymous")));
        assertInstanceOf(XOAuth2Mechanism.class, create(TestParameters.builder().authMechanism("xoauth2")));
        AuthMechanism sasl = create(TestParameters.builder().authMechanism(" sasl ").saslMechanism("DIGEST-MD5"));
        assertInstanceOf(SaslMechanism.class, sasl);
        assertEquals("DIGEST-MD5", sasl.name());
    }

    @Test
    void everyCallGivesANewInstance() {
        SmtpAuthentication plain = SmtpAuthentication.password(PasswordMechanism.PLAIN, "u", "p");
        assertNotSame(AuthMechanisms.create(plain, HOST), AuthMechanisms.create(plain, HOST));
    }

    @Test
    void noneAndAutoAreNotMechanisms() {
        assertThrows(IllegalArgumentException.class, () -> AuthMechanisms.create(SmtpAuthentication.none(), HOST));
        assertThrows(IllegalArgumentException.class,
                () -> AuthMechanisms.create(SmtpAuthentication.auto("u", "p"), HOST));
    }

    @Test
    void missingCredentialsAreReportedByName() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AuthMechanisms.create(
                SmtpAuthentication.password(PasswordMechanism.LOGIN, null, null), HOST)).getMessage()
                .contains("username"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AuthMechanisms.create(
                SmtpAuthentication.oauthToken(null, null), HOST)).getMessage().contains("username"));
        assertInstanceOf(AnonymousMechanism.class,
                AuthMechanisms.create(SmtpAuthentication.anonymous(null), HOST));
    }

    private static AuthMechanism create(TestParameters options) {
        return AuthMechanisms.create(options.username("u").password("p").anonymousTrace("trace")
                .oauthTokenSupplier(() -> "token").authentication(), HOST);
    }
}
