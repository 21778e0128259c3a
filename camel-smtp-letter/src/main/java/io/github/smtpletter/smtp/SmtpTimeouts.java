package io.github.smtpletter.smtp;

import java.time.Duration;

/**
 * How long the client waits for the server. All are finite and positive.
 *
 * @param connectTimeout the TCP connect timeout, also the longest wait for a free pooled connection; 10 s by default
 * @param readTimeout    the longest wait for any one complete server reply (however slowly its bytes arrive), and
 *                       for the server to take data being written (a write blocked longer closes the connection);
 *                       30 s by default
 * @param dataTimeout    the longest wait for the complete reply to the end of the message (the final dot, or
 *                       {@code BDAT ... LAST}), when servers run content filters; 10 minutes by default (RFC 5321
 *                       section 4.5.3.2.6)
 */
public record SmtpTimeouts(Duration connectTimeout, Duration readTimeout, Duration dataTimeout) {

    /** 10 minutes for the reply to the end of the message (RFC 5321 section 4.5.3.2.6). */
    public static final Duration DEFAULT_DATA_TIMEOUT = Duration.ofMinutes(10);

    /** 10 s to connect, 30 s per reply, 10 minutes for the reply to the end of the message. */
    public static final SmtpTimeouts DEFAULTS = new SmtpTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(30));

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException naming the timeout that is missing, zero or negative
     */
    public SmtpTimeouts {
        requirePositive("connectTimeout", connectTimeout);
        requirePositive("readTimeout", readTimeout);
        requirePositive("dataTimeout", dataTimeout);
    }

    /**
     * Timeouts with the default {@link #DEFAULT_DATA_TIMEOUT dataTimeout}.
     *
     * @param connectTimeout the TCP connect timeout
     * @param readTimeout    the longest wait for a reply, or for a write to proceed
     */
    public SmtpTimeouts(Duration connectTimeout, Duration readTimeout) {
        this(connectTimeout, readTimeout, DEFAULT_DATA_TIMEOUT);
    }

    /**
     * @param  connectTimeout the TCP connect timeout
     * @return                a copy with that timeout
     */
    public SmtpTimeouts withConnectTimeout(Duration connectTimeout) {
        return new SmtpTimeouts(connectTimeout, readTimeout, dataTimeout);
    }

    /**
     * @param  readTimeout the longest wait for a reply, or for a write to proceed
     * @return             a copy with that timeout
     */
    public SmtpTimeouts withReadTimeout(Duration readTimeout) {
        return new SmtpTimeouts(connectTimeout, readTimeout, dataTimeout);
    }

    /**
     * @param  dataTimeout the longest wait for the reply to the end of the message
     * @return             a copy with that timeout
     */
    public SmtpTimeouts withDataTimeout(Duration dataTimeout) {
        return new SmtpTimeouts(connectTimeout, readTimeout, dataTimeout);
    }

    private static void requirePositive(String name, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
    }
}
