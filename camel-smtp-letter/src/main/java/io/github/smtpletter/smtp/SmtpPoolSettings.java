package io.github.smtpletter.smtp;

import java.time.Duration;

/**
 * How {@link SmtpClient} keeps and uses connections to one server: how many, for how long, and which SMTP
 * extensions speed up the letters sent on them.
 *
 * @param maxConnections           the most connections open at once to this server from one client; at least 1,
 *                                 {@value #DEFAULT_MAX_CONNECTIONS} by default (a third of Postfix's default
 *                                 {@code smtpd_client_connection_count_limit} of 50); when all are busy, letters join
 *                                 a busy connection's stream, and a 421 refusing a further connection makes the pool
 *                                 keep to the connections open for a while
 * @param maxMessagesPerConnection how many letters one connection sends before it is closed; 0 (default) is
 *                                 unlimited
 * @param idleTimeout              how long an unused pooled connection stays open (zero closes it right after use);
 *                                 30 s by default
 * @param pipelining               whether PIPELINING (RFC 2920) is used when the server offers it; {@code true} by
 *                                 default
 * @param chunking                 whether CHUNKING/BDAT (RFC 3030) is used when the server offers it; {@code true}
 *                                 by default
 */
public record SmtpPoolSettings(int maxConnections, int maxMessagesPerConnection, Duration idleTimeout,
        boolean pipelining, boolean chunking) {

    /** The default of {@link #maxConnections()}. */
    public static final int DEFAULT_MAX_CONNECTIONS = 16;

    /** 16 connections, unlimited letters each, closed after 30 s unused, PIPELINING and CHUNKING when offered. */
    public static final SmtpPoolSettings DEFAULTS = new SmtpPoolSettings(DEFAULT_MAX_CONNECTIONS, 0,
            Duration.ofSeconds(30), true, true);

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException naming the field that is out of range
     */
    public SmtpPoolSettings {
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be at least 1: " + maxConnections);
        }
        if (maxMessagesPerConnection < 0) {
            throw new IllegalArgumentException(
                    "maxMessagesPerConnection must not be negative: " + maxMessagesPerConnection);
        }
        if (idleTimeout == null || idleTimeout.isNegative()) {
            throw new IllegalArgumentException("idleTimeout must not be negative: " + idleTimeout);
        }
    }

    /**
     * @param  maxConnections the most connections open at once
     * @return                a copy with that limit
     */
    public SmtpPoolSettings withMaxConnections(int maxConnections) {
        return new SmtpPoolSettings(maxConnections, maxMessagesPerConnection, idleTimeout, pipelining, chunking);
    }

    /**
     * @param  maxMessagesPerConnection letters per connection, 0 for unlimited
     * @return                          a copy with that limit
     */
    public SmtpPoolSettings withMaxMessagesPerConnection(int maxMessagesPerConnection) {
        return new SmtpPoolSettings(maxConnections, maxMessagesPerConnection, idleTimeout, pipelining, chunking);
    }

    /**
     * @param  idleTimeout how long an unused connection stays open
     * @return             a copy with that timeout
     */
    public SmtpPoolSettings withIdleTimeout(Duration idleTimeout) {
        return new SmtpPoolSettings(maxConnections, maxMessagesPerConnection, idleTimeout, pipelining, chunking);
    }

    /**
     * @param  pipelining use PIPELINING when offered
     * @return            a copy with that setting
     */
    public SmtpPoolSettings withPipelining(boolean pipelining) {
        return new SmtpPoolSettings(maxConnections, maxMessagesPerConnection, idleTimeout, pipelining, chunking);
    }

    /**
     * @param  chunking use CHUNKING (BDAT) when offered
     * @return          a copy with that setting
     */
    public SmtpPoolSettings withChunking(boolean chunking) {
        return new SmtpPoolSettings(maxConnections, maxMessagesPerConnection, idleTimeout, pipelining, chunking);
    }
}
