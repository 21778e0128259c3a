package io.github.smtpletter.smtp.auth;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.github.smtpletter.smtp.SmtpAuthException;
import io.github.smtpletter.smtp.SmtpAuthentication;
import io.github.smtpletter.smtp.SmtpConnectionParameters;

/**
 * Chooses the mechanism for {@code authMechanism=AUTO}: the strongest one that the server offers (in the EHLO reply
 * read after STARTTLS), that we support, whose credentials are configured and that may be used on this
 * connection.
 *
 * <p>The order, strongest first:
 * <ol>
 * <li>{@code SCRAM-SHA-256-PLUS}: username and password, on a TLS connection whose channel binding can be
 * computed ({@link ChannelBinding});</li>
 * <li>{@code SCRAM-SHA-256}: username and password;</li>
 * <li>{@code SCRAM-SHA-1-PLUS}: as {@code SCRAM-SHA-256-PLUS};</li>
 * <li>{@code SCRAM-SHA-1}: username and password;</li>
 * <li>{@code OAUTHBEARER}, then {@code XOAUTH2}: only when an {@code oauthTokenSupplier} (and a username) is
 * configured;</li>
 * <li>{@code CRAM-MD5} (ours): username and password;</li>
 * <li>{@code DIGEST-MD5} (through the JDK's SASL client): username and password;</li>
 * <li>{@code PLAIN}: username and password;</li>
 * <li>{@code LOGIN}: username and password;</li>
 * <li>{@code ANONYMOUS}: only when no username is configured and an {@code anonymousTrace} is.</li>
 * </ol>
 * {@code OAUTHBEARER}, {@code XOAUTH2}, {@code PLAIN} and {@code LOGIN} reveal the secret and are skipped on a connection without TLS
 * unless {@code allowPlaintextAuth} is set.
 *
 * <p>When nothing at all is configured (no username, no token supplier, no anonymous trace) AUTO means "do not
 * authenticate". When something is configured but no mechanism fits, the selection fails with a message that lists
 * what the server offers and why each candidate was passed over.
 */
final class AutoMechanismSelector {

    /** The candidates, strongest first, as documented on the class. */
    static final List<String> ORDER = List.of("SCRAM-SHA-256-PLUS", "SCRAM-SHA-256", "SCRAM-SHA-1-PLUS",
            "SCRAM-SHA-1", OAuthBearerMechanism.NAME, XOAuth2Mechanism.NAME, CramMd5Mechanism.NAME, "DIGEST-MD5",
            PlainMechanism.NAME, LoginMechanism.NAME, AnonymousMechanism.NAME);

    private AutoMechanismSelector() {
    }

    /**
     * Selects and creates the mechanism for one attempt.
     *
     * @param offered the upper-case mechanism names of the server's EHLO {@code AUTH} line (empty when none)
     * @param tls     whether the connection is encrypted now
     * @param a       the credentials
     * @param p       {@code allowPlaintextAuth} and the server
     * @return the new mechanism, or empty when no credentials are configured at all (no AUTH is sent)
     * @throws SmtpAuthException (not retryable) when credentials are configured but no mechanism fits
     */
    static Optional<AuthMechanism> select(Set<String> offered, boolean tls, SmtpAuthentication.Auto a,
                                          SmtpConnectionParameters p)
            throws SmtpAuthException {
        return select(offered, tls, a, p, null);
    }

