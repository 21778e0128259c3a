package io.github.smtpletter.smtp.auth;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.smtpletter.smtp.SmtpAuthException;
import io.github.smtpletter.smtp.SmtpConnectionParameters;
import io.github.smtpletter.testsupport.TestParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static java.nio.charset.StandardCharsets.UTF_8;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Wire-level tests of the AUTH exchange (RFC 4954) against a scripted fake session. */
class AuthenticatorTest {

    static final String HOST = "mail.example.org";
    static final String USER = "tim";
    static final String PASSWORD = "tanstaaftanstaaf";
    /** base64 of "\0tim\0tanstaaftanstaaf" (RFC 4616's example). */
    static final String PLAIN_IR = "AHRpbQB0YW5zdGFhZnRhbnN0YWFm";
    static final Set<String> ALL = set("PLAIN", "LOGIN", "CRAM-MD5", "DIGEST-MD5", "ANONYMOUS", "XOAUTH2");

    static TestParameters params(String mechanism) {
        return TestParameters.builder().host(HOST).authMechanism(mechanism).username(USER).password(PASSWORD);
    }

    static Set<String> set(String... names) {
        return new LinkedHashSet<>(List.of(names));
    }

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(UTF_8));
    }

    // ---------------------------------------------------------------- mechanisms on the wire

    @Test
    void noneSendsNothing() throws Exception {
        ScriptedChannel ch = new ScriptedChannel();
        Authenticator.authenticate(ch, ALL, false, params("NONE").build());
        Authenticator.authenticate(ch, Set.of(), false, TestParameters.builder().host(HOST).build());
        assertEquals(List.of(), ch.lines());
    }

    @Test
    void plainSendsTheInitialResponseOnTheAuthLine() throws Exception {
        ScriptedChannel ch = new ScriptedChannel().then(235, "2.7.0", "Authentication successful");
        Authenticator.authenticate(ch, set("PLAIN", "LOGIN"), true, params("PLAIN").build());
        assertEquals(List.of(new ScriptedChannel.Sent("AUTH PLAIN " + PLAIN_IR, true)), ch.sent());
    }

    @Test
    void plainWithAuthorizationId() throws Exception {
        ScriptedChannel ch = new ScriptedChannel().then(235, "ok");
        Authenticator.authenticate(ch, set("PLAIN"), true,
                params("plain").authorizationId("Ursel").username("Kurt").password("xipj3plmq").build());
        assertEquals(List.of("AUTH PLAIN " + b64("Ursel\0Kurt\0xipj3plmq")), ch.lines());
        assertEquals("AUTH PLAIN VXJzZWwAS3VydAB4aXBqM3BsbXE=", ch.lines().get(0));
    }

    @Test
    void loginAnswersBothPromptsOnContinuationLines() throws Exception {
        ScriptedChannel ch = new ScriptedChannel()
                .then(334, "VXNlcm5hbWU6")
                .then(334, "UGFzc3dvcmQ6")
                .then(235, "2.7.0", "Authentication successful");
        Authenticator.authenticate(ch, set("LOGIN"), true, params("LOGIN").build());
        assertEquals(List.of(
                new ScriptedChannel.Sent("AUTH LOGIN", false),
                new ScriptedChannel.Sent("dGlt", true),
                new ScriptedChannel.Sent("dGFuc3RhYWZ0YW5zdGFhZg==", true)), ch.sent());
        assertTrue(ch.finished());
    }

    @Test
    void cramMd5RfcExchange() throws Exception {
        ScriptedChannel ch = new ScriptedChannel()
                .then(334, "PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+")
                .then(235, "Authentication successful");
        Authenticator.authenticate(ch, set("CRAM-MD5"), false, params("CRAM-MD5").build());
        assertEquals(List.of("AUTH CRAM-MD5", "dGltIGI5MTNhNjAyYzdlZGE3YTQ5NWI0ZTZlNzMzNGQzODkw"), ch.lines());
        assertTrue(ch.sent().get(1).sensitive());
    }

    @Test
    void cramMd5AgainstTheJdkServer() throws Exception {
        SaslServerChannel peer = new SaslServerChannel(HOST, USER, PASSWORD, "example.org");
        Authenticator.authenticate(peer, set("CRAM-MD5"), false, params("CRAM-MD5").build());
        assertEquals(USER, peer.authorizedAs());

        SaslServerChannel wrong = new SaslServerChannel(HOST, USER, "other", "example.org");
        SmtpAuthException e = assertThrows(SmtpAuthException.class,
                () -> Authenticator.authenticate(wrong, set("CRAM-MD5"), false, params("CRAM-MD5").build()));
        assertEquals(535, e.reply().code());
        assertFalse(e.isRetryable());
    }

    @Test
    void anonymousSendsTheTrace() throws Exception {
        ScriptedChannel ch = new ScriptedChannel().then(235, "ok");
        Authenticator.authenticate(ch, set("ANONYMOUS"), false,
                TestParameters.builder().host(HOST).authMechanism("ANONYMOUS").anonymousTrace("sirhc").build());
        assertEquals(List.of("AUTH ANONYMOUS c2lyaGM="), ch.lines());
    }

    @Test
    void emptyInitialResponseIsAnEqualsSign() throws Exception {
        ScriptedChannel ch = new ScriptedChannel().then(235, "ok");
        Authenticator.authenticate(ch, set("ANONYMOUS"), false,
                TestParameters.builder().host(HOST).authMechanism("ANONYMOUS").build());
        assertEquals(List.of(new ScriptedChannel.Sent("AUTH ANONYMOUS =", false)), ch.sent());
    }

    @Test
    void invalidAnonymousTraceFailsBeforeSendingNamingTheOption() {
        ScriptedChannel ch = new ScriptedChannel();
        SmtpAuthException e = assertThrows(SmtpAuthException.class, () -> Authenticator.authenticate(ch,
                set("ANONYMOUS"), false, TestParameters.builder().host(HOST).authMechanism("ANONYMOUS")
                        .anonymousTrace("a@b@c").build()));
        assertTrue(e.getMessage().contains("anonymousTrace"), e.getMessage());
        assertFalse(e.isRetryable());
        assertEquals(List.of(), ch.lines());
    }

    @Test
    void xoauth2AsksForAFreshTokenOnEveryAuthentication() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        SmtpConnectionParameters p = params("XOAUTH2").password(null)
                .oauthTokenSupplier(() -> "token" + calls.incrementAndGet()).build();
        ScriptedChannel first = new ScriptedChannel().then(235, "2.7.0", "Accepted");
        ScriptedChannel second = new ScriptedChannel().then(235, "2.7.0", "Accepted");
        Authenticator.authenticate(first, set("XOAUTH2"), true, p);
        Authenticator.authenticate(second, set("XOAUTH2"), true, p);
        assertEquals(List.of(new ScriptedChannel.Sent(
                "AUTH XOAUTH2 " + b64("user=tim\u0001auth=Bearer token1\u0001\u0001"), true)), first.sent());
        assertEquals(List.of("AUTH XOAUTH2 " + b64("user=tim\u0001auth=Bearer token2\u0001\u0001")), second.lines());
    }

    @Test
    void xoauth2ErrorChallengeIsAnsweredEmptyAndItsStatusReported() {
        String json = "{\"status\":\"401\",\"schemes\":\"Bearer\",\"scope\":\"https://mail.google.com/\"}";
        ScriptedChannel ch = new ScriptedChannel()
                .then(334, b64(json))
                .then(535, "5.7.8", "Username and Password not accepted.");
        SmtpConnectionParameters p = params("XOAUTH2").password(null).oauthTokenSupplier(() -> "expired-token").build();
        SmtpAuthException e = assertThrows(SmtpAuthException.class,
                () -> Authenticator.authenticate(ch, set("XOAUTH2", "PLAIN"), true, p));
        assertEquals(List.of("AUTH XOAUTH2 " + b64("user=tim\u0001auth=Bearer expired-token\u0001\u0001"), ""),
                ch.lines());
        assertTrue(ch.sent().get(1).sensitive());
        assertTrue(e.getMessage().contains("status 401"), e.getMessage());
        assertTrue(e.getMessage().contains("535 5.7.8 Username and Password not accepted."), e.getMessage());
        assertFalse(e.getMessage().contains("expired-token"), e.getMessage());
        assertFalse(e.isRetryable());
    }

    @Test
    void xoauth2WithoutTokenFailsBeforeSending() {
        ScriptedChannel ch = new ScriptedChannel();
        SmtpConnectionParameters p = params("XOAUTH2").oauthTokenSupplier(() -> null).build();
        SmtpAuthException e = assertThrows(SmtpAuthException.class,
                () -> Authenticator.authenticate(ch, set("XOAUTH2"), true, p));
        assertTrue(e.getMessage().contains("oauthTokenSupplier returned no token"), e.getMessage());
        assertEquals(List.of(), ch.lines());
    }

    @Test
    void saslExternalSendsAnEmptyInitialResponse() throws Exception {
        ScriptedChannel ch = new ScriptedChannel().then(235, "ok");
        Authenticator.authenticate(ch, set("EXTERNAL"), true, TestParameters.builder().host(HOST)
                .authMechanism("SASL").saslMechanism("external").build());
        assertEquals(List.of("AUTH EXTERNAL ="), ch.lines());
    }

    @Test
    void saslDigestMd5AgainstTheJdkServerIncludingRspauth() throws Exception {
        SaslServerChannel peer = new SaslServerChannel(HOST, USER, PASSWORD, "example.org");
        Authenticator.authenticate(peer, set("DIGEST-MD5", "PLAIN"), false,
                params("SASL").saslMechanism("DIGEST-MD5").build());
        assertEquals(USER, peer.authorizedAs());
        // AUTH line, the digest-response, then the empty answer to the rspauth challenge
        assertEquals(3, peer.lines().size(), peer.lines().toString());
        assertEquals("AUTH DIGEST-MD5", peer.lines().get(0));
        String response = new String(Base64.getDecoder().decode(peer.lines().get(1)), UTF_8);
        assertTrue(response.contains("username=\"tim\""), response);
        assertEquals("", peer.lines().get(2));
    }

    @Test
    void saslDigestMd5WrongPassword() {
        SaslServerChannel peer = new SaslServerChannel(HOST, USER, "something else", "example.org");
        SmtpAuthException e = assertThrows(SmtpAuthException.class, () -> Authenticator.authenticate(peer,
                set("DIGEST-MD5"), false, params("SASL").saslMechanism("DIGEST-MD5").build()));
        assertEquals(535, e.reply().code());
        assertTrue(e.getMessage().contains("AUTH DIGEST-MD5"), e.getMessage());
        assertTrue(e.getMessage().contains("bad credentials"), e.getMessage());
    }

    @Test
    void saslWithoutJdkClientFailsClearlyBeforeAnyConnection() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> params("SASL").saslMechanism("SCRAM-SHA-256").build());
        assertTrue(e.getMessage().contains("The JDK has no SASL client for mechanism 'SCRAM-SHA-256'"), e.getMessage());
    }

    @Test
    void saslWithoutMechanismNameFailsNamingTheOption() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> params("SASL").build());
        assertTrue(e.getMessage().contains("saslMechanism"), e.getMessage());
    }

    @Test
    void offeredNamesAreComparedCaseInsensitively() throws Exception {
        ScriptedChannel ch = new ScriptedChannel().then(235, "ok");
        Authenticator.authenticate(ch, set("plain", "login"), true, params("PLAIN").build());
        assertEquals(1, ch.lines().size());
    }

    // ---------------------------------------------------------------- rules before sending

    @ParameterizedTest
    @ValueSource(strings = { "PLAIN", "LOGIN", "XOAUTH2" })
    void clearTextMechanismsNeedTls(String mechanism) {
        ScriptedChannel ch = new ScriptedChannel();
        SmtpConnectionParameters p = params(mechanism).oauthTokenSupplier(() -> "tok").build();
        SmtpAuthException e = assertThrows(SmtpAuthException.class,
                () -> Authenticator.authenticate(ch, ALL, false, p));
        assertTrue(e.getMessage().contains("without TLS"), e.getMessage());
        assertTrue(e.getMessage().contains("allowPlaintextAuth"), e.getMessage());
        assertTrue(e.getMessage().contains("AUTH " + mechanism), e.getMessage());
        assertFalse(e.isRetryable());
        assertNull(e.reply());
        assertEquals(List.of(), ch.lines(), "nothing may be sent");
    }

    @Test
    void allowPlaintextAuthLetsPlainGoWithoutTls() throws Exception {
        ScriptedChannel ch = new ScriptedChannel().then(235, "ok");
        Authenticator.authenticate(ch, ALL, false, params("PLAIN").allowPlaintextAuth(true).build());
        assertEquals(List.of("AUTH PLAIN " + PLAIN_IR), ch.lines());
    }

    @Test
    void saslPlainThroughTheJdkAlsoNeedsTls() {
        SmtpAuthException e = assertThrows(SmtpAuthException.class, () -> Authenticator.authenticate(
                new ScriptedChannel(), ALL, false, params("SASL").saslMechanism("PLAIN").build()));
        assertTrue(e.getMessage().contains("allowPlaintextAuth"), e.getMessage());
    }

    @Test
    void mechanismNotOfferedFailsListingWhatIs() {
        ScriptedChannel ch = new ScriptedChannel();
        SmtpAuthException e = assertThrows(SmtpAuthException.class,
                () -> Authenticator.authenticate(ch, set("PLAIN", "LOGIN"), true, params("CRAM-MD5").build()));
        assertTrue(e.getMessage().contains("does not offer AUTH CRAM-MD5"), e.getMessage());
        assertTrue(e.getMessage().contains("server offers: PLAIN LOGIN"), e.getMessage());
        assertFalse(e.isRetryable());
        assertEquals(List.of(), ch.lines());
    }

    @Test
    void serverWithoutAuthFailsWhenAMechanismIsRequested() {
        ScriptedChannel ch = new ScriptedChannel();
        SmtpAuthException e = assertThrows(SmtpAuthException.class,
                () -> Authenticator.authenticate(ch, Set.of(), false, params("CRAM-MD5").build()));
        assertTrue(e.getMessage().contains("offers no AUTH"), e.getMessage());
        assertTrue(e.getMessage().contains("STARTTLS"), e.getMessage());
        SmtpAuthException nullSet = assertThrows(SmtpAuthException.class,
                () -> Authenticator.authenticate(ch, null, true, params("PLAIN").build()));
        assertTrue(nullSet.getMessage().contains("offers no AUTH"), nullSet.getMessage());
        assertEquals(List.of(), ch.lines());
    }

    @Test
    void missingCredentialsFailBeforeSending() {
        SmtpAuthException e = assertThrows(SmtpAuthException.class, () -> Authenticator.authenticate(
                new ScriptedChannel(), ALL, true, params("PLAIN").password(null).build()));
        assertTrue(e.getMessage().contains("password"), e.getMessage());
        assertFalse(e.isRetryable());
        assertInstanceOf(IllegalArgumentException.class, e.getCause());
    }

    @Test
    void unknownMechanismSettingListsTheKnownOnesBeforeAnyConnection() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> params("KERBEROS").build());
        assertTrue(e.getMessage().contains(
                "NONE, AUTO, PLAIN, LOGIN, CRAM-MD5, SCRAM-SHA-256, SCRAM-SHA-1, ANONYMOUS, XOAUTH2, OAUTHBEARER, SASL"),
                e.getMessage());
    }

    // ---------------------------------------------------------------- cancel

    @Test
    void challengeThatIsNotBase64IsCancelled() {
        ScriptedChannel ch = new ScriptedChannel()
                .then(334, "VXNlcm5hbWU6")
                .then(334, "this is not base64!")
                .then(501, "5.7.0", "Authentication aborted");
        SmtpAuthException e = assertThrows(SmtpAuthException.class,
                () -> Authenticator.authenticate(ch, set("LOGIN"), true, params("LOGIN").build()));
        assertEquals(List.of("AUTH LOGIN", "dGlt", "*"), ch.lines());
        assertFalse(ch.sent().get(2).sensitive());
        assertTrue(e.getMessage().contains("cancelled by the client"), e.getMessage());
        assertTrue(e.getMessage().contains("not valid base64"), e.getMessage());
        assertTrue(e.getMessage().contains("501 5.7.0 Authentication aborted"), e.getMessage());
        assertFalse(e.getMessage().contains("expected 501"), e.getMessage());
        assertEquals(501, e.reply().code());
        assertFalse(e.isRetryable());
    }

    @Test
    void challengeTheMechanismRefusesIsCancelled() {
        ScriptedChannel ch = new ScriptedChannel()
                .then(334, "")                 // CRAM-MD5 needs a non-empty challenge
                .then(501, "cancelled");
        SmtpAuthException e = assertThrows(SmtpAuthException.class,
                () -> Authenticator.authenticate(ch, set("CRAM-MD5"), true, params("CRAM-MD5").build()));
        assertEquals(List.of("AUTH CRAM-MD5", "*"), ch.lines());
        assertTrue(e.getMessage().contains("refused the server's challenge"), e.getMessage());
    }

    @Test
    void cancelAnsweredWithSomethingElseIsNoted() {
        ScriptedChannel ch = new ScriptedChannel()
                .then(334, "PDE+")
                .then(334, "PDI+")
                .then(250, "whatever");
        SmtpAuthException e = assertThrows(SmtpAuthException.class,
                () -> Authenticator.authenticate(ch, set("CRAM-MD5"), true, params("CRAM-MD5").build()));
        assertEquals(3, ch.lines().size());
        assertEquals("*", ch.lines().get(2));
        assertTrue(e.getMessage().contains("(expected 501)"), e.getMessage());
    }

    @Test
    void endlessChallengesAreCancelled() {
        ScriptedChannel ch = new ScriptedChannel();
        for (int i = 0; i <= Authenticator.MAX_CHALLENGES; i++) {
            ch.then(334, "");
        }
        ch.then(501, "cancelled");
        AuthMechanism talkative = new AuthMechanism() {
            @Override
            public String name() {
                return "X-ECHO";
            }

            @Override
            public boolean sendsSecretInClear() {
                return false;
            }

            @Override
            public byte[] initialResponse() {
                return null;
            }

            @Override
            public byte[] evaluateChallenge(byte[] challenge) {
                return new byte[0];
            }
        };
        SmtpAuthException e = assertThrows(SmtpAuthException.class,
                () -> Authenticator.exchange(ch, talkative, params("NONE").build()));
        assertEquals(Authenticator.MAX_CHALLENGES + 2, ch.lines().size());
        assertEquals("*", ch.lines().get(ch.lines().size() - 1));
        assertTrue(ch.finished());
        assertTrue(e.getMessage().contains("more than " + Authenticator.MAX_CHALLENGES + " challenges"), e
                .getMessage());
    }

    // ---------------------------------------------------------------- reply mapping

    @ParameterizedTest(name = "{0} -> {2}")
    @CsvSource(delimiter = '|', value = {
            "535|5.7.8|bad credentials|false",
            "534|5.7.9|mechanism too weak|false",
            "538|5.7.11|encryption required|false",
            "454|4.7.0|temporary authentication failure|true",
            "530|5.7.0|authentication required|false",
            "504|5.5.4|does not recognize the mechanism PLAIN|false",
            "501|5.5.2|syntax error|false",
            "500|5.5.6|did not accept the AUTH line|false",
            "432|4.7.12|password transition|true",
            "421|4.4.2|temporary failure|true",
            "554|5.7.1|authentication failed|false" })
    void everyFailureReplyIsMapped(int code, String enhanced, String expected, boolean retryable) {
        ScriptedChannel ch = new ScriptedChannel().then(code, enhanced, "Server says no");
        SmtpAuthException e = assertThrows(SmtpAuthException.class,
                () -> Authenticator.authenticate(ch, ALL, true, params("PLAIN").build()));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.getMessage().contains(code + " " + enhanced + " Server says no"), e.getMessage());
        assertTrue(e.getMessage().contains("AUTH PLAIN to mail.example.org:25"), e.getMessage());
        assertEquals(code, e.reply().code());
        assertEquals(retryable, e.isRetryable());
    }

    @Test
    void failureAfterAContinuationIsMappedToo() {
        ScriptedChannel ch = new ScriptedChannel()
                .then(334, "VXNlcm5hbWU6")
                .then(334, "UGFzc3dvcmQ6")
                .then(535, "5.7.8", "Error: authentication failed");
        SmtpAuthException e = assertThrows(SmtpAuthException.class,
                () -> Authenticator.authenticate(ch, ALL, true, params("LOGIN").build()));
        assertTrue(e.getMessage().contains("bad credentials"), e.getMessage());
        assertEquals(3, ch.lines().size());
    }

    @Test
    void connectionFailureIsRetryable() {
        SocketTimeoutException timeout = new SocketTimeoutException("Read timed out");
        ScriptedChannel ch = new ScriptedChannel().then(334, "VXNlcm5hbWU6").thenFail(timeout);
        SmtpAuthException e = assertThrows(SmtpAuthException.class,
                () -> Authenticator.authenticate(ch, ALL, true, params("LOGIN").build()));
        assertTrue(e.isRetryable());
        assertSame(timeout, e.getCause());
        assertTrue(e.getMessage().contains("connection problem"), e.getMessage());
        assertTrue(e.getMessage().contains("Read timed out"), e.getMessage());
    }

    @Test
    void smtpAuthExceptionFromTheChannelPassesThrough() {
        SmtpAuthException own = new SmtpAuthException("from the session");
        ScriptedChannel ch = new ScriptedChannel().thenFail(own);
        assertSame(own, assertThrows(SmtpAuthException.class,
                () -> Authenticator.authenticate(ch, ALL, true, params("PLAIN").build())));
    }

    @Test
    void ioExceptionIsTheDeclaredSupertype() {
        // callers catching IOException see the auth failure too
        IOException e = assertThrows(IOException.class, () -> Authenticator.authenticate(new ScriptedChannel()
                .then(535, "no"), ALL, true, params("PLAIN").build()));
        assertInstanceOf(SmtpAuthException.class, e);
    }
}
