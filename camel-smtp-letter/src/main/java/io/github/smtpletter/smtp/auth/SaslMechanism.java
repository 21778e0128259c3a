package io.github.smtpletter.smtp.auth;

import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.sasl.AuthenticationException;
import javax.security.sasl.RealmCallback;
import javax.security.sasl.RealmChoiceCallback;
import javax.security.sasl.Sasl;
import javax.security.sasl.SaslClient;
import javax.security.sasl.SaslException;

import io.github.smtpletter.smtp.SmtpAuthentication;

/**
 * Any mechanism the JDK's SASL clients ({@code javax.security.sasl}) speak: {@code DIGEST-MD5}, {@code EXTERNAL},
 * {@code NTLM}, {@code GSSAPI} (with a Kerberos login in place), and also {@code CRAM-MD5} and {@code PLAIN}.
 *
 * <p>The client is made with {@link Sasl#createSaslClient} for the one mechanism named, protocol {@code "smtp"} and
 * the server's host name, using the security providers already installed (nothing is registered globally). Its
 * callbacks are answered from the configuration: {@link NameCallback} with the user name,
 * {@link PasswordCallback} with the password, {@link RealmCallback} with the realm the server proposed (the
 * callback's default), {@link RealmChoiceCallback} with the first realm offered.
 *
 * <p>Only authentication is negotiated (quality of protection {@code "auth"}); SMTP has its own TLS, so SASL
 * integrity or confidentiality layers are not used.
 */
final class SaslMechanism implements AuthMechanism {

    /** SMTP's GSS-API service name (RFC 4954 section 4). */
    public static final String PROTOCOL = "smtp";

    private final String name;
    private SaslClient client;

    /**
     * Creates the JDK SASL client for {@code mechanism}.
     *
     * @param mechanism       the SASL mechanism name, e.g. {@code "DIGEST-MD5"} (case-insensitive)
     * @param authorizationId identity to act as, or {@code null}
     * @param username        answers {@link NameCallback}, may be {@code null} for mechanisms without one
     * @param password        answers {@link PasswordCallback}, may be {@code null} for mechanisms without one
     * @param serverHost      the server's host name, as the mechanism needs it (digest-uri, Kerberos principal)
     * @throws IllegalArgumentException when the name is missing or the JDK has no client for it (the message lists
     *                                  the mechanisms it has)
     */
    public SaslMechanism(String mechanism, String authorizationId, String username, String password,
                         String serverHost) {
        if (mechanism == null || mechanism.isBlank()) {
            throw new IllegalArgumentException(
                    "authMechanism=SASL needs saslMechanism, the SASL mechanism name (e.g. DIGEST-MD5)");
        }
        this.name = mechanism.trim().toUpperCase(Locale.ROOT);
        String authzid = authorizationId == null || authorizationId.isEmpty() ? null : authorizationId;
        Map<String, ?> props = Map.of(Sasl.QOP, "auth");
        try {
            client = Sasl.createSaslClient(new String[] { name }, authzid, PROTOCOL, serverHost, props,
                    new ConfiguredCallbacks(username, password));
        } catch (SaslException e) {
            throw new IllegalArgumentException("The JDK's SASL client for " + name + " could not be created: "
                                               + e.getMessage(), e);
        }
        if (client == null) {
            throw new IllegalArgumentException("The JDK has no SASL client for mechanism '" + name
                                               + "' (saslMechanism); it has: " + String.join(" ", jdkMechanisms()));
        }
    }

    /** Whether the JDK has a SASL client for {@code mechanism} (case-insensitive). */
    static boolean isSupported(String mechanism) {
        return mechanism != null && jdkMechanisms().contains(mechanism.trim().toUpperCase(Locale.ROOT));
    }

    static Set<String> jdkMechanisms() {
        return SmtpAuthentication.JdkSasl.availableMechanisms();
    }

    @Override
    public String name() {
        return name;
    }

    /** True for {@code PLAIN} (and {@code LOGIN}, should a provider offer it): they reveal the password. */
    @Override
    public boolean sendsSecretInClear() {
        return name.equals(PlainMechanism.NAME) || name.equals(LoginMechanism.NAME);
    }

    @Override
    public byte[] initialResponse() throws AuthenticationException {
        SaslClient c = open();
        if (!c.hasInitialResponse()) {
            return null;
        }
        byte[] response = evaluate(c, new byte[0]);
        return response == null ? new byte[0] : response;
    }

    @Override
    public byte[] evaluateChallenge(byte[] challenge) throws AuthenticationException {
        SaslClient c = open();
        if (c.isComplete()) {
            throw new AuthenticationException(name + " is already complete; the server sent another challenge");
        }
        return evaluate(c, challenge);
    }

    private SaslClient open() throws AuthenticationException {
        if (client == null) {
            throw new AuthenticationException(name + " has been disposed");
        }
        return client;
    }

    private byte[] evaluate(SaslClient c, byte[] challenge) throws AuthenticationException {
        try {
            return c.evaluateChallenge(challenge);
        } catch (AuthenticationException e) {
            throw e;
        } catch (SaslException e) {
            throw new AuthenticationException(name + " (JDK SASL client): " + e.getMessage(), e);
        }
    }

    @Override
    public void dispose() {
        if (client != null) {
            try {
                client.dispose();
            } catch (SaslException e) {
                // nothing held that matters
            }
            client = null;
        }
    }

    /** Answers the JDK client's questions from the configured credentials. */
    private static final class ConfiguredCallbacks implements CallbackHandler {
        private final String username;
        private final String password;

        ConfiguredCallbacks(String username, String password) {
            this.username = username;
            this.password = password;
        }

        @Override
        public void handle(Callback[] callbacks) throws IOException, UnsupportedCallbackException {
            for (Callback cb : callbacks) {
                if (cb instanceof NameCallback nc) {
                    if (username == null) {
                        throw new IOException("the SASL mechanism asks for a user name, but no username is configured");
                    }
                    nc.setName(username);
                } else if (cb instanceof PasswordCallback pc) {
                    if (password == null) {
                        throw new IOException("the SASL mechanism asks for a password, but no password is configured");
                    }
                    pc.setPassword(password.toCharArray());
                } else if (cb instanceof RealmCallback rc) {
                    String realm = rc.getDefaultText();
                    rc.setText(realm == null ? "" : realm);
                } else if (cb instanceof RealmChoiceCallback rcc) {
                    rcc.setSelectedIndex(rcc.getDefaultChoice() >= 0 ? rcc.getDefaultChoice() : 0);
                } else {
                    throw new UnsupportedCallbackException(cb, "not answered by camel-smtp-letter");
                }
            }
        }
    }
}
