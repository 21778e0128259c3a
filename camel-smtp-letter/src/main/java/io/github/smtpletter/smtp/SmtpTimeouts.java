package io.github.smtpletter.smtp;

import java.time.Duration;

/**
 * How long the client waits for the server. Both are finite and positive.
 *
 * @param connectTimeout the TCP connect timeout, also the longest wait for a free pooled connection; 10 s by default
 * @param readTimeout    the longest wait for any one server reply, and for the server to take data being written (a
 *                       write blocked longer closes the connection); 30 s by default
 */
public record SmtpTimeouts(Duration connectTimeout, Duration readTimeout) {

    /** 10 s to connect, 30 s per reply. */
    public static final SmtpTimeouts DEFAULTS = new SmtpTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(30));

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException naming the timeout that is missing, zero or negative
     */
    public SmtpTimeouts {
        requirePositive("connectTimeout", connectTimeout);
        requirePositive("readTimeout", readTimeout);
    }

    /**
     * @param  connectTimeout the TCP connect timeout
     * @return                a copy with that timeout
     */
    public SmtpTimeouts withConnectTimeout(Duration connectTimeout) {
        return new SmtpTimeouts(connectTimeout, readTimeout);
    }

    /**
     * @param  readTimeout the longest wait for a reply, or for a write to proceed
     * @return             a copy with that timeout
     */
    public SmtpTimeouts withReadTimeout(Duration readTimeout) {
        return new SmtpTimeouts(connectTimeout, readTimeout);
    }

    private static void requirePositive(String name, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
    }
}
