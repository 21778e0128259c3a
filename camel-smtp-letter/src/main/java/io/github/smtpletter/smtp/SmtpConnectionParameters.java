package io.github.smtpletter.smtp;

import java.util.Objects;

import io.github.smtpletter.mime.dkim.DkimSettings;

/**
 * How to reach and log in to an SMTP server: what {@code SmtpClient.send}
 * takes. Immutable; composed of the {@link SmtpServer}, the {@link SmtpAuthentication}, the
 * {@code allowPlaintextAuth} policy, the {@link SmtpPoolSettings}, the {@link SmtpTimeouts} and, optionally, the
 * {@link DkimSettings} every letter is signed with; built with
 * {@link #builder(SmtpServer)}.
 * <p>
 * Equality covers every value (the {@code SSLContext} and the OAuth token supplier by identity), so two equal
 * parameter sets share one connection pool in {@link SmtpClient}. {@link #toString()} never shows a password or a
 * token.
 *
 * @param server             the server, its security and TLS settings
 * @param authentication     how to log in; {@link SmtpAuthentication#none()} when {@code null}
 * @param allowPlaintextAuth whether mechanisms that reveal the secret (PLAIN, LOGIN, XOAUTH2) may be used on a
 *                           connection without TLS; {@code false} by default
 * @param pool               how connections are pooled and used; {@link SmtpPoolSettings#DEFAULTS} when {@code null}
 * @param timeouts           connect and read timeouts; {@link SmtpTimeouts#DEFAULTS} when {@code null}
 * @param dkim               how every letter is signed with DKIM; {@code null} for no signature
 */
public record SmtpConnectionParameters(SmtpServer server, SmtpAuthentication authentication,
        boolean allowPlaintextAuth, SmtpPoolSettings pool, SmtpTimeouts timeouts, DkimSettings dkim) {

    /**
     * Fills in the defaults.
     *
     * @throws NullPointerException when the server is missing
     */
    public SmtpConnectionParameters {
        Objects.requireNonNull(server, "server");
        authentication = Objects.requireNonNullElse(authentication, SmtpAuthentication.none());
        pool = Objects.requireNonNullElse(pool, SmtpPoolSettings.DEFAULTS);
        timeouts = Objects.requireNonNullElse(timeouts, SmtpTimeouts.DEFAULTS);
    }

    /**
     * Without DKIM signing.
     *
     * @param server             the server, its security and TLS settings
     * @param authentication     how to log in; none when {@code null}
     * @param allowPlaintextAuth whether PLAIN, LOGIN and XOAUTH2 may be used without TLS
     * @param pool               how connections are pooled; the defaults when {@code null}
     * @param timeouts           connect and read timeouts; the defaults when {@code null}
     */
    public SmtpConnectionParameters(SmtpServer server, SmtpAuthentication authentication, boolean allowPlaintextAuth,
                                    SmtpPoolSettings pool, SmtpTimeouts timeouts) {
        this(server, authentication, allowPlaintextAuth, pool, timeouts, null);
    }

    /**
     * @param  server the server to send to
     * @return        a new builder with the defaults: no authentication, default pool settings and timeouts
     */
    public static Builder builder(SmtpServer server) {
        return new Builder(server);
    }

    /** @return a builder initialised with these parameters */
    public Builder toBuilder() {
        return new Builder(server).authentication(authentication).allowPlaintextAuth(allowPlaintextAuth).pool(pool)
                .timeouts(timeouts).dkim(dkim);
    }

    /** Builds {@link SmtpConnectionParameters} from its values; not thread-safe. */
    public static final class Builder {
        private SmtpServer server;
        private SmtpAuthentication authentication;
        private boolean allowPlaintextAuth;
        private SmtpPoolSettings pool;
        private SmtpTimeouts timeouts;
        private DkimSettings dkim;

        private Builder(SmtpServer server) {
            this.server = server;
        }

        /**
         * @param  server the server, its security and TLS settings
         * @return        this builder
         */
        public Builder server(SmtpServer server) {
            this.server = server;
            return this;
        }

        /**
         * @param  authentication how to log in; {@code null} for none
         * @return                this builder
         */
        public Builder authentication(SmtpAuthentication authentication) {
            this.authentication = authentication;
            return this;
        }

        /**
         * @param  allowPlaintextAuth allow PLAIN, LOGIN and XOAUTH2 on a connection without TLS
         * @return                    this builder
         */
        public Builder allowPlaintextAuth(boolean allowPlaintextAuth) {
            this.allowPlaintextAuth = allowPlaintextAuth;
            return this;
        }

        /**
         * @param  pool how connections are pooled and used; {@code null} for the defaults
         * @return      this builder
         */
        public Builder pool(SmtpPoolSettings pool) {
            this.pool = pool;
            return this;
        }

        /**
         * @param  timeouts connect and read timeouts; {@code null} for the defaults
         * @return          this builder
         */
        public Builder timeouts(SmtpTimeouts timeouts) {
            this.timeouts = timeouts;
            return this;
        }

        /**
         * @param  dkim how every letter is signed with DKIM; {@code null} for no signature
         * @return      this builder
         */
        public Builder dkim(DkimSettings dkim) {
            this.dkim = dkim;
            return this;
        }

        /** @return the immutable parameters */
        public SmtpConnectionParameters build() {
            return new SmtpConnectionParameters(server, authentication, allowPlaintextAuth, pool, timeouts, dkim);
        }
    }
}
