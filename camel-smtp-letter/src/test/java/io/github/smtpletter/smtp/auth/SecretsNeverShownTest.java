package io.github.smtpletter.smtp.auth;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;

import io.github.smtpletter.smtp.SmtpAuthException;
import io.github.smtpletter.smtp.SmtpCommandChannel;
import io.github.smtpletter.smtp.SmtpConnectionParameters;
import io.github.smtpletter.smtp.SmtpException;
import io.github.smtpletter.smtp.SmtpReply;
import org.junit.jupiter.api.Test;

import static io.github.smtpletter.smtp.auth.AuthenticatorTest.ALL;
import static io.github.smtpletter.smtp.auth.AuthenticatorTest.params;
import static io.github.smtpletter.smtp.auth.AuthenticatorTest.set;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Captures the exceptions of many failing exchanges, including servers that echo what they received, and checks
 * that neither the password, nor the token, nor the base64 of anything carrying them shows.
 */
class SecretsNeverShownTest {

    private static final String PASSWORD = "S3cr3t-Pa55word";
    private static final String TOKEN = "ya29.A0ARrdaM-very-secret-token";
    private static final String PLAIN_B64 = b64("\0tim\0" + PASSWORD);
    private static final String PASSWORD_B64 = b64(PASSWORD);
    private static final String XOAUTH_B64 = b64("user=tim\u0001auth=Bearer " + TOKEN + "\u0001\u0001");

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    /** How the fake server answers a line (it may quote it back). */
    @FunctionalInterface
    private interface Answer {
        SmtpReply to(String line) throws IOException;
    }

    /** A fake server that answers from a function and notes the lines not flagged sensitive. */
    private static final class EchoingChannel implements SmtpCommandChannel {
        private final Answer answer;
        final List<String> nonSensitiveLines = new ArrayList<>();

        EchoingChannel(Answer answer) {
            this.answer = answer;
        }

        @Override
        public SmtpReply exchange(String line, boolean sensitive) throws IOException {
            if (!sensitive) {
                nonSensitiveLines.add(line);
            }
            return answer.to(line);
        }
    }

    private final List<SmtpAuthException> captured = new ArrayList<>();
    private final List<String> insensitive = new ArrayList<>();

    private void capture(EchoingChannel ch, Set<String> offered, boolean tls,
                         SmtpConnectionParameters p) {
        captured.add(assertThrows(SmtpAuthException.class, () -> Authenticator.authenticate(ch, offered, tls, p)));
        insensitive.addAll(ch.nonSensitiveLines);
    }

    @Test
    void noSecretInAnyMessage() {
        SmtpConnectionParameters plain = params("PLAIN").password(PASSWORD).build();
        SmtpConnectionParameters login = params("LOGIN").password(PASSWORD).build();
        SmtpConnectionParameters xoauth = params("XOAUTH2").password(PASSWORD).oauthTokenSupplier(() -> TOKEN).build();

        // servers that quote the line they reject
        capture(new EchoingChannel(l -> new SmtpReply(535, "5.7.8", List.of("Bad credentials: " + l))), ALL, true,
                plain);
        capture(new EchoingChannel(l -> new SmtpReply(501, "5.5.2", List.of("Cannot decode " + l))), ALL, true, plain);
        capture(new EchoingChannel(l -> new SmtpReply(454, "4.7.0", List.of("Try later " + l))), ALL, true, plain);
        capture(new EchoingChannel(l -> SmtpReply.of(535, "password " + PASSWORD + " is wrong")), ALL, true, plain);
        // LOGIN: echo the password line
        capture(new EchoingChannel(l -> l.equals("AUTH LOGIN") ? SmtpReply.of(334, "VXNlcm5hbWU6")
                : l.equals("dGlt") ? SmtpReply.of(334, "UGFzc3dvcmQ6")
                        : SmtpReply.of(535, "rejected " + l + " (" + new String(Base64.getDecoder().decode(l),
                                StandardCharsets.UTF_8) + ")")), ALL, true, login);
        // LOGIN: a broken third challenge after the password (cancel path)
        capture(new EchoingChannel(l -> l.equals("*") ? SmtpReply.of(501, "cancelled after " + PASSWORD_B64)
                : SmtpReply.of(334, "VXNlcm5hbWU6")), ALL, true, login);
        // XOAUTH2: error challenge, then a failure quoting the initial response and the token
        capture(new EchoingChannel(l -> l.startsWith("AUTH ")
                ? SmtpReply.of(334, b64("{\"status\":\"400\",\"token\":\"" + TOKEN + "\"}"))
                : SmtpReply.of(535, "bad token " + TOKEN + " in " + XOAUTH_B64)), ALL, true, xoauth);
        // connection failures and client-side refusals
        capture(new EchoingChannel(l -> {
            throw new IOException("Connection reset");
        }), ALL, true, plain);
        // a reply too malformed to parse, quoted by the reader, with a cause and a suppressed exception quoting more
        capture(new EchoingChannel(l -> {
            SmtpException e = new SmtpException("malformed SMTP reply line: \"5x5 bad password " + PASSWORD + "\"",
                    null, true, new IOException("nested " + PASSWORD_B64));
            e.addSuppressed(new IllegalStateException("suppressed " + PLAIN_B64));
            throw e;
        }), ALL, true, plain);
        capture(new EchoingChannel(l -> SmtpReply.of(235, "ok")), ALL, false, plain);
        capture(new EchoingChannel(l -> SmtpReply.of(235, "ok")), set("LOGIN"), true, plain);
        capture(new EchoingChannel(l -> SmtpReply.of(235, "ok")), ALL, true,
                params("PLAIN").password(PASSWORD + "\0").build());

        assertTrue(captured.size() >= 10);
        for (SmtpAuthException e : captured) {
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            String all = e.getMessage() + "\n" + e + "\n" + e.reply() + "\n" + trace;
            for (String secret : List.of(PASSWORD, PLAIN_B64, PASSWORD_B64, TOKEN, XOAUTH_B64)) {
                assertFalse(all.contains(secret), () -> "secret '" + secret + "' shown in: " + all);
            }
        }
        for (String line : insensitive) {
            for (String secret : List.of(PLAIN_B64, PASSWORD_B64, XOAUTH_B64)) {
                assertFalse(line.contains(secret), "a line carrying a secret was not flagged sensitive: " + line);
            }
        }
    }

    @Test
    void aCauseQuotingThePasswordIsKeptMasked() {
        SmtpConnectionParameters login = params("LOGIN").password(PASSWORD).build();
        capture(new EchoingChannel(l -> {
            throw new SmtpException("malformed SMTP reply line: \"5x5 bad password " + PASSWORD + "\"", null, true);
        }), ALL, true, login);
        Throwable cause = captured.get(0).getCause();
        assertTrue(String.valueOf(cause).contains(
                "SmtpException: malformed SMTP reply line: \"5x5 bad password ****\""),
                String.valueOf(cause));
        assertTrue(cause.getStackTrace().length > 0, "the original stack trace is kept");
    }

    @Test
    void maskedEchoStillShowsTheRestOfTheServerText() {
        SmtpConnectionParameters plain = params("PLAIN").password(PASSWORD).build();
        capture(new EchoingChannel(l -> new SmtpReply(535, "5.7.8", List.of("Bad credentials: " + l))), ALL, true,
                plain);
        String msg = captured.get(0).getMessage();
        assertTrue(msg.contains("535 5.7.8 Bad credentials: AUTH PLAIN ****"), msg);
    }
}
