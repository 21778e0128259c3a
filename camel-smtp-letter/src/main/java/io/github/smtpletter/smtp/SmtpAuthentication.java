package io.github.smtpletter.smtp;

import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

import javax.security.sasl.Sasl;
import javax.security.sasl.SaslClientFactory;

/**
 * How the client logs in to the server (SMTP AUTH, RFC 4954): a closed set of kinds, each carrying what it needs.
 * Mechanisms this set does not name are reached through {@link JdkSasl}, which uses any SASL client installed in the
 * JDK.
 * <p>
 * Configured by name (as the Camel options {@code authMechanism} and {@code saslMechanism} do) through
 * {@link #named(String)}. The {@code toString()} of every kind hides passwords and tokens.
 */
public sealed interface SmtpAuthentication {

    /**
     * @return the {@code authMechanism} setting this stands for: NONE, AUTO, PLAIN, LOGIN, CRAM-MD5,
     *         SCRAM-SHA-256, SCRAM-SHA-1, ANONYMOUS, XOAUTH2, OAUTHBEARER or SASL
     */
    String authMechanism();

    /** @return do not authenticate (the default) */
    static SmtpAuthentication none() {
        return None.INSTANCE;
    }

    /**
     * @param  trace the trace information sent with ANONYMOUS (RFC 4505), or {@code null}
     * @return       ANONYMOUS authentication
     */
    static SmtpAuthentication anonymous(String trace) {
        return new Anonymous(trace);
    }

    /**
     * @param  mechanism PLAIN, LOGIN, CRAM-MD5, SCRAM-SHA-256 or SCRAM-SHA-1
     * @param  username  the user name
     * @param  password  the password
     * @return           authentication with a password
     */
    static SmtpAuthentication password(PasswordMechanism mechanism, String username, String password) {
        return new Password(mechanism, username, password, null);
    }

    /**
     * @param  username      the user name
     * @param  tokenSupplier supplies a fresh OAuth 2 access token for each authentication
     * @return               XOAUTH2 authentication
     */
    static SmtpAuthentication oauthToken(String username, Supplier<String> tokenSupplier) {
        return new OAuthToken(username, tokenSupplier);
    }

    /**
     * @param  username      the user name
     * @param  tokenSupplier supplies a fresh OAuth 2 access token for each authentication
     * @return               OAUTHBEARER (RFC 7628) authentication
     */
    static SmtpAuthentication oauthBearer(String username, Supplier<String> tokenSupplier) {
        return new OAuthBearer(username, tokenSupplier);
    }

    /**
     * @param  mechanism the SASL mechanism name, e.g. DIGEST-MD5
     * @param  username  the user name, or {@code null} when the mechanism asks for none
     * @param  password  the password, or {@code null} when the mechanism asks for none
     * @return           authentication through the JDK's SASL client for {@code mechanism}
     */
    static SmtpAuthentication jdkSasl(String mechanism, String username, String password) {
        return new JdkSasl(mechanism, username, password, null);
    }

    /**
     * @param  username the user name
     * @param  password the password
     * @return          AUTO: the strongest mechanism both sides support that these credentials fit
     */
    static SmtpAuthentication auto(String username, String password) {
        return new Auto(username, password, null, null, null);
    }

    /**
     * Starts authentication settings given by name, as the Camel options configure them.
     *
     * @param  authMechanism NONE, AUTO, PLAIN, LOGIN, CRAM-MD5, SCRAM-SHA-256, SCRAM-SHA-1, ANONYMOUS, XOAUTH2,
     *                       OAUTHBEARER or SASL (case-insensitive; {@code null} or blank means NONE)
     * @return               a builder for the settings; {@link Named#build()} checks the name
     */
    static Named named(String authMechanism) {
        return new Named(authMechanism);
    }

    /** The mechanisms that log in with a user name and password. */
    enum PasswordMechanism {
        /** RFC 4616; sends the password in clear, so used only over TLS unless allowed. */
        PLAIN("PLAIN"),
        /** The de-facto LOGIN mechanism; sends the password in clear, so used only over TLS unless allowed. */
        LOGIN("LOGIN"),
        /** RFC 2195 challenge-response; the password never crosses the wire. */
        CRAM_MD5("CRAM-MD5"),
        /**
         * RFC 7677 salted challenge-response, the server proves it knows the password too; SCRAM-SHA-256-PLUS (with
         * TLS channel binding) when the server offers it over TLS.
         */
        SCRAM_SHA_256("SCRAM-SHA-256"),
        /** RFC 5802, like {@link #SCRAM_SHA_256} with SHA-1; SCRAM-SHA-1-PLUS when offered over TLS. */
        SCRAM_SHA_1("SCRAM-SHA-1");

        private final String mechanismName;

        PasswordMechanism(String mechanismName) {
            this.mechanismName = mechanismName;
        }

        /** @return the name sent after {@code AUTH} */
        public String mechanismName() {
            return mechanismName;
        }
    }

    /** No authentication. */
    record None() implements SmtpAuthentication {
        private static final None INSTANCE = new None();

