package io.github.smtpletter.smtp;

import java.util.Objects;

import javax.net.ssl.SSLContext;

/**
 * Where the SMTP server is and how the connection to it is secured. Immutable; start from {@link #of(String)} and
 * change what differs from the defaults with the {@code with...} methods.
 * <p>
 * Equality compares the {@link SSLContext} by identity (it defines no equality of its own).
 *
 * @param host                 the server host name or IP address (required)
 * @param port                 the port, 0 meaning the default for the security mode (see {@link #effectivePort()})
 * @param security             how the connection is secured; {@link SmtpSecurity#NONE} when {@code null}
 * @param ehloName             the name sent with EHLO/HELO, or {@code null} for the local host name
 * @param sslContext           the SSL context for STARTTLS/SMTPS, or {@code null} for the JDK default
 * @param trustAllCertificates whether every server certificate is trusted (insecure, for tests only; logged as a
 *                             warning)
 * @param verifyHostname       whether the server certificate must match the host name ({@code true} by default;
 *                             off, every TLS connection logs a warning)
 */
public record SmtpServer(String host, int port, SmtpSecurity security, String ehloName, SSLContext sslContext,
        boolean trustAllCertificates, boolean verifyHostname) {

    /**
     * Checks and normalises the values.
     *
     * @throws IllegalArgumentException naming the field that is missing or out of range
     */
    public SmtpServer {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("SMTP host is required");
        }
        host = host.trim();
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("SMTP port out of range: " + port);
        }
        security = Objects.requireNonNullElse(security, SmtpSecurity.NONE);
        if (ehloName != null && (ehloName.isBlank() || ehloName.chars().anyMatch(c -> c <= ' ' || c >= 127))) {
            throw new IllegalArgumentException("ehloName must be a non-empty ASCII name without spaces");
        }
    }

    /**
     * @param  host the server host name or IP address
     * @return      the server on the default port of a connection without TLS, with the default TLS settings
     */
    public static SmtpServer of(String host) {
        return of(host, 0, SmtpSecurity.NONE);
    }

    /**
     * @param  host     the server host name or IP address
     * @param  port     the port, 0 for the default of the security mode
     * @param  security how the connection is secured
     * @return          the server with the default TLS settings and EHLO name
     */
    public static SmtpServer of(String host, int port, SmtpSecurity security) {
        return new SmtpServer(host, port, security, null, null, false, true);
    }

    /** @return the port to connect to: {@link #port()} or, when 0, 25 / 587 / 465 for NONE / STARTTLS / SMTPS */
    public int effectivePort() {
        return port != 0 ? port : security.defaultPort();
    }

    /** @return {@code host:effectivePort}, as shown in messages */
    public String address() {
        return host + ":" + effectivePort();
    }

    /**
     * @param  port the port, 0 for the default of the security mode
     * @return      a copy with that port
     */
    public SmtpServer withPort(int port) {
        return new SmtpServer(host, port, security, ehloName, sslContext, trustAllCertificates, verifyHostname);
    }

    /**
     * @param  security how the connection is secured
     * @return          a copy with that security
     */
    public SmtpServer withSecurity(SmtpSecurity security) {
        return new SmtpServer(host, port, security, ehloName, sslContext, trustAllCertificates, verifyHostname);
    }

    /**
     * @param  ehloName the name sent with EHLO/HELO, {@code null} for the local host name
     * @return          a copy with that name
     */
    public SmtpServer withEhloName(String ehloName) {
        return new SmtpServer(host, port, security, ehloName, sslContext, trustAllCertificates, verifyHostname);
    }

    /**
     * @param  sslContext the SSL context for STARTTLS/SMTPS, {@code null} for the JDK default
     * @return            a copy with that context
     */
    public SmtpServer withSslContext(SSLContext sslContext) {
        return new SmtpServer(host, port, security, ehloName, sslContext, trustAllCertificates, verifyHostname);
    }

    /**
     * @param  trustAllCertificates trust every server certificate (insecure: tests only)
     * @return                      a copy with that setting
     */
    public SmtpServer withTrustAllCertificates(boolean trustAllCertificates) {
        return new SmtpServer(host, port, security, ehloName, sslContext, trustAllCertificates, verifyHostname);
    }

    /**
     * @param  verifyHostname check that the server certificate matches the host name
     * @return                a copy with that setting
     */
    public SmtpServer withVerifyHostname(boolean verifyHostname) {
        return new SmtpServer(host, port, security, ehloName, sslContext, trustAllCertificates, verifyHostname);
    }

    /** @return a description for logs: the address, security and the TLS settings that differ from the defaults */
    @Override
    public String toString() {
        return "SmtpServer[host=" + host + ", port=" + effectivePort() + ", security=" + security
               + (ehloName != null ? ", ehloName=" + ehloName : "")
               + (sslContext != null ? ", sslContext=" + sslContext.getProtocol() : "")
               + (trustAllCertificates ? ", trustAllCertificates=true" : "")
               + (verifyHostname ? "" : ", verifyHostname=false") + "]";
    }
}
