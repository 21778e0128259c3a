package io.github.smtpletter.smtp;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;

import javax.net.ssl.SSLContext;

/**
 * How to reach and log in to an SMTP server. Immutable; built with {@link #builder()}.
 * <p>
 * {@link #equals(Object)} and {@link #hashCode()} cover every property (the {@link SSLContext} and the OAuth token
 * supplier by identity), so two equal parameter sets share one connection pool in {@link SmtpClient}.
 * {@link #toString()} never shows the password or a token.
 */
public final class SmtpConnectionParameters {

    /** Authentication mechanism name meaning "do not authenticate". */
    public static final String AUTH_NONE = "NONE";

    private final String host;
    private final int port;
    private final SmtpSecurity security;
    private final String authMechanism;
    private final String username;
    private final String password;
    private final String authorizationId;
    private final String anonymousTrace;
    private final String saslMechanism;
    private final Supplier<String> oauthTokenSupplier;
    private final boolean allowPlaintextAuth;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final String ehloName;
    private final SSLContext sslContext;
    private final boolean trustAllCertificates;
    private final boolean verifyHostname;
    private final int maxConnections;
    private final int maxMessagesPerConnection;
    private final Duration idleTimeout;
    private final boolean pipelining;
    private final boolean chunking;

    private SmtpConnectionParameters(Builder b) {
        this.host = b.host;
        this.port = b.port;
        this.security = b.security;
        this.authMechanism = b.authMechanism;
        this.username = b.username;
        this.password = b.password;
        this.authorizationId = b.authorizationId;
        this.anonymousTrace = b.anonymousTrace;
        this.saslMechanism = b.saslMechanism;
        this.oauthTokenSupplier = b.oauthTokenSupplier;
        this.allowPlaintextAuth = b.allowPlaintextAuth;
        this.connectTimeout = b.connectTimeout;
        this.readTimeout = b.readTimeout;
        this.ehloName = b.ehloName;
        this.sslContext = b.sslContext;
        this.trustAllCertificates = b.trustAllCertificates;
        this.verifyHostname = b.verifyHostname;
        this.maxConnections = b.maxConnections;
        this.maxMessagesPerConnection = b.maxMessagesPerConnection;
        this.idleTimeout = b.idleTimeout;
        this.pipelining = b.pipelining;
        this.chunking = b.chunking;
    }

    /** @return a new builder with the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder initialised with these parameters */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** @return the server host name or IP address */
    public String host() {
        return host;
    }

    /** @return the configured port, 0 meaning the default for the security mode (see {@link #effectivePort()}) */
    public int port() {
        return port;
    }

    /** @return the port to connect to: {@link #port()} or, when 0, 25 / 587 / 465 for NONE / STARTTLS / SMTPS */
    public int effectivePort() {
        return port != 0 ? port : security.defaultPort();
    }

    /** @return how the connection is secured; {@link SmtpSecurity#NONE} by default */
    public SmtpSecurity security() {
        return security;
    }

    /**
     * @return the authentication mechanism name in upper case: NONE (default), AUTO, PLAIN, LOGIN, CRAM-MD5,
     *         ANONYMOUS, XOAUTH2 or SASL
     */
    public String authMechanism() {
        return authMechanism;
    }

    /** @return the user name, or {@code null} */
    public String username() {
        return username;
    }

    /** @return the password, or {@code null}; never logged */
    public String password() {
        return password;
    }

    /** @return the authorization identity to act as (PLAIN, SASL), or {@code null} */
    public String authorizationId() {
        return authorizationId;
    }

    /** @return the trace information sent with ANONYMOUS (RFC 4505), or {@code null} */
    public String anonymousTrace() {
        return anonymousTrace;
    }

    /** @return for mechanism SASL: the SASL mechanism to use through the JDK's SASL client (e.g. "DIGEST-MD5") */
    public String saslMechanism() {
        return saslMechanism;
    }

    /** @return supplies a fresh OAuth 2 access token for XOAUTH2, or {@code null} */
    public Supplier<String> oauthTokenSupplier() {
        return oauthTokenSupplier;
    }

    /** @return whether mechanisms that send secrets in clear may be used without TLS; {@code false} by default */
    public boolean allowPlaintextAuth() {
        return allowPlaintextAuth;
    }

    /** @return the TCP connect timeout (also the longest wait for a free pooled connection); 10 s by default */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /**
     * @return the longest wait for any one server reply, and for the server to take data being written (a write
     *         blocked longer closes the connection); 30 s by default
     */
    public Duration readTimeout() {
        return readTimeout;
    }

