package io.github.smtpletter.smtp.auth;

import java.util.Set;

import io.github.smtpletter.smtp.SmtpAuthentication;

/**
 * Creates the mechanism for an explicitly configured {@link SmtpAuthentication}.
 *
 * <table>
 * <caption>Kinds and mechanisms</caption>
 * <tr><th>kind</th><th>class</th><th>uses</th></tr>
 * <tr><td>{@code Password(PLAIN)}</td><td>{@link PlainMechanism}</td><td>authorizationId (optional), username,
 * password</td></tr>
 * <tr><td>{@code Password(LOGIN)}</td><td>{@link LoginMechanism}</td><td>username, password</td></tr>
 * <tr><td>{@code Password(CRAM_MD5)}</td><td>{@link CramMd5Mechanism}</td><td>username, password</td></tr>
 * <tr><td>{@code Password(SCRAM_SHA_256)}, {@code Password(SCRAM_SHA_1)}</td><td>{@link ScramMechanism}</td>
 * <td>username, password; the -PLUS form when the server offers it and the connection can bind</td></tr>
 * <tr><td>{@code Anonymous}</td><td>{@link AnonymousMechanism}</td><td>trace (optional)</td></tr>
 * <tr><td>{@code OAuthToken}</td><td>{@link XOAuth2Mechanism}</td><td>username, token supplier</td></tr>
 * <tr><td>{@code OAuthBearer}</td><td>{@link OAuthBearerMechanism}</td><td>username, token supplier</td></tr>
 * <tr><td>{@code JdkSasl}</td><td>{@link SaslMechanism}</td><td>the mechanism name, and what that mechanism asks
 * for: authorizationId, username, password; the server host</td></tr>
 * </table>
 *
 * <p>{@code None} and {@code Auto} are not mechanisms: {@link Authenticator} handles them (AUTO through
 * {@link AutoMechanismSelector}). Every call returns a new instance, since a mechanism serves one attempt.
 */
final class AuthMechanisms {

    private AuthMechanisms() {
    }

    /**
     * Creates a new mechanism instance for one authentication attempt.
     *
     * @param  auth                     an explicit mechanism (not None or Auto)
     * @param  serverHost               the server's host name, for SASL mechanisms that need it
     * @return                          a new, unused mechanism
     * @throws IllegalArgumentException when the settings lack what the mechanism needs (the message names the
     *                                  option), or for None and Auto
     */
    static AuthMechanism create(SmtpAuthentication auth, String serverHost) {
        return create(auth, serverHost, Set.of(), null);
    }

    /**
     * Creates a new mechanism instance for one authentication attempt on a connection.
     *
     * @param  auth                     an explicit mechanism (not None or Auto)
     * @param  serverHost               the server's host name, for SASL mechanisms that need it
     * @param  offered                  the upper-case mechanism names the server offers (picks SCRAM's -PLUS form)
     * @param  binding                  the connection's channel binding, or {@code null} (no TLS)
     * @return                          a new, unused mechanism
     * @throws IllegalArgumentException when the settings lack what the mechanism needs (the message names the
     *                                  option), or for None and Auto
     */
    static AuthMechanism create(SmtpAuthentication auth, String serverHost, Set<String> offered,
                                ChannelBinding binding) {
        if (auth instanceof SmtpAuthentication.Password p) {
            return switch (p.mechanism()) {
                case PLAIN -> new PlainMechanism(p.authorizationId(), p.username(), p.password());
                case LOGIN -> new LoginMechanism(p.username(), p.password());
                case CRAM_MD5 -> new CramMd5Mechanism(p.username(), p.password());
                case SCRAM_SHA_256 -> scram(ScramMechanism.Hash.SHA_256, p, offered, binding);
                case SCRAM_SHA_1 -> scram(ScramMechanism.Hash.SHA_1, p, offered, binding);
            };
        } else if (auth instanceof SmtpAuthentication.Anonymous a) {
            return new AnonymousMechanism(a.trace());
        } else if (auth instanceof SmtpAuthentication.OAuthToken o) {
            return new XOAuth2Mechanism(o.username(), o.tokenSupplier());
        } else if (auth instanceof SmtpAuthentication.OAuthBearer o) {
            return new OAuthBearerMechanism(o.username(), o.tokenSupplier());
        } else if (auth instanceof SmtpAuthentication.JdkSasl s) {
            return new SaslMechanism(s.mechanism(), s.authorizationId(), s.username(), s.password(), serverHost);
        }
        throw new IllegalArgumentException("authMechanism " + auth.authMechanism() + " is not a mechanism");
    }

    /** SCRAM, with channel binding when the connection can bind and the server offers the -PLUS form. */
    static ScramMechanism scram(ScramMechanism.Hash hash, SmtpAuthentication.Password p, Set<String> offered,
                                ChannelBinding binding) {
        boolean plus = binding != null && offered.contains(hash.mechanism + "-PLUS");
        boolean serverBinds = offered.contains(hash.mechanism + "-PLUS");
        // "y" only when the server does not offer -PLUS: otherwise it would take the flag for a downgrade attack
        return new ScramMechanism(hash, p.username(), p.password(), plus || !serverBinds ? binding : null, plus);
    }
}
