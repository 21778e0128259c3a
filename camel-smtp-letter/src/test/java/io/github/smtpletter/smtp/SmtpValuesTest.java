package io.github.smtpletter.smtp;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import io.github.smtpletter.letter.MailAddress;
import io.github.smtpletter.smtp.SmtpAuthentication.PasswordMechanism;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SmtpConnectionParameters, SmtpReply, SendStatus, SendResult, RecipientFailure, SmtpException. */
class SmtpValuesTest {

    @Test
    void parameterDefaults() {
        SmtpConnectionParameters p = SmtpConnectionParameters.builder(SmtpServer.of("mx.test")).build();
        assertEquals(0, p.server().port());
        assertEquals(25, p.server().effectivePort());
        assertEquals(SmtpSecurity.NONE, p.server().security());
        assertEquals(SmtpAuthentication.none(), p.authentication());
        assertEquals("NONE", p.authentication().authMechanism());
        assertFalse(p.allowPlaintextAuth());
        assertEquals(Duration.ofSeconds(10), p.timeouts().connectTimeout());
        assertEquals(Duration.ofSeconds(30), p.timeouts().readTimeout());
        assertNull(p.server().ehloName());
        assertNull(p.server().sslContext());
        assertFalse(p.server().trustAllCertificates());
        assertTrue(p.server().verifyHostname());
        assertEquals(16, p.pool().maxConnections());
        assertEquals(0, p.pool().maxMessagesPerConnection());
        assertEquals(Duration.ofSeconds(30), p.pool().idleTimeout());
        assertTrue(p.pool().pipelining());
        assertTrue(p.pool().chunking());
        assertEquals(587, p.server().withSecurity(SmtpSecurity.STARTTLS).effectivePort());
        assertEquals(465, p.server().withSecurity(SmtpSecurity.SMTPS).effectivePort());
        assertEquals(2525, p.server().withSecurity(SmtpSecurity.SMTPS).withPort(2525).effectivePort());
        assertEquals(SmtpSecurity.NONE, new SmtpServer("h", 0, null, null, null, false, true).security());
        assertEquals(SmtpAuthentication.none(), new SmtpConnectionParameters(SmtpServer.of("h"), null, false, null,
                null).authentication());
    }

    @Test
    void authenticationByName() {
        assertEquals(new SmtpAuthentication.Password(PasswordMechanism.CRAM_MD5, "u", "p", null),
                SmtpAuthentication.named(" cram-md5 ").username("u").password("p").build());
        assertEquals("CRAM-MD5", SmtpAuthentication.named("CRAM-MD5").build().authMechanism());
        assertEquals(SmtpAuthentication.none(), SmtpAuthentication.named(null).username("u").build());
        assertEquals(SmtpAuthentication.none(), SmtpAuthentication.named(" ").build());
        assertEquals(new SmtpAuthentication.Anonymous("trace"),
                SmtpAuthentication.named("anonymous").anonymousTrace("trace").username("ignored").build());
        Supplier<String> token = () -> "t";
        assertEquals(SmtpAuthentication.oauthToken("u", token),
                SmtpAuthentication.named("XOAUTH2").username("u").oauthTokenSupplier(token).build());
        assertEquals(new SmtpAuthentication.Auto("u", "p", "z", token, "tr"), SmtpAuthentication.named("auto")
                .username("u").password("p").authorizationId("z").oauthTokenSupplier(token).anonymousTrace("tr")
                .build());
        assertEquals(new SmtpAuthentication.JdkSasl("DIGEST-MD5", "u", "p", null),
                SmtpAuthentication.named("SASL").saslMechanism("digest-md5").username("u").password("p").build());
        assertEquals("SASL", SmtpAuthentication.jdkSasl("DIGEST-MD5", "u", "p").authMechanism());
        assertEquals("AUTO", SmtpAuthentication.auto("u", "p").authMechanism());
        assertEquals("PLAIN", SmtpAuthentication.password(PasswordMechanism.PLAIN, "u", "p").authMechanism());
        assertEquals("ANONYMOUS", SmtpAuthentication.anonymous(null).authMechanism());
    }