        @Override
        public String authMechanism() {
            return "NONE";
        }
    }

    /**
     * ANONYMOUS (RFC 4505).
     *
     * @param trace the trace information sent, or {@code null}
     */
    record Anonymous(String trace) implements SmtpAuthentication {
        @Override
        public String authMechanism() {
            return "ANONYMOUS";
        }
    }

    /**
     * A user name and password with PLAIN, LOGIN, CRAM-MD5, SCRAM-SHA-256 or SCRAM-SHA-1.
     *
     * @param mechanism       the mechanism (required)
     * @param username        the user name (authentication identity)
     * @param password        the password; never shown
     * @param authorizationId the identity to act as (PLAIN only), or {@code null}
     */
    record Password(PasswordMechanism mechanism, String username, String password, String authorizationId)
            implements
                SmtpAuthentication {

        /** @throws NullPointerException when the mechanism is missing */
        public Password {
            Objects.requireNonNull(mechanism, "mechanism");
        }

        @Override
        public String authMechanism() {
            return mechanism.mechanismName();
        }

        @Override
        public String toString() {
            return "Password[mechanism=" + mechanism.mechanismName() + ", username=" + username
                   + (password != null ? ", password=****" : "")
                   + (authorizationId != null ? ", authorizationId=" + authorizationId : "") + "]";
        }
    }

    /**
     * XOAUTH2 with a bearer token.
     *
     * @param username      the user name
     * @param tokenSupplier supplies a fresh OAuth 2 access token; called once per authentication, compared by
     *                      identity
     */
    record OAuthToken(String username, Supplier<String> tokenSupplier) implements SmtpAuthentication {
        @Override
        public String authMechanism() {
            return "XOAUTH2";
        }

        @Override
        public String toString() {
            return "OAuthToken[username=" + username + (tokenSupplier != null ? ", oauthToken=****" : "") + "]";
        }
    }

    /**
     * OAUTHBEARER (RFC 7628) with a bearer token.
     *
     * @param username      the user name
     * @param tokenSupplier supplies a fresh OAuth 2 access token; called once per authentication, compared by
     *                      identity
     */
    record OAuthBearer(String username, Supplier<String> tokenSupplier) implements SmtpAuthentication {
        @Override
        public String authMechanism() {
            return "OAUTHBEARER";
        }

        @Override
        public String toString() {
            return "OAuthBearer[username=" + username + (tokenSupplier != null ? ", oauthToken=****" : "") + "]";
        }
    }

    /**
     * Any mechanism of a SASL client installed in the JDK ({@code javax.security.sasl}): DIGEST-MD5, EXTERNAL, NTLM,
     * GSSAPI, or one an installed provider adds.
     *
     * @param mechanism       the SASL mechanism name, upper-cased (required; the JDK must have a client for it)
     * @param username        answers the client's name callback, or {@code null}
     * @param password        answers the client's password callback, or {@code null}; never shown
     * @param authorizationId the identity to act as, or {@code null}
     */
    record JdkSasl(String mechanism, String username, String password, String authorizationId)
            implements
                SmtpAuthentication {

        /** @throws IllegalArgumentException naming {@code saslMechanism} when it is missing or the JDK lacks it */
        public JdkSasl {
            if (mechanism == null || mechanism.isBlank()) {
                throw new IllegalArgumentException(
                        "authMechanism=SASL needs saslMechanism, the SASL mechanism name (e.g. DIGEST-MD5)");
            }
            mechanism = mechanism.trim().toUpperCase(Locale.ROOT);
            Set<String> available = availableMechanisms();
            if (!available.contains(mechanism)) {
                throw new IllegalArgumentException("The JDK has no SASL client for mechanism '" + mechanism
                                                   + "' (saslMechanism); it has: " + String.join(" ", available));
            }
        }

        /** @return the mechanism names the installed SASL client factories offer, upper case, sorted */
        public static Set<String> availableMechanisms() {
            Set<String> names = new TreeSet<>();
            for (SaslClientFactory factory : Collections.list(Sasl.getSaslClientFactories())) {
                for (String n : factory.getMechanismNames(null)) {
                    names.add(n.toUpperCase(Locale.ROOT));
                }
            }
            return names;
        }

        @Override
        public String authMechanism() {
            return "SASL";
        }

        @Override
        public String toString() {
            return "JdkSasl[mechanism=" + mechanism + ", username=" + username
                   + (password != null ? ", password=****" : "")
                   + (authorizationId != null ? ", authorizationId=" + authorizationId : "") + "]";
        }
    }

