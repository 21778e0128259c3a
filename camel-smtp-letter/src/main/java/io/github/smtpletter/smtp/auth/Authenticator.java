package io.github.smtpletter.smtp.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import javax.security.sasl.AuthenticationException;

import io.github.smtpletter.smtp.SmtpAuthException;
import io.github.smtpletter.smtp.SmtpAuthentication;
import io.github.smtpletter.smtp.SmtpCommandChannel;
import io.github.smtpletter.smtp.SmtpConnectionParameters;
import io.github.smtpletter.smtp.SmtpReply;

/**
 * Drives the SMTP {@code AUTH} command (RFC 4954) over an open session.
 *
 * <p>The exchange: {@code AUTH NAME [initial-response]} where the initial response is base64, or {@code "="} when
 * it is empty; then, for each {@code 334} challenge, the decoded challenge goes to the mechanism and its answer goes
 * back base64 coded on a line of its own (an empty line for an empty answer) until the server replies {@code 235}
 * (success) or an error. A challenge that is not valid base64, or that the mechanism refuses, makes the client
 * cancel with {@code "*"} (the server then replies {@code 501}) and fail.
 *
 * <p>Rules enforced before anything is sent:
 * <ul>
 * <li>a mechanism the server does not offer is not tried: the error lists what the server offers;</li>
 * <li>mechanisms that reveal the secret ({@link AuthMechanism#sendsSecretInClear()}: PLAIN, LOGIN, XOAUTH2,
 * OAUTHBEARER) are not used on a connection without TLS unless {@code allowPlaintextAuth} is set; SCRAM, CRAM-MD5,
 * DIGEST-MD5 and ANONYMOUS may be.</li>
 * </ul>
 *
 * <p>Every failure is a {@link SmtpAuthException} naming the mechanism, the server and what went wrong, with the
 * server's own reply text. Only transient failures are retryable: a {@code 4xx} reply ({@code 454}) or a broken
 * connection. Secrets never appear in an exception: every line carrying one is sent as sensitive (so the session
 * does not log it), and the password (plain and base64 coded), the base64 lines sent and the secret parts of what
 * they carried are masked as {@code ****} should the server echo them, in the message and in every cause (a reply
 * line too malformed to parse, quoted by the reader, is the usual carrier): a cause that shows a secret is kept as
 * a {@link MaskedCause}, a copy with the secrets masked and the original stack trace.
 *
 * <p>Public only because the session that calls it lives in the {@code smtp} package; not meant for users.
 */
public final class Authenticator {

    /** The most challenges accepted in one exchange before the client gives up (no mechanism needs more than a few). */
    static final int MAX_CHALLENGES = 20;

    private static final String MASK = "****";

    private Authenticator() {
    }

    /**
     * Authenticates as configured by {@link SmtpConnectionParameters#authentication()}; does nothing for NONE (and
     * for AUTO when no credentials are configured).
     *
     * @param ch      the session's command channel, after the (post-STARTTLS) EHLO
     * @param offered mechanism names from the EHLO {@code AUTH} line (compared case-insensitively); empty or
     *                {@code null} when the server advertised no AUTH
     * @param tls     whether the channel is encrypted now
     * @param p       the authentication, {@code allowPlaintextAuth} and the server (for messages and SASL)
     * @throws SmtpAuthException on any failure, with a clear message
     * @throws IOException       never other than as {@link SmtpAuthException}: connection problems are wrapped
     */
    public static void authenticate(SmtpCommandChannel ch, Set<String> offered, boolean tls,
                                    SmtpConnectionParameters p) throws IOException {
        Objects.requireNonNull(ch, "ch");
        Objects.requireNonNull(p, "p");
        Set<String> server = upperCase(offered);
        SmtpAuthentication auth = p.authentication();
        AuthMechanism mech;
        if (auth instanceof SmtpAuthentication.None) {
            return;
        } else if (auth instanceof SmtpAuthentication.Auto auto) {
            Optional<AuthMechanism> chosen = AutoMechanismSelector.select(server, tls, auto, p, binding(ch, tls));
            if (chosen.isEmpty()) {
                return;
            }
            mech = chosen.get();
        } else {
            mech = explicit(auth, server, tls, p, binding(ch, tls));
        }
        try {
            exchange(ch, mech, p);
        } finally {
            mech.dispose();
        }
    }

