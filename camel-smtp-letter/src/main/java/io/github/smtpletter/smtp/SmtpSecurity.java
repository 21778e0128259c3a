package io.github.smtpletter.smtp;

/**
 * How the connection to the SMTP server is secured.
 */
public enum SmtpSecurity {
    /** Plain TCP, no TLS (default port 25). */
    NONE(25),
    /** Plain TCP upgraded with STARTTLS (RFC 3207) before authentication; required, never optional (default port 587). */
    STARTTLS(587),
    /** Implicit TLS from the first byte, "SMTPS" / submissions (RFC 8314, default port 465). */
    SMTPS(465);

    private final int defaultPort;

    SmtpSecurity(int defaultPort) {
        this.defaultPort = defaultPort;
    }

    /** @return the port used when the parameters leave the port at 0 */
    public int defaultPort() {
        return defaultPort;
    }
}