    /**
     * AUTO: the strongest mechanism that the server offers and the configured credentials fit (SCRAM-SHA-256-PLUS,
     * SCRAM-SHA-256, SCRAM-SHA-1-PLUS, SCRAM-SHA-1 with a password; OAUTHBEARER, XOAUTH2 with a token supplier;
     * CRAM-MD5, DIGEST-MD5, PLAIN, LOGIN with a password; ANONYMOUS with a trace and no user name). With nothing
     * configured, no AUTH is sent.
     *
     * @param username           the user name, or {@code null}
     * @param password           the password, or {@code null}; never shown
     * @param authorizationId    the identity to act as (PLAIN, DIGEST-MD5), or {@code null}
     * @param oauthTokenSupplier supplies OAuth 2 tokens, making XOAUTH2 a candidate; or {@code null}
     * @param anonymousTrace     the trace for ANONYMOUS, making it a candidate when no user name is set; or
     *                           {@code null}
     */
    record Auto(String username, String password, String authorizationId, Supplier<String> oauthTokenSupplier,
            String anonymousTrace) implements SmtpAuthentication {
        @Override
        public String authMechanism() {
            return "AUTO";
        }

        @Override
        public String toString() {
            return "Auto[username=" + username + (password != null ? ", password=****" : "")
                   + (authorizationId != null ? ", authorizationId=" + authorizationId : "")
                   + (oauthTokenSupplier != null ? ", oauthToken=****" : "")
                   + (anonymousTrace != null ? ", anonymousTrace=" + anonymousTrace : "") + "]";
        }
    }

    /**
     * Authentication settings by name, the way the Camel options give them; {@link #build()} keeps what the named
     * mechanism uses and ignores the rest. Not thread-safe.
     */
    final class Named {
        /** Every accepted {@code authMechanism} value. */
        public static final List<String> SETTINGS = List.of("NONE", "AUTO", "PLAIN", "LOGIN", "CRAM-MD5",
                "SCRAM-SHA-256", "SCRAM-SHA-1", "ANONYMOUS", "XOAUTH2", "OAUTHBEARER", "SASL");

        private final String authMechanism;
        private String username;
        private String password;
        private String authorizationId;
        private String anonymousTrace;
        private String saslMechanism;
        private Supplier<String> oauthTokenSupplier;

        private Named(String authMechanism) {
            this.authMechanism = authMechanism;
        }

        /**
         * @param  username the user name (authentication identity)
         * @return          this builder
         */
        public Named username(String username) {
            this.username = username;
            return this;
        }

        /**
         * @param  password the password; never logged or printed
         * @return          this builder
         */
        public Named password(String password) {
            this.password = password;
            return this;
        }

        /**
         * @param  authorizationId the identity to act as (PLAIN, SASL, AUTO)
         * @return                 this builder
         */
        public Named authorizationId(String authorizationId) {
            this.authorizationId = authorizationId;
            return this;
        }

        /**
         * @param  anonymousTrace the trace information for ANONYMOUS (RFC 4505)
         * @return                this builder
         */
        public Named anonymousTrace(String anonymousTrace) {
            this.anonymousTrace = anonymousTrace;
            return this;
        }

        /**
         * @param  saslMechanism for SASL: the JDK SASL mechanism name, e.g. DIGEST-MD5
         * @return               this builder
         */
        public Named saslMechanism(String saslMechanism) {
            this.saslMechanism = saslMechanism;
            return this;
        }

        /**
         * @param  oauthTokenSupplier supplies OAuth 2 access tokens for XOAUTH2, OAUTHBEARER (and AUTO)
         * @return                    this builder
         */
        public Named oauthTokenSupplier(Supplier<String> oauthTokenSupplier) {
            this.oauthTokenSupplier = oauthTokenSupplier;
            return this;
        }

        /**
         * @return the authentication the name stands for
         * @throws IllegalArgumentException naming {@code authMechanism} when the name is unknown, or
         *                                  {@code saslMechanism} when SASL lacks it or the JDK has no client for it
         */
        public SmtpAuthentication build() {
            String key = authMechanism == null || authMechanism.isBlank()
                    ? "NONE" : authMechanism.trim().toUpperCase(Locale.ROOT);
            return switch (key) {
                case "NONE" -> none();
                case "AUTO" -> new Auto(username, password, authorizationId, oauthTokenSupplier, anonymousTrace);
                case "PLAIN" -> new Password(PasswordMechanism.PLAIN, username, password, authorizationId);
                case "LOGIN" -> new Password(PasswordMechanism.LOGIN, username, password, null);
                case "CRAM-MD5" -> new Password(PasswordMechanism.CRAM_MD5, username, password, null);
                case "SCRAM-SHA-256" -> new Password(PasswordMechanism.SCRAM_SHA_256, username, password, null);
                case "SCRAM-SHA-1" -> new Password(PasswordMechanism.SCRAM_SHA_1, username, password, null);
                case "ANONYMOUS" -> new Anonymous(anonymousTrace);
                case "XOAUTH2" -> new OAuthToken(username, oauthTokenSupplier);
                case "OAUTHBEARER" -> new OAuthBearer(username, oauthTokenSupplier);
                case "SASL" -> new JdkSasl(saslMechanism, username, password, authorizationId);
                default -> throw new IllegalArgumentException("Unknown authMechanism '" + authMechanism + "'; known: "
                                                              + String.join(", ", SETTINGS));
            };
        }
    }
}