    /** The channel binding of a TLS connection, or {@code null}. */
    private static ChannelBinding binding(SmtpCommandChannel ch, boolean tls) {
        return tls ? ChannelBinding.of(ch.tlsSession()) : null;
    }

    /** Creates the configured mechanism and checks that the server offers it and that TLS rules allow it. */
    private static AuthMechanism explicit(SmtpAuthentication auth, Set<String> server, boolean tls,
                                          SmtpConnectionParameters p, ChannelBinding binding)
            throws SmtpAuthException {
        String setting = auth.authMechanism();
        String label = auth instanceof SmtpAuthentication.JdkSasl sasl ? "SASL " + sasl.mechanism() : setting;
        AuthMechanism mech;
        try {
            mech = AuthMechanisms.create(auth, p.server().host(), server, binding);
        } catch (IllegalArgumentException e) {
            Secrets secrets = new Secrets(p);
            throw new SmtpAuthException(secrets.mask("Cannot authenticate with " + label + ": " + e.getMessage()),
                    secrets.scrub(e));
        }
        if (server.isEmpty()) {
            mech.dispose();
            throw new SmtpAuthException("authMechanism=" + setting + " is configured, but the server " + endpoint(p)
                                        + " offers no AUTH (its EHLO reply has no AUTH line); cannot authenticate with "
                                        + label
                                        + (tls ? ""
                                                : "; many servers offer AUTH only after STARTTLS: use security=STARTTLS or SMTPS"));
        }
        if (!server.contains(mech.name())) {
            mech.dispose();
            throw new SmtpAuthException("The server " + endpoint(p) + " does not offer AUTH " + mech.name()
                                        + "; server offers: " + String.join(" ", server));
        }
        if (mech.sendsSecretInClear() && !tls && !p.allowPlaintextAuth()) {
            mech.dispose();
            throw new SmtpAuthException("Refusing AUTH " + mech.name() + " to " + endpoint(p)
                                        + ": it would send the " + (mech.name().contains("OAUTH") ? "token"
                                                : "password")
                                        + " in clear over a connection without TLS; use security=STARTTLS or SMTPS,"
                                        + " or set the endpoint option allowPlaintextAuth=true to allow it");
        }
        return mech;
    }

    /** Runs the RFC 4954 exchange with a checked mechanism. */
    static void exchange(SmtpCommandChannel ch, AuthMechanism mech, SmtpConnectionParameters p) throws IOException {
        Secrets secrets = new Secrets(p);
        String name = mech.name();
        byte[] initial;
        try {
            initial = mech.initialResponse();
        } catch (AuthenticationException e) {
            throw new SmtpAuthException(secrets.mask("AUTH " + name + " to " + endpoint(p)
                                                     + " not attempted: " + e.getMessage()), secrets.scrub(e));
        }
        String line = "AUTH " + name;
        boolean sensitive = false;
        if (initial != null) {
            if (initial.length == 0) {
                line += " =";
            } else {
                String encoded = secrets.encode(initial);
                line += " " + encoded;
                sensitive = true;
            }
        }
        SmtpReply reply = send(ch, line, sensitive, name, p, secrets);
        int challenges = 0;
        while (reply.code() == 334) {
            if (++challenges > MAX_CHALLENGES) {
                cancel(ch, name, p, secrets, "the server sent more than " + MAX_CHALLENGES + " challenges", null);
            }
            byte[] challenge;
            try {
                challenge = Base64.getDecoder().decode(reply.text().strip());
            } catch (IllegalArgumentException e) {
                cancel(ch, name, p, secrets, "the server's challenge is not valid base64", e);
                return; // not reached
            }
            byte[] response;
            try {
                response = mech.evaluateChallenge(challenge);
            } catch (AuthenticationException e) {
                cancel(ch, name, p, secrets, "the mechanism refused the server's challenge: " + e.getMessage(), e);
                return; // not reached
            }
            String encoded = response == null || response.length == 0 ? "" : secrets.encode(response);
            reply = send(ch, encoded, true, name, p, secrets);
        }
        if (reply.isPositiveCompletion()) {
            try {
                mech.succeeded(reply.text());
            } catch (AuthenticationException e) {
                throw new SmtpAuthException(secrets.mask("AUTH " + name + " to " + endpoint(p) + " failed: the server "
                                                         + "replied " + secrets.mask(reply) + " but " + e.getMessage()),
                        secrets.mask(reply), false, null);
            }
            return;
        }
        throw failure(name, mech.failureDetail(), reply, p, secrets);
    }