    /** @return the name sent with EHLO/HELO, or {@code null} for the local host name */
    public String ehloName() {
        return ehloName;
    }

    /** @return the SSL context for STARTTLS/SMTPS, or {@code null} for the JDK default */
    public SSLContext sslContext() {
        return sslContext;
    }

    /** @return whether every server certificate is trusted (insecure, for tests only; logged as a warning) */
    public boolean trustAllCertificates() {
        return trustAllCertificates;
    }

    /** @return whether the server certificate must match the host name; {@code true} by default (off: a warning) */
    public boolean verifyHostname() {
        return verifyHostname;
    }

    /** @return the most connections open at once to this server from one client; 4 by default */
    public int maxConnections() {
        return maxConnections;
    }

    /** @return how many letters one connection sends before it is closed; 0 (default) is unlimited */
    public int maxMessagesPerConnection() {
        return maxMessagesPerConnection;
    }

    /** @return how long an unused pooled connection stays open; 30 s by default */
    public Duration idleTimeout() {
        return idleTimeout;
    }

    /** @return whether PIPELINING (RFC 2920) is used when the server offers it; {@code true} by default */
    public boolean pipelining() {
        return pipelining;
    }

    /** @return whether CHUNKING/BDAT (RFC 3030) is used when the server offers it; {@code true} by default */
    public boolean chunking() {
        return chunking;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof SmtpConnectionParameters that)) {
            return false;
        }
        return port == that.port
                && allowPlaintextAuth == that.allowPlaintextAuth
                && trustAllCertificates == that.trustAllCertificates
                && verifyHostname == that.verifyHostname
                && maxConnections == that.maxConnections
                && maxMessagesPerConnection == that.maxMessagesPerConnection
                && pipelining == that.pipelining
                && chunking == that.chunking
                && host.equals(that.host)
                && security == that.security
                && authMechanism.equals(that.authMechanism)
                && Objects.equals(username, that.username)
                && Objects.equals(password, that.password)
                && Objects.equals(authorizationId, that.authorizationId)
                && Objects.equals(anonymousTrace, that.anonymousTrace)
                && Objects.equals(saslMechanism, that.saslMechanism)
                && oauthTokenSupplier == that.oauthTokenSupplier
                && connectTimeout.equals(that.connectTimeout)
                && readTimeout.equals(that.readTimeout)
                && Objects.equals(ehloName, that.ehloName)
                && sslContext == that.sslContext
                && idleTimeout.equals(that.idleTimeout);
    }

    @Override
    public int hashCode() {
        return Objects.hash(host, port, security, authMechanism, username, password, authorizationId,
                anonymousTrace, saslMechanism, System.identityHashCode(oauthTokenSupplier), allowPlaintextAuth,
                connectTimeout, readTimeout, ehloName, System.identityHashCode(sslContext), trustAllCertificates,
                verifyHostname, maxConnections, maxMessagesPerConnection, idleTimeout, pipelining, chunking);
    }

    /** @return a description for logs; the password and tokens are never shown */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("SmtpConnectionParameters[")
                .append("host=").append(host)
                .append(", port=").append(effectivePort())
                .append(", security=").append(security)
                .append(", authMechanism=").append(authMechanism);
        if (username != null) {
            sb.append(", username=").append(username);
        }
        if (password != null) {
            sb.append(", password=****");
        }
        if (authorizationId != null) {
            sb.append(", authorizationId=").append(authorizationId);
        }
        if (saslMechanism != null) {
            sb.append(", saslMechanism=").append(saslMechanism);
        }
        if (oauthTokenSupplier != null) {
            sb.append(", oauthToken=****");
        }
        sb.append(", allowPlaintextAuth=").append(allowPlaintextAuth)
                .append(", connectTimeout=").append(connectTimeout)
                .append(", readTimeout=").append(readTimeout);
        if (ehloName != null) {
            sb.append(", ehloName=").append(ehloName);
        }
        if (sslContext != null) {
            sb.append(", sslContext=").append(sslContext.getProtocol());
        }
        if (trustAllCertificates) {
            sb.append(", trustAllCertificates=true");
        }
        if (!verifyHostname) {
            sb.append(", verifyHostname=false");
        }
        return sb.append(", maxConnections=").append(maxConnections)
                .append(", maxMessagesPerConnection=").append(maxMessagesPerConnection)
                .append(", idleTimeout=").append(idleTimeout)
                .append(", pipelining=").append(pipelining)
                .append(", chunking=").append(chunking)
                .append(']').toString();
    }

    /** Builds {@link SmtpConnectionParameters}; setters are named like the properties. Not thread-safe. */
    public static final class Builder {
        private String host;
        private int port;
        private SmtpSecurity security = SmtpSecurity.NONE;
        private String authMechanism = AUTH_NONE;
        private String username;
        private String password;
        private String authorizationId;
        private String anonymousTrace;
        private String saslMechanism;
        private Supplier<String> oauthTokenSupplier;
        private boolean allowPlaintextAuth;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration readTimeout = Duration.ofSeconds(30);
        private String ehloName;
        private SSLContext sslContext;
        private boolean trustAllCertificates;
        private boolean verifyHostname = true;
        private int maxConnections = 4;
        private int maxMessagesPerConnection;
        private Duration idleTimeout = Duration.ofSeconds(30);
        private boolean pipelining = true;
        private boolean chunking = true;

        private Builder() {
        }

        private Builder(SmtpConnectionParameters p) {
            host = p.host;
            port = p.port;
            security = p.security;
            authMechanism = p.authMechanism;
            username = p.username;
            password = p.password;
            authorizationId = p.authorizationId;
            anonymousTrace = p.anonymousTrace;
            saslMechanism = p.saslMechanism;
            oauthTokenSupplier = p.oauthTokenSupplier;
            allowPlaintextAuth = p.allowPlaintextAuth;
            connectTimeout = p.connectTimeout;
            readTimeout = p.readTimeout;
            ehloName = p.ehloName;
            sslContext = p.sslContext;
            trustAllCertificates = p.trustAllCertificates;
            verifyHostname = p.verifyHostname;
            maxConnections = p.maxConnections;
            maxMessagesPerConnection = p.maxMessagesPerConnection;
            idleTimeout = p.idleTimeout;
            pipelining = p.pipelining;
            chunking = p.chunking;
        }

        /**
         * Server host name or address (required).
         *
         * @param host the value
         * @return this builder
         */
        public Builder host(String host) {
            this.host = host;
            return this;
        }

        /**
         * Server port; 0 (default) means 25, 587 or 465 depending on the security.
         *
         * @param port the value
         * @return this builder
         */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /**
         * How the connection is secured; {@code null} means NONE.
         *
         * @param security the value
         * @return this builder
         */
        public Builder security(SmtpSecurity security) {
            this.security = security == null ? SmtpSecurity.NONE : security;
            return this;
        }

        /**
         * Authentication mechanism name (case-insensitive); {@code null} or blank means NONE.
         *
         * @param authMechanism the value
         * @return this builder
         */
        public Builder authMechanism(String authMechanism) {
            this.authMechanism = authMechanism == null || authMechanism.isBlank()
                    ? AUTH_NONE : authMechanism.trim().toUpperCase(Locale.ROOT);
            return this;
        }

        /**
         * User name (authentication identity).
         *
         * @param username the value
         * @return this builder
         */
        public Builder username(String username) {
            this.username = username;
            return this;
        }

        /**
         * Password; never logged or printed.
         *
         * @param password the value
         * @return this builder
         */
        public Builder password(String password) {
            this.password = password;
            return this;
        }

        /**
         * Authorization identity to act as (PLAIN, SASL).
         *
         * @param authorizationId the value
         * @return this builder
         */
        public Builder authorizationId(String authorizationId) {
            this.authorizationId = authorizationId;
            return this;
        }

        /**
         * Trace information for ANONYMOUS (RFC 4505).
         *
         * @param anonymousTrace the value
         * @return this builder
         */
        public Builder anonymousTrace(String anonymousTrace) {
            this.anonymousTrace = anonymousTrace;
            return this;
        }

        /**
         * For mechanism SASL: the SASL mechanism name, e.g. "DIGEST-MD5".
         *
         * @param saslMechanism the value
         * @return this builder
         */
        public Builder saslMechanism(String saslMechanism) {
            this.saslMechanism = saslMechanism;
            return this;
        }

        /**
         * Supplies OAuth 2 access tokens for XOAUTH2; called once per authentication.
         *
         * @param oauthTokenSupplier the value
         * @return this builder
         */
        public Builder oauthTokenSupplier(Supplier<String> oauthTokenSupplier) {
            this.oauthTokenSupplier = oauthTokenSupplier;
            return this;
        }

        /**
         * Allow mechanisms that send secrets in clear (PLAIN, LOGIN, XOAUTH2) without TLS.
         *
         * @param allowPlaintextAuth the value
         * @return this builder
         */
        public Builder allowPlaintextAuth(boolean allowPlaintextAuth) {
            this.allowPlaintextAuth = allowPlaintextAuth;
            return this;
        }

        /**
         * TCP connect timeout, also the longest wait for a free pooled connection (positive).
         *
         * @param connectTimeout the value
         * @return this builder
         */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        /**
         * Read timeout for each server reply (positive); also the longest a write may stay blocked because the
         * server takes no data.
         *
         * @param readTimeout the value
         * @return this builder
         */
        public Builder readTimeout(Duration readTimeout) {
            this.readTimeout = readTimeout;
            return this;
        }

        /**
         * Name sent with EHLO/HELO; {@code null} for the local host name.
         *
         * @param ehloName the value
         * @return this builder
         */
        public Builder ehloName(String ehloName) {
            this.ehloName = ehloName;
            return this;
        }

        /**
         * SSL context for STARTTLS/SMTPS; {@code null} for the JDK default.
         *
         * @param sslContext the value
         * @return this builder
         */
        public Builder sslContext(SSLContext sslContext) {
            this.sslContext = sslContext;
            return this;
        }

        /**
         * Trust every server certificate (insecure: tests only).
         *
         * @param trustAllCertificates the value
         * @return this builder
         */
        public Builder trustAllCertificates(boolean trustAllCertificates) {
            this.trustAllCertificates = trustAllCertificates;
            return this;
        }

        /**
         * Check that the server certificate matches the host name (default {@code true}); when off, every TLS
         * connection logs a warning.
         *
         * @param verifyHostname the value
         * @return this builder
         */
        public Builder verifyHostname(boolean verifyHostname) {
            this.verifyHostname = verifyHostname;
            return this;
        }

        /**
         * Most connections open at once to this server (at least 1; default 4).
         *
         * @param maxConnections the value
         * @return this builder
         */
        public Builder maxConnections(int maxConnections) {
            this.maxConnections = maxConnections;
            return this;
        }

        /**
         * Letters per connection before it is closed; 0 (default) is unlimited.
         *
         * @param maxMessagesPerConnection the value
         * @return this builder
         */
        public Builder maxMessagesPerConnection(int maxMessagesPerConnection) {
            this.maxMessagesPerConnection = maxMessagesPerConnection;
            return this;
        }

        /**
         * How long an unused pooled connection stays open (zero closes connections right after use).
         *
         * @param idleTimeout the value
         * @return this builder
         */
        public Builder idleTimeout(Duration idleTimeout) {
            this.idleTimeout = idleTimeout;
            return this;
        }

        /**
         * Use PIPELINING when offered (default {@code true}).
         *
         * @param pipelining the value
         * @return this builder
         */
        public Builder pipelining(boolean pipelining) {
            this.pipelining = pipelining;
            return this;
        }

        /**
         * Use CHUNKING (BDAT) when offered (default {@code true}).
         *
         * @param chunking the value
         * @return this builder
         */
        public Builder chunking(boolean chunking) {
            this.chunking = chunking;
            return this;
        }

        /**
         * @return the immutable parameters
         * @throws IllegalArgumentException when the host is missing or a value is out of range
         */
        public SmtpConnectionParameters build() {
            if (host == null || host.isBlank()) {
                throw new IllegalArgumentException("SMTP host is required");
            }
            host = host.trim();
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("SMTP port out of range: " + port);
            }
            requirePositive("connectTimeout", connectTimeout);
            requirePositive("readTimeout", readTimeout);
            if (idleTimeout == null || idleTimeout.isNegative()) {
                throw new IllegalArgumentException("idleTimeout must not be negative: " + idleTimeout);
            }
            if (maxConnections < 1) {
                throw new IllegalArgumentException("maxConnections must be at least 1: " + maxConnections);
            }
            if (maxMessagesPerConnection < 0) {
                throw new IllegalArgumentException(
                        "maxMessagesPerConnection must not be negative: " + maxMessagesPerConnection);
            }
            if (ehloName != null && (ehloName.isBlank() || ehloName.chars().anyMatch(c -> c <= ' ' || c >= 127))) {
                throw new IllegalArgumentException("ehloName must be a non-empty ASCII name without spaces");
            }
            return new SmtpConnectionParameters(this);
        }

        private static void requirePositive(String name, Duration d) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive: " + d);
            }
        }
    }
}
