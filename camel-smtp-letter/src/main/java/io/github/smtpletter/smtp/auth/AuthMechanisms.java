package io.github.smtpletter.smtp.auth;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import io.github.smtpletter.smtp.SmtpConnectionParameters;

/**
 * The registry of authentication mechanisms, looked up by the name configured as
 * {@link SmtpConnectionParameters#authMechanism()}.
 *
 * <table>
 * <caption>Known names</caption>
 * <tr><th>name</th><th>class</th><th>uses</th></tr>
 * <tr><td>{@code PLAIN}</td><td>{@link PlainMechanism}</td><td>authorizationId (optional), username, password</td></tr>
 * <tr><td>{@code LOGIN}</td><td>{@link LoginMechanism}</td><td>username, password</td></tr>
 * <tr><td>{@code CRAM-MD5}</td><td>{@link CramMd5Mechanism}</td><td>username, password</td></tr>
 * <tr><td>{@code ANONYMOUS}</td><td>{@link AnonymousMechanism}</td><td>anonymousTrace (optional)</td></tr>
 * <tr><td>{@code XOAUTH2}</td><td>{@link XOAuth2Mechanism}</td><td>username, oauthTokenSupplier</td></tr>
 * <tr><td>{@code SASL}</td><td>{@link SaslMechanism}</td><td>saslMechanism, and what that mechanism asks for:
 * authorizationId, username, password; host</td></tr>
 * </table>
 *
 * <p>Two more settings are not mechanisms and are handled by {@link Authenticator}: {@code NONE} (no {@code AUTH})
 * and {@code AUTO} (see {@link AutoMechanismSelector}).
 *
 * <p>The registry is fixed and immutable; every call to {@link #create} returns a new instance, since a mechanism
 * serves one authentication attempt.
 */
public final class AuthMechanisms {

    /** Setting: do not authenticate. */
    public static final String NONE = "NONE";
    /** Setting: choose the strongest mechanism both sides support. */
    public static final String AUTO = "AUTO";
    /** Setting: use the JDK SASL client named by {@link SmtpConnectionParameters#saslMechanism()}. */
    public static final String SASL = "SASL";

    private static final Map<String, Function<SmtpConnectionParameters, AuthMechanism>> FACTORIES;

    static {
        Map<String, Function<SmtpConnectionParameters, AuthMechanism>> m = new LinkedHashMap<>();
        m.put(PlainMechanism.NAME, p -> new PlainMechanism(p.authorizationId(), p.username(), p.password()));
        m.put(LoginMechanism.NAME, p -> new LoginMechanism(p.username(), p.password()));
        m.put(CramMd5Mechanism.NAME, p -> new CramMd5Mechanism(p.username(), p.password()));
        m.put(AnonymousMechanism.NAME, p -> new AnonymousMechanism(p.anonymousTrace()));
        m.put(XOAuth2Mechanism.NAME, p -> new XOAuth2Mechanism(p.username(), p.oauthTokenSupplier()));
        m.put(SASL, p -> new SaslMechanism(p.saslMechanism(), p.authorizationId(), p.username(), p.password(),
                p.host()));
        FACTORIES = Collections.unmodifiableMap(m);
    }

    private AuthMechanisms() {
    }

    /**
     * Creates a new mechanism instance for one authentication attempt.
     *
     * @param name the mechanism name, case-insensitive: PLAIN, LOGIN, CRAM-MD5, ANONYMOUS, XOAUTH2 or SASL
     * @param p    where the credentials come from
     * @return a new, unused mechanism
     * @throws IllegalArgumentException when the name is unknown (the message lists the known names), when it is
     *                                  NONE or AUTO, or when the parameters lack what the mechanism needs
     */
    public static AuthMechanism create(String name, SmtpConnectionParameters p) {
        String key = name == null ? "" : name.trim().toUpperCase(Locale.ROOT);
        Function<SmtpConnectionParameters, AuthMechanism> factory = FACTORIES.get(key);
        if (factory == null) {
            if (key.equals(NONE) || key.equals(AUTO)) {
                throw new IllegalArgumentException("authMechanism " + key
                        + " is not a mechanism; Authenticator resolves it. Mechanisms: " + String.join(", ", names()));
            }
            throw new IllegalArgumentException("Unknown authMechanism '" + name + "'; known: "
                    + String.join(", ", settings()));
        }
        if (p == null) {
            throw new IllegalArgumentException("connection parameters are required");
        }
        return factory.apply(p);
    }

    /** The mechanism names {@link #create} accepts, in registry order: PLAIN, LOGIN, CRAM-MD5, ANONYMOUS, XOAUTH2, SASL. */
    public static Set<String> names() {
        return FACTORIES.keySet();
    }

    /** Every accepted {@code authMechanism} setting: NONE, AUTO and the {@link #names()}. */
    public static Set<String> settings() {
        Set<String> all = new java.util.LinkedHashSet<>();
        all.add(NONE);
        all.add(AUTO);
        all.addAll(FACTORIES.keySet());
        return Collections.unmodifiableSet(all);
    }

    /**
     * Normalises an {@code authMechanism} setting to its upper-case form; {@code null} or blank means NONE.
     *
     * @throws IllegalArgumentException when it is not one of the {@link #settings()} (the message lists them)
     */
    public static String normalize(String setting) {
        if (setting == null || setting.isBlank()) {
            return NONE;
        }
        String key = setting.trim().toUpperCase(Locale.ROOT);
        if (!settings().contains(key)) {
            throw new IllegalArgumentException("Unknown authMechanism '" + setting + "'; known: "
                    + String.join(", ", settings()));
        }
        return key;
    }
}