    private static SmtpReply send(SmtpCommandChannel ch, String line, boolean sensitive, String name,
                                  SmtpConnectionParameters p, Secrets secrets) throws SmtpAuthException {
        try {
            return ch.exchange(line, sensitive);
        } catch (SmtpAuthException e) {
            throw e;
        } catch (IOException e) {
            throw new SmtpAuthException(secrets.mask("AUTH " + name + " to " + endpoint(p)
                                                     + " failed: connection problem during authentication: " + e
                                                             .getMessage()), null, true, secrets.scrub(e));
        }
    }

    /** Cancels the exchange with "*" (RFC 4954: the server answers 501) and always throws. */
    private static void cancel(SmtpCommandChannel ch, String name, SmtpConnectionParameters p, Secrets secrets,
                               String reason, Throwable cause) throws SmtpAuthException {
        SmtpReply reply = send(ch, "*", false, name, p, secrets);
        SmtpReply shown = secrets.mask(reply);
        String msg = "AUTH " + name + " to " + endpoint(p) + " cancelled by the client: " + reason
                     + ". Server replied to the cancel: " + shown
                     + (reply.code() == 501 ? "" : " (expected 501)");
        throw new SmtpAuthException(secrets.mask(msg), shown, false, secrets.scrub(cause));
    }

    /** Maps a final negative AUTH reply to an exception; retryable only for 4xx. */
    static SmtpAuthException failure(String name, String detail, SmtpReply reply, SmtpConnectionParameters p,
                                     Secrets secrets) {
        int code = reply.code();
        String what = switch (code) {
            case 535 -> "bad credentials: the server rejected the username/password (or token)";
            case 534 -> "mechanism too weak: the server requires a stronger mechanism than " + name;
            case 538 -> "encryption required: the server accepts " + name
                        + " only over an encrypted connection; use security=STARTTLS or SMTPS";
            case 454 -> "temporary authentication failure on the server; try again later";
            case 432 -> "a password transition is needed; change the password, then try again";
            case 530 -> "authentication required / refused in this state (servers use 530 for"
                        + " 'must issue STARTTLS first' too)";
            case 504 -> "the server does not recognize the mechanism " + name;
            case 501 -> "syntax error in the AUTH exchange, or the exchange was cancelled";
            case 500 -> "the server did not accept the AUTH line (syntax error or line too long)";
            case 503 -> "bad sequence of commands (already authenticated, or AUTH not allowed now)";
            default -> reply.isTransient() ? "temporary failure"
                    : reply.isPermanent() ? "authentication failed" : "unexpected reply to AUTH";
        };
        SmtpReply shown = secrets.mask(reply);
        StringBuilder msg = new StringBuilder("AUTH ").append(name).append(" to ").append(endpoint(p))
                .append(" failed: ").append(what).append(". Server replied: ").append(shown);
        if (detail != null && !detail.isBlank()) {
            msg.append("; ").append(detail);
        }
        return new SmtpAuthException(secrets.mask(msg.toString()), shown, reply.isTransient(), null);
    }

    private static String endpoint(SmtpConnectionParameters p) {
        return p.server().address();
    }

    private static Set<String> upperCase(Set<String> offered) {
        Set<String> names = new LinkedHashSet<>();
        if (offered != null) {
            for (String n : offered) {
                if (n != null && !n.isBlank()) {
                    names.add(n.trim().toUpperCase(Locale.ROOT));
                }
            }
        }
        return names;
    }

    /**
     * Stands in for a cause whose message showed a secret: its message is the original class name and message with
     * the secrets masked, its stack trace the original one.
     */
    static final class MaskedCause extends IOException {
        private static final long serialVersionUID = 1L;

        MaskedCause(String message) {
            super(message);
        }
    }