    @Test
    void unknownMechanismNamesAreRefusedNamingTheOption() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> SmtpAuthentication.named("SCRAM-SHA-512").build());
        assertTrue(unknown.getMessage().contains("authMechanism 'SCRAM-SHA-512'"), unknown.getMessage());
        assertTrue(unknown.getMessage().contains(
                "NONE, AUTO, PLAIN, LOGIN, CRAM-MD5, SCRAM-SHA-256, SCRAM-SHA-1, ANONYMOUS, XOAUTH2, OAUTHBEARER, SASL"),
                unknown.getMessage());
        IllegalArgumentException noSasl = assertThrows(IllegalArgumentException.class,
                () -> SmtpAuthentication.named("SASL").build());
        assertTrue(noSasl.getMessage().contains("needs saslMechanism"), noSasl.getMessage());
        IllegalArgumentException noClient = assertThrows(IllegalArgumentException.class,
                () -> SmtpAuthentication.jdkSasl("scram-sha-256", "u", "p"));
        assertTrue(noClient.getMessage().contains("no SASL client for mechanism 'SCRAM-SHA-256' (saslMechanism)"),
                noClient.getMessage());
        assertTrue(SmtpAuthentication.JdkSasl.availableMechanisms().containsAll(
                List.of("DIGEST-MD5", "CRAM-MD5", "PLAIN", "EXTERNAL")));
        assertThrows(NullPointerException.class, () -> new SmtpAuthentication.Password(null, "u", "p", null));
    }

    @Test
    void parameterValidation() {
        assertThrows(NullPointerException.class, () -> SmtpConnectionParameters.builder(null).build());
        assertThrows(IllegalArgumentException.class, () -> SmtpServer.of(null));
        assertThrows(IllegalArgumentException.class, () -> SmtpServer.of(" "));
        assertEquals("h", SmtpServer.of(" h ").host());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SmtpServer.of("h").withPort(70000))
                .getMessage().contains("port"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> SmtpTimeouts.DEFAULTS.withReadTimeout(Duration.ZERO)).getMessage().contains("readTimeout"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> SmtpTimeouts.DEFAULTS.withConnectTimeout(null)).getMessage().contains("connectTimeout"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> SmtpTimeouts.DEFAULTS.withDataTimeout(Duration.ofSeconds(-1))).getMessage()
                .contains("dataTimeout"));
        assertEquals(Duration.ofMinutes(10), SmtpTimeouts.DEFAULTS.dataTimeout());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> SmtpPoolSettings.DEFAULTS.withMaxConnections(0)).getMessage().contains("maxConnections"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> SmtpPoolSettings.DEFAULTS.withMaxMessagesPerConnection(-1)).getMessage()
                .contains("maxMessagesPerConnection"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> SmtpPoolSettings.DEFAULTS.withIdleTimeout(Duration.ofSeconds(-1))).getMessage()
                .contains("idleTimeout"));
        assertEquals(Duration.ZERO, SmtpPoolSettings.DEFAULTS.withIdleTimeout(Duration.ZERO).idleTimeout());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SmtpServer.of("h").withEhloName("a b"))
                .getMessage().contains("ehloName"));
    }

    @Test
    void parametersEqualityIsAPoolKeyAndToStringHidesSecrets() {
        Supplier<String> token = () -> "tok-secret";
        SmtpConnectionParameters a = SmtpConnectionParameters.builder(SmtpServer.of("h", 25, SmtpSecurity.NONE))
                .authentication(new SmtpAuthentication.Auto("u", "p4ssw0rd", null, token, null)).build();
        SmtpConnectionParameters b = a.toBuilder().build();
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, a.toBuilder().authentication(new SmtpAuthentication.Auto("u", "other", null, token, null))
                .build());
        assertNotEquals(a, a.toBuilder().authentication(new SmtpAuthentication.Auto("u", "p4ssw0rd", null,
                () -> "tok-secret", null)).build());
        assertNotEquals(a, a.toBuilder().pool(SmtpPoolSettings.DEFAULTS.withMaxConnections(2)).build());
        assertNotEquals(a, a.toBuilder().allowPlaintextAuth(true).build());
        String s = a.toString();
        assertFalse(s.contains("p4ssw0rd"), s);
        assertFalse(s.contains("tok-secret"), s);
        assertTrue(s.contains("password=****"), s);
        assertTrue(s.contains("host=h"), s);
        for (SmtpAuthentication auth : List.of(
                SmtpAuthentication.password(PasswordMechanism.LOGIN, "u", "p4ssw0rd"),
                SmtpAuthentication.jdkSasl("DIGEST-MD5", "u", "p4ssw0rd"),
                SmtpAuthentication.oauthToken("u", token))) {
            assertFalse(auth.toString().contains("p4ssw0rd"), auth.toString());
            assertTrue(auth.toString().contains("****"), auth.toString());
        }
    }

    @Test
    void replyBasics() {
        SmtpReply r = new SmtpReply(250, "2.0.0", List.of("Ok: queued as 4F1A2B3C"));
        assertEquals("250 2.0.0 Ok: queued as 4F1A2B3C", r.toString());
        assertEquals("Ok", new SmtpReply(250, "2.0.0", List.of("2.0.0 Ok")).text());
        assertThrows(IllegalArgumentException.class, () -> new SmtpReply(99, null, List.of()));
        assertThrows(IllegalArgumentException.class, () -> new SmtpReply(250, "x.y", List.of()));
        assertTrue(SmtpReply.of(421, "bye").isTransient());
        assertTrue(SmtpReply.of(334, "").isPositive());
        assertFalse(SmtpReply.of(334, "").isPositiveCompletion());
    }

    @Test
    void statusesAndRetryability() {
        assertTrue(SendStatus.FAILED.isRetryable());
        for (SendStatus s : List.of(SendStatus.SENT, SendStatus.PARTIALLY_SENT, SendStatus.REJECTED,
                SendStatus.UNKNOWN)) {
            assertFalse(s.isRetryable(), s.name());
        }
        assertTrue(SendResult.failed("m@x", "io", true).isRetryable());
        assertFalse(SendResult.failed("m@x", "535", false).isRetryable());
        assertFalse(SendResult.rejected("m@x", "no").isRetryable());
        assertTrue(new SmtpException("x", SmtpReply.of(451, "later")).isRetryable());
        assertFalse(new SmtpException("x", SmtpReply.of(554, "no")).isRetryable());
        assertFalse(new SmtpAuthException("x", SmtpReply.of(535, "bad")).isRetryable());
        assertTrue(new SmtpAuthException("x", SmtpReply.of(454, "later")).isRetryable());
    }

    @Test
    void queueIds() {
        assertEquals("4F1A2B3C", queueId("Ok: queued as 4F1A2B3C"));
        assertEquals("X1", queueId("2.0.0 queued as X1."));
        assertEquals("1rABcD-000123-Xy", queueId("OK id=1rABcD-000123-Xy"));
        assertNull(queueId("OK"));
        assertNull(queueId("2.0.0 OK  1700000000 a1-20020a - gsmtp"));
        SendResult failed = SendResult.failed("m@x", "later", true, SmtpReply.of(451, "queued as NOPE"), List.of());
        assertNull(failed.queueId());
    }

    private static String queueId(String text) {
        return SendResult.sent("m@x", List.of(MailAddress.of("a@b.test")), List.of(), SmtpReply.of(250, text))
                .queueId();
    }

    @Test
    void sentAndPartiallySent() {
        MailAddress a = MailAddress.of("a@b.test");
        MailAddress b = MailAddress.of("b@b.test");
        SendResult sent = SendResult.sent("m@x", List.of(a), List.of(), SmtpReply.of(250, "ok"));
        assertEquals(SendStatus.SENT, sent.status());
        assertNull(sent.error());
        assertTrue(sent.isSent());
        RecipientFailure f = new RecipientFailure(b, 550, "5.1.1", "No such user");
        assertEquals("b@b.test: 550 5.1.1 No such user", f.toString());
        SendResult partial = SendResult.sent("m@x", List.of(a), List.of(f), SmtpReply.of(250, "ok"));
        assertEquals(SendStatus.PARTIALLY_SENT, partial.status());
        assertTrue(partial.isSent());
        assertTrue(partial.error().contains("1 of 2 recipients refused"), partial.error());
        assertFalse(partial.isRetryable());
        assertTrue(partial.toString().contains("PARTIALLY_SENT"));
    }
}
