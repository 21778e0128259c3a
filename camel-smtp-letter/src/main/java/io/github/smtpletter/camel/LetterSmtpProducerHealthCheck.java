package io.github.smtpletter.camel;

import java.util.Map;

import io.github.smtpletter.smtp.SmtpConnectionParameters;
import io.github.smtpletter.smtp.SmtpException;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness check of a {@code letter-smtp} producer: opens a connection to the endpoint's server, says EHLO, starts
 * TLS and authenticates as configured, then QUIT ({@link io.github.smtpletter.smtp.SmtpClient#verify}). No letter
 * is sent and pooled connections are not used.
 * <p>
 * Registered in the {@code producers} health check repository when the producer starts, so it reports only when
 * producer health checks are enabled ({@code camel.health.producersEnabled=true}) and the component's
 * {@code healthCheckProducerEnabled} is on (the default). It is a readiness check only: a mail server that is away
 * should take the application out of rotation, not restart it.
 * <p>
 * DOWN results say what failed in the message ({@code host:port} and the reply or exception) and carry the details
 * {@code server}, {@code security}, {@code authMechanism}, and when the server answered, {@code reply} and
 * {@code service.status.code}; never a user name or password.
 */
final class LetterSmtpProducerHealthCheck extends AbstractHealthCheck {

    private final LetterSmtpEndpoint endpoint;

    /**
     * @param endpoint the endpoint whose server to check
     * @param id       the check's id, {@code producer:letter-smtp-HOST:PORT-ENDPOINTID}
     */
    LetterSmtpProducerHealthCheck(LetterSmtpEndpoint endpoint, String id) {
        super("camel", id);
        this.endpoint = endpoint;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        SmtpConnectionParameters parameters = endpoint.connectionParameters();
        if (parameters == null) {
            builder.down().message("letter-smtp " + endpoint.server() + ": the endpoint is not started");
            return;
        }
        String server = server(parameters);
        builder.detail("server", server);
        builder.detail("security", parameters.server().security().name());
        builder.detail("authMechanism", parameters.authentication().authMechanism());
        try {
            endpoint.client().verify(parameters);
            builder.up();
        } catch (SmtpException e) {
            builder.down();
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            // the client's messages name the server mostly; say which one when they do not
            builder.message(message.contains(server) ? "letter-smtp: " + message
                    : "letter-smtp " + server + ": " + message);
            if (e.reply() != null) {
                builder.detail("reply", e.reply().toString());
                builder.detail(SERVICE_STATUS_CODE, e.reply().code());
            }
            builder.detail("retryable", e.isRetryable());
            builder.error(e);
        } catch (RuntimeException e) {
            builder.down().message("letter-smtp " + server + ": " + e.getMessage()).error(e);
        }
    }

    /** {@code host:port}, an IPv6 literal in brackets. */
    static String server(SmtpConnectionParameters p) {
        String host = p.server().host();
        if (host != null && host.indexOf(':') >= 0 && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        return host + ":" + p.server().effectivePort();
    }
}
