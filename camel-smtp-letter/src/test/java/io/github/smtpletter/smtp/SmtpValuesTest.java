package io.github.smtpletter.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import io.github.smtpletter.letter.MailAddress;

/** SmtpConnectionParameters, SmtpReply, SendStatus, SendResult, RecipientFailure, SmtpException. */
class SmtpValuesTest {

    @Test
    void parameterDefaults() {
        SmtpConnectionParameters p = SmtpConnectionParameters.builder().host("mx.test").build();
        assertEquals(0, p.port());
        assertEquals(25, p.effectivePort());
        assertEquals(SmtpSecurity.NONE, p.security());
        assertEquals("NONE", p.authMechanism());
        assertFalse(p.allowPlaintextAuth());
        assertEquals(Duration.ofSeconds(10), p.connectTimeout());
        assertEquals(Duration.ofSeconds(30), p.readTimeout());
        assertNull(p.ehloName());
        assertNull(p.sslContext());
        assertFalse(p.trustAllCertificates());
        assertTrue(p.verifyHostname());
        assertEquals(4, p.maxConnections());
        assertEquals(0, p.maxMessagesPerConnection());
        assertEquals(Duration.ofSeconds(30), p.idleTimeout());
        assertTrue(p.pipelining());
        assertTrue(p.chunking());
        assertEquals(587, p.toBuilder().security(SmtpSecurity.STARTTLS).build().effectivePort());
        assertEquals(465, p.toBuilder().security(SmtpSecurity.SMTPS).build().effectivePort());
        assertEquals(2525, p.toBuilder().security(SmtpSecurity.SMTPS).port(2525).build().effectivePort());
        assertEquals("CRAM-MD5", p.toBuilder().authMechanism(" cram-md5 ").build().authMechanism());
    }

    @Test
    void parameterValidation() {
        assertThrows(IllegalArgumentException.class, () -> SmtpConnectionParameters.builder().build());
        assertThrows(IllegalArgumentException.class, () -> SmtpConnectionParameters.builder().host(" ").build());
        assertThrows(IllegalArgumentException.class,
                () -> SmtpConnectionParameters.builder().host("h").port(70000).build());
        assertThrows(IllegalArgumentException.class,
                () -> SmtpConnectionParameters.builder().host("h").readTimeout(Duration.ZERO).build());
        assertThrows(IllegalArgumentException.class,
                () -> SmtpConnectionParameters.builder().host("h").connectTimeout(null).build());
        assertThrows(IllegalArgumentException.class,
                () -> SmtpConnectionParameters.builder().host("h").maxConnections(0).build());
        assertThrows(IllegalArgumentException.class,
                () -> SmtpConnectionParameters.builder().host("h").maxMessagesPerConnection(-1).build());
        assertThrows(IllegalArgumentException.class,
                () -> SmtpConnectionParameters.builder().host("h").ehloName("a b").build());
    }

    @Test
    void parametersEqualityIsAPoolKeyAndToStringHidesSecrets() {
        Supplier<String> token = () -> "tok-secret";
        SmtpConnectionParameters a = SmtpConnectionParameters.builder().host("h").port(25).username("u")
                .password("p4ssw0rd").oauthTokenSupplier(token).authMechanism("plain").build();
        SmtpConnectionParameters b = a.toBuilder().build();
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, a.toBuilder().password("other").build());
        assertNotEquals(a, a.toBuilder().oauthTokenSupplier(() -> "tok-secret").build());
        assertNotEquals(a, a.toBuilder().maxConnections(2).build());
        String s = a.toString();
        assertFalse(s.contains("p4ssw0rd"), s);
        assertFalse(s.contains("tok-secret"), s);
        assertTrue(s.contains("password=****"), s);
        assertTrue(s.contains("host=h"), s);
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