    /**
     * Selects and creates the mechanism for one attempt on a connection that may offer channel binding.
     *
     * @param offered the upper-case mechanism names of the server's EHLO {@code AUTH} line (empty when none)
     * @param tls     whether the connection is encrypted now
     * @param a       the credentials
     * @param p       {@code allowPlaintextAuth} and the server
     * @param binding the connection's channel binding, or {@code null} (no TLS, or none computable)
     * @return the new mechanism, or empty when no credentials are configured at all (no AUTH is sent)
     * @throws SmtpAuthException (not retryable) when credentials are configured but no mechanism fits
     */
    static Optional<AuthMechanism> select(Set<String> offered, boolean tls, SmtpAuthentication.Auto a,
                                          SmtpConnectionParameters p, ChannelBinding binding)
            throws SmtpAuthException {
        boolean hasUser = notEmpty(a.username());
        boolean hasPassword = notEmpty(a.password());
        if (!hasUser && a.oauthTokenSupplier() == null && a.anonymousTrace() == null) {
            return Optional.empty();
        }
        if (offered.isEmpty()) {
            throw new SmtpAuthException("authMechanism=AUTO with credentials configured, but the server "
                                        + p.server().host()
                                        + " offers no AUTH (its EHLO reply has no AUTH line)"
                                        + (tls ? ""
                                                : "; many servers offer AUTH only after STARTTLS: use security=STARTTLS or SMTPS"));
        }
        boolean clearTextAllowed = tls || p.allowPlaintextAuth();
        List<String> skipped = new ArrayList<>();
        for (String name : ORDER) {
            if (!offered.contains(name)) {
                continue;
            }
            String why;
            switch (name) {
                case "XOAUTH2", "OAUTHBEARER" -> why = a.oauthTokenSupplier() == null ? "no oauthTokenSupplier"
                        : !hasUser ? "no username"
                                : !clearTextAllowed ? "clear-text bearer token without TLS" : null;
                case "SCRAM-SHA-256-PLUS", "SCRAM-SHA-1-PLUS" -> why = !hasUser || !hasPassword ? "no username/password"
                        : !tls ? "no TLS to bind to" : binding == null ? "no channel binding for this certificate"
                                : null;
                case "SCRAM-SHA-256", "SCRAM-SHA-1" -> why = !hasUser || !hasPassword ? "no username/password" : null;
                case "CRAM-MD5", "DIGEST-MD5" -> why = !hasUser || !hasPassword ? "no username/password" : null;
                case "PLAIN", "LOGIN" -> why = !hasUser || !hasPassword ? "no username/password"
                        : !clearTextAllowed ? "clear-text password without TLS" : null;
                case "ANONYMOUS" -> why = hasUser ? "a username is configured"
                        : a.anonymousTrace() == null ? "no anonymousTrace" : null;
                default -> why = "not supported";
            }
            if (why == null && name.equals("DIGEST-MD5") && !SaslMechanism.isSupported(name)) {
                why = "the JDK has no SASL client for it";
            }
            if (why != null) {
                skipped.add(name + " (" + why + ")");
                continue;
            }
            try {
                return Optional.of(create(name, a, p.server().host(), offered, binding));
            } catch (IllegalArgumentException e) {
                skipped.add(name + " (" + e.getMessage() + ")");
            }
        }
        StringBuilder msg = new StringBuilder("authMechanism=AUTO found no usable mechanism; server offers: ")
                .append(String.join(" ", offered));
        if (!skipped.isEmpty()) {
            msg.append("; passed over: ").append(String.join(", ", skipped));
        }
        if (!clearTextAllowed && skipped.stream().anyMatch(s -> s.contains("without TLS"))) {
            msg.append("; use security=STARTTLS or SMTPS, or set the endpoint option allowPlaintextAuth=true");
        }
        throw new SmtpAuthException(msg.toString());
    }

    private static AuthMechanism create(String name, SmtpAuthentication.Auto a, String host, Set<String> offered,
                                        ChannelBinding binding) {
        return switch (name) {
            case "SCRAM-SHA-256-PLUS", "SCRAM-SHA-256" -> scram(ScramMechanism.Hash.SHA_256, a, offered, binding);
            case "SCRAM-SHA-1-PLUS", "SCRAM-SHA-1" -> scram(ScramMechanism.Hash.SHA_1, a, offered, binding);
            case "OAUTHBEARER" -> new OAuthBearerMechanism(a.username(), a.oauthTokenSupplier());
            case "XOAUTH2" -> new XOAuth2Mechanism(a.username(), a.oauthTokenSupplier());
            case "CRAM-MD5" -> new CramMd5Mechanism(a.username(), a.password());
            case "PLAIN" -> new PlainMechanism(a.authorizationId(), a.username(), a.password());
            case "LOGIN" -> new LoginMechanism(a.username(), a.password());
            case "ANONYMOUS" -> new AnonymousMechanism(a.anonymousTrace());
            default -> new SaslMechanism(name, a.authorizationId(), a.username(), a.password(), host);
        };
    }

    private static AuthMechanism scram(ScramMechanism.Hash hash, SmtpAuthentication.Auto a, Set<String> offered,
                                       ChannelBinding binding) {
        SmtpAuthentication.PasswordMechanism m = hash == ScramMechanism.Hash.SHA_256
                ? SmtpAuthentication.PasswordMechanism.SCRAM_SHA_256 : SmtpAuthentication.PasswordMechanism.SCRAM_SHA_1;
        return AuthMechanisms.scram(hash, new SmtpAuthentication.Password(m, a.username(), a.password(), null),
                offered, binding);
    }

    private static boolean notEmpty(String s) {
        return s != null && !s.isEmpty();
    }
}
