package io.github.smtpletter.camel;

import java.time.Duration;

import javax.net.ssl.SSLContext;

import io.github.smtpletter.mime.dkim.DkimSettings;
import io.github.smtpletter.smtp.SmtpAuthentication;
import io.github.smtpletter.smtp.SmtpConnectionParameters;
import io.github.smtpletter.smtp.SmtpPoolSettings;
import io.github.smtpletter.smtp.SmtpServer;
import io.github.smtpletter.smtp.SmtpTimeouts;
import org.apache.camel.CamelContext;
import org.apache.camel.RuntimeCamelException;

/**
 * Turns an endpoint's options into the {@link SmtpConnectionParameters} the client pools connections by. Called when
 * the endpoint starts, so bad settings fail the route's start, naming the option.
 */
final class ConnectionParametersFactory {

    private ConnectionParametersFactory() {
    }

    /**
     * Builds the connection parameters from the options (or returns the {@code connectionParameters} bean).
     *
     * @throws IllegalArgumentException naming the option that is out of range, or an {@code authMechanism} or
     *                                  {@code saslMechanism} that is not known, or a {@code dkim*} option that is
     *                                  missing or invalid
     */
    static SmtpConnectionParameters create(LetterSmtpConfiguration c, CamelContext context) {
        DkimSettings dkim = DkimOptions.settings(c, context);
        if (c.getConnectionParameters() != null) {
            return dkim == null ? c.getConnectionParameters()
                    : c.getConnectionParameters().toBuilder().dkim(dkim).build();
        }
        SmtpServer server = new SmtpServer(c.getHost(), c.getPort(), c.getSecurity(), c.getEhloName(),
                sslContext(c, context), c.isTrustAllCertificates(), c.isVerifyHostname());
        SmtpAuthentication authentication = SmtpAuthentication.named(c.getAuthMechanism())
                .username(c.getUsername())
                .password(c.getPassword())
                .authorizationId(c.getAuthorizationId())
                .anonymousTrace(c.getAnonymousTrace())
                .saslMechanism(c.getSaslMechanism())
                .oauthTokenSupplier(c.getOauthTokenSupplier())
                .build();
        return SmtpConnectionParameters.builder(server)
                .authentication(authentication)
                .allowPlaintextAuth(c.isAllowPlaintextAuth())
                .pool(new SmtpPoolSettings(c.getMaxConnections(), c.getMaxMessagesPerConnection(),
                        Duration.ofMillis(c.getIdleTimeout()), c.isPipelining(), c.isChunking()))
                .timeouts(new SmtpTimeouts(Duration.ofMillis(c.getConnectTimeout()),
                        Duration.ofMillis(c.getReadTimeout()), Duration.ofMillis(c.getDataTimeout())))
                .dkim(dkim)
                .build();
    }

    private static SSLContext sslContext(LetterSmtpConfiguration c, CamelContext context) {
        if (c.getSslContextParameters() == null) {
            return null;
        }
        try {
            return c.getSslContextParameters().createSSLContext(context);
        } catch (Exception e) {
            throw new RuntimeCamelException("Cannot create the SSLContext from sslContextParameters: "
                                            + e.getMessage(), e);
        }
    }
}
