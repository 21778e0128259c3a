package io.github.smtpletter.smtp.auth;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.github.smtpletter.smtp.SmtpAuthException;
import io.github.smtpletter.smtp.SmtpAuthentication;
import io.github.smtpletter.smtp.SmtpConnectionParameters;
import io.github.smtpletter.testsupport.TestParameters;
import org.junit.jupiter.api.Test;

import static io.github.smtpletter.smtp.auth.AuthenticatorTest.HOST;
import static io.github.smtpletter.smtp.auth.AuthenticatorTest.PLAIN_IR;
import static io.github.smtpletter.smtp.auth.AuthenticatorTest.params;
import static io.github.smtpletter.smtp.auth.AuthenticatorTest.set;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AutoMechanismSelectorTest {

    private static final Set<String> EVERYTHING = set("LOGIN", "PLAIN", "DIGEST-MD5", "CRAM-MD5", "XOAUTH2",
            "SCRAM-SHA-256", "ANONYMOUS", "GSSAPI");
    /** What servers offered before SCRAM: the order among the others. */
    private static final Set<String> NO_SCRAM = set("LOGIN", "PLAIN", "DIGEST-MD5", "CRAM-MD5", "XOAUTH2",
            "ANONYMOUS", "GSSAPI");
    private static final ChannelBinding BINDING = new ChannelBinding(ChannelBinding.TLS_SERVER_END_POINT,
            new byte[32]);

    private static Optional<AuthMechanism> select(Set<String> offered, boolean tls, SmtpConnectionParameters p)
            throws Exception {
        return AutoMechanismSelector.select(offered, tls, (SmtpAuthentication.Auto) p.authentication(), p);
    }

    private static String chosen(Set<String> offered, boolean tls, SmtpConnectionParameters p) throws Exception {
        Optional<AuthMechanism> m = select(offered, tls, p);
        assertTrue(m.isPresent(), "nothing chosen");
        return m.get().name();
    }

    @Test
    void documentedOrder() {
        assertEquals(List.of("SCRAM-SHA-256-PLUS", "SCRAM-SHA-256", "SCRAM-SHA-1-PLUS", "SCRAM-SHA-1", "OAUTHBEARER",
                "XOAUTH2", "CRAM-MD5", "DIGEST-MD5", "PLAIN", "LOGIN", "ANONYMOUS"), AutoMechanismSelector.ORDER);
    }

    @Test
    void xoauth2FirstWhenATokenSupplierIsSet() throws Exception {
        assertEquals("XOAUTH2", chosen(NO_SCRAM, true, params("AUTO").oauthTokenSupplier(() -> "t").build()));
    }

    @Test
    void oauthBearerBeforeXoauth2() throws Exception {
        Set<String> offered = set("XOAUTH2", "OAUTHBEARER", "PLAIN");
        Optional<AuthMechanism> m = select(offered, true, params("AUTO").oauthTokenSupplier(() -> "t").build());
        assertInstanceOf(OAuthBearerMechanism.class, m.orElseThrow());
        SmtpAuthException e = assertThrows(SmtpAuthException.class, () -> select(set("OAUTHBEARER"), false,
                params("AUTO").oauthTokenSupplier(() -> "t").build()));
        assertTrue(e.getMessage().contains("OAUTHBEARER (clear-text bearer token without TLS)"), e.getMessage());
    }

    @Test
    void xoauth2NotWithoutTokenSupplier() throws Exception {
        assertEquals("CRAM-MD5", chosen(NO_SCRAM, true, params("AUTO").build()));
    }

    @Test
    void xoauth2SkippedWithoutTls() throws Exception {
        assertEquals("CRAM-MD5", chosen(NO_SCRAM, false, params("AUTO").oauthTokenSupplier(() -> "t").build()));
    }

    @Test
    void scramFirstWithAPassword() throws Exception {
        assertEquals("SCRAM-SHA-256", chosen(EVERYTHING, true, params("AUTO").oauthTokenSupplier(() -> "t").build()));
        assertEquals("SCRAM-SHA-256", chosen(EVERYTHING, false, params("AUTO").build()));
        assertEquals("SCRAM-SHA-1", chosen(set("SCRAM-SHA-1", "CRAM-MD5", "PLAIN"), false, params("AUTO").build()));
        assertEquals("XOAUTH2", chosen(EVERYTHING, true, params("AUTO").password(null)
                .oauthTokenSupplier(() -> "t").build()));
    }

    @Test
    void scramPlusOnlyWithChannelBinding() throws Exception {
        Set<String> offered = set("SCRAM-SHA-1", "SCRAM-SHA-1-PLUS", "SCRAM-SHA-256", "SCRAM-SHA-256-PLUS");
        SmtpConnectionParameters p = params("AUTO").build();
        SmtpAuthentication.Auto auto = (SmtpAuthentication.Auto) p.authentication();
        assertEquals("SCRAM-SHA-256-PLUS", AutoMechanismSelector.select(offered, true, auto, p, BINDING)
                .orElseThrow().name());
        assertEquals("SCRAM-SHA-1-PLUS", AutoMechanismSelector.select(set("SCRAM-SHA-1", "SCRAM-SHA-1-PLUS"), true,
                auto, p, BINDING).orElseThrow().name());
        // no binding (no TLS, or a certificate without one): the plain form, with the GS2 flag n
        AuthMechanism plain = AutoMechanismSelector.select(offered, true, auto, p, null).orElseThrow();
        assertEquals("SCRAM-SHA-256", plain.name());
        assertTrue(new String(plain.initialResponse(), StandardCharsets.UTF_8).startsWith("n,,"));
        // binding possible, -PLUS not offered: flag y
        AuthMechanism y = AutoMechanismSelector.select(set("SCRAM-SHA-256"), true, auto, p, BINDING).orElseThrow();
        assertTrue(new String(y.initialResponse(), StandardCharsets.UTF_8).startsWith("y,,"));
        SmtpAuthException e = assertThrows(SmtpAuthException.class,
                () -> AutoMechanismSelector.select(set("SCRAM-SHA-256-PLUS"), false, auto, p, null));
        assertTrue(e.getMessage().contains("SCRAM-SHA-256-PLUS (no TLS to bind to)"), e.getMessage());
    }

    @Test
    void digestMd5ThroughTheJdkAfterCramMd5() throws Exception {
        Optional<AuthMechanism> m = select(set("PLAIN", "DIGEST-MD5", "LOGIN"), true,
                params("AUTO").build());
        assertInstanceOf(SaslMechanism.class, m.orElseThrow());
        assertEquals("DIGEST-MD5", m.get().name());
    }

    @Test
    void plainBeforeLogin() throws Exception {
        assertEquals("PLAIN", chosen(set("LOGIN", "PLAIN"), true, params("AUTO").build()));
        assertEquals("LOGIN", chosen(set("LOGIN"), true, params("AUTO").build()));
    }

    @Test
    void clearTextSkippedWithoutTlsUnlessAllowed() throws Exception {
        SmtpAuthException e = assertThrows(SmtpAuthException.class,
                () -> select(set("PLAIN", "LOGIN"), false, params("AUTO").build()));
        assertTrue(e.getMessage().contains("server offers: PLAIN LOGIN"), e.getMessage());
        assertTrue(e.getMessage().contains("PLAIN (clear-text password without TLS)"), e.getMessage());
        assertTrue(e.getMessage().contains("allowPlaintextAuth"), e.getMessage());
        assertFalse(e.isRetryable());
        assertEquals("PLAIN", chosen(set("PLAIN", "LOGIN"), false, params("AUTO").allowPlaintextAuth(true).build()));
    }

    @Test
    void challengeResponseMechanismsGoWithoutTls() throws Exception {
        assertEquals("CRAM-MD5", chosen(set("PLAIN", "CRAM-MD5"), false, params("AUTO").build()));
        assertEquals("DIGEST-MD5", chosen(set("PLAIN", "DIGEST-MD5"), false, params("AUTO").build()));
    }

    @Test
    void anonymousOnlyWithoutUsernameAndWithTrace() throws Exception {
        SmtpConnectionParameters anon = TestParameters.builder().host(HOST).authMechanism("AUTO")
                .anonymousTrace("ops@example.org").build();
        assertEquals("ANONYMOUS", chosen(EVERYTHING, false, anon));
        // with a username, ANONYMOUS is never chosen
        SmtpAuthException e = assertThrows(SmtpAuthException.class, () -> select(
                set("ANONYMOUS"), true, params("AUTO").anonymousTrace("ops@example.org").build()));
        assertTrue(e.getMessage().contains("ANONYMOUS (a username is configured)"), e.getMessage());
    }

    @Test
    void passwordMechanismsSkippedWithoutPassword() {
        SmtpAuthException e = assertThrows(SmtpAuthException.class, () -> select(
                set("CRAM-MD5", "PLAIN"), true, params("AUTO").password(null).build()));
        assertTrue(e.getMessage().contains("CRAM-MD5 (no username/password)"), e.getMessage());
    }

    @Test
    void nothingConfiguredMeansNoAuth() throws Exception {
        SmtpConnectionParameters p = TestParameters.builder().host(HOST).authMechanism("AUTO").build();
        assertTrue(select(EVERYTHING, true, p).isEmpty());
        ScriptedChannel ch = new ScriptedChannel();
        Authenticator.authenticate(ch, EVERYTHING, true, p);
        assertEquals(List.of(), ch.lines());
    }

    @Test
    void credentialsButNoAuthOfferedFails() {
        SmtpAuthException e = assertThrows(SmtpAuthException.class,
                () -> select(Set.of(), false, params("AUTO").build()));
        assertTrue(e.getMessage().contains("offers no AUTH"), e.getMessage());
    }

    @Test
    void onlyUnsupportedMechanismsOfferedFailsListingThem() {
        SmtpAuthException e = assertThrows(SmtpAuthException.class,
                () -> select(set("GSSAPI", "NTLM"), true, params("AUTO").build()));
        assertTrue(e.getMessage().contains("server offers: GSSAPI NTLM"), e.getMessage());
    }

    @Test
    void autoThroughTheAuthenticator() throws Exception {
        ScriptedChannel cram = new ScriptedChannel().then(334,
                "PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+")
                .then(235, "ok");
        Authenticator.authenticate(cram, set("PLAIN", "LOGIN", "CRAM-MD5"), true, params("auto").build());
        assertEquals(List.of("AUTH CRAM-MD5", "dGltIGI5MTNhNjAyYzdlZGE3YTQ5NWI0ZTZlNzMzNGQzODkw"), cram.lines());

        ScriptedChannel plain = new ScriptedChannel().then(235, "ok");
        Authenticator.authenticate(plain, set("LOGIN", "PLAIN"), true, params("AUTO").build());
        assertEquals(List.of("AUTH PLAIN " + PLAIN_IR), plain.lines());
    }
}