    /**
     * What must never be shown: the password, every base64 line sent as sensitive, and the secret parts of what
     * those lines carried (the fields of PLAIN and XOAUTH2, except the user names, which are not secret).
     */
    static final class Secrets {
        private static final int MIN_PART = 4;
        private final Set<String> identities = new LinkedHashSet<>();
        private final Set<String> values = new TreeSet<>(Comparator.comparingInt(String::length).reversed()
                .thenComparing(Comparator.naturalOrder()));

        Secrets(SmtpConnectionParameters p) {
            SmtpAuthentication a = p.authentication();
            if (a instanceof SmtpAuthentication.Password x) {
                remember(x.username(), x.password(), x.authorizationId());
            } else if (a instanceof SmtpAuthentication.JdkSasl x) {
                remember(x.username(), x.password(), x.authorizationId());
            } else if (a instanceof SmtpAuthentication.Auto x) {
                remember(x.username(), x.password(), x.authorizationId());
            } else if (a instanceof SmtpAuthentication.OAuthToken x) {
                remember(x.username(), null, null);
            } else if (a instanceof SmtpAuthentication.OAuthBearer x) {
                remember(x.username(), null, null);
            }
        }

        private void remember(String username, String password, String authorizationId) {
            add(password);
            if (password != null && !password.isEmpty()) {
                add(Base64.getEncoder().encodeToString(password.getBytes(StandardCharsets.UTF_8)));
            }
            if (username != null) {
                identities.add(username);
                identities.add("user=" + username);
            }
            if (authorizationId != null) {
                identities.add(authorizationId);
            }
        }

        private void add(String secret) {
            if (secret != null && !secret.isEmpty()) {
                values.add(secret);
            }
        }

        /** Base64-codes a response, remembering both the line and its secret parts. */
        String encode(byte[] response) {
            String encoded = Base64.getEncoder().encodeToString(response);
            add(encoded);
            String text = new String(response, StandardCharsets.UTF_8);
            List<String> parts = new ArrayList<>();
            for (String field : text.split("[\\x00\\x01]")) {
                parts.add(field);
                int space = field.lastIndexOf(' ');
                if (field.startsWith("auth=") && space > 0) {
                    parts.add(field.substring(space + 1)); // the bearer token alone
                }
            }
            for (String part : parts) {
                if (part.length() >= MIN_PART && !identities.contains(part) && !part.startsWith("user=")) {
                    add(part);
                }
            }
            return encoded;
        }

        String mask(String text) {
            if (text == null) {
                return null;
            }
            String out = text;
            for (String secret : values) {
                out = out.replace(secret, MASK);
            }
            return out;
        }

        /**
         * @param  t a cause to keep, or {@code null}
         * @return   {@code t} when no message in it (its causes and suppressed included) shows a secret; otherwise a
         *           {@link MaskedCause} copy of the whole chain
         */
        Throwable scrub(Throwable t) {
            if (t == null || !shows(t, Collections.newSetFromMap(new IdentityHashMap<>()))) {
                return t;
            }
            Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
            seen.add(t);
            return copy(t, seen);
        }

        private boolean shows(Throwable t, Set<Throwable> seen) {
            if (t == null || !seen.add(t)) {
                return false;
            }
            String text = t.toString();
            if (!text.equals(mask(text))) {
                return true;
            }
            for (Throwable s : t.getSuppressed()) {
                if (shows(s, seen)) {
                    return true;
                }
            }
            return shows(t.getCause(), seen);
        }

        private Throwable copy(Throwable t, Set<Throwable> seen) {
            MaskedCause copy = new MaskedCause(t.getClass().getName() + ": " + mask(t.getMessage()));
            copy.setStackTrace(t.getStackTrace());
            Throwable cause = t.getCause();
            if (cause != null && seen.add(cause)) {
                copy.initCause(copy(cause, seen));
            }
            for (Throwable s : t.getSuppressed()) {
                if (seen.add(s)) {
                    copy.addSuppressed(copy(s, seen));
                }
            }
            return copy;
        }

        SmtpReply mask(SmtpReply reply) {
            List<String> lines = new ArrayList<>();
            for (String line : reply.lines()) {
                lines.add(mask(line));
            }
            return new SmtpReply(reply.code(), reply.enhancedCode(), lines);
        }
    }
}
