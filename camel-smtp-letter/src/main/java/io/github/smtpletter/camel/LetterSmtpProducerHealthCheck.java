package io.github.smtpletter.camel;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.github.smtpletter.smtp.ConnectionFailureListener;
import io.github.smtpletter.smtp.SmtpConnectionParameters;
import io.github.smtpletter.smtp.SmtpException;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness check of a {@code letter-smtp} producer: opens a connection to the endpoint's server, says EHLO, starts
 * TLS and authenticates as configured, then QUIT ({@link io.github.smtpletter.smtp.SmtpClient#verify}). No letter
 * is sent and pooled connections are not used.
 * <p>
 * The result is kept for the endpoint's {@code healthCheckCacheTime} (0: probe on every call), and real sends
 * replace it as they happen: the producer reports a letter the server answered ({@link #sendAnswered()}: UP) and the
 * client reports a failure to open a connection for sending ({@link #connectionFailed}: DOWN), each restarting the
 * cache time. A server in steady use is thus never probed; concurrent calls share one probe.
 * <p>
 * Registered in the {@code producers} health check repository when the producer starts, so it reports only when
 * producer health checks are enabled ({@code camel.health.producersEnabled=true}) and the component's
 * {@code healthCheckProducerEnabled} is on (the default). It is a readiness check only: a mail server that is away
 * should take the application out of rotation, not restart it.
 * <p>
 * DOWN results say what failed in the message ({@code host:port} and the reply or exception) and carry the details
 * {@code server}, {@code security}, {@code authMechanism}, {@code source} ({@code probe} or {@code send}), and when
 * the server answered, {@code reply} and {@code service.status.code}; never a user name or password.
 */
final class LetterSmtpProducerHealthCheck extends AbstractHealthCheck implements ConnectionFailureListener {

    private final LetterSmtpEndpoint endpoint;
    private final long cacheNanos;
    private final Object probeLock = new Object();
    private volatile Outcome last;

    /**
     * @param endpoint the endpoint whose server to check
     * @param id       the check's id, {@code producer:letter-smtp-HOST:PORT-ENDPOINTID}
     */
    LetterSmtpProducerHealthCheck(LetterSmtpEndpoint endpoint, String id) {
        super("camel", id);
        this.endpoint = endpoint;
        this.cacheNanos = TimeUnit.MILLISECONDS.toNanos(
                Math.max(0, endpoint.getConfiguration().getHealthCheckCacheTime()));
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
        Outcome o = last;
        if (!isFresh(o)) {
            synchronized (probeLock) {
                o = last;
                if (!isFresh(o)) {
                    o = probe(parameters);
                    last = o;
                }
            }
        }
        builder.detail("server", server(parameters));
        builder.detail("security", parameters.server().security().name());
        builder.detail("authMechanism", parameters.authentication().authMechanism());
        builder.detail("source", o.source());
        builder.details(o.details());
        if (o.up()) {
            builder.up();
        } else {
            builder.down().message(o.message());
            if (o.error() != null) {
                builder.error(o.error());
            }
        }
    }

    /** A send through the endpoint got an answer to its mail transaction: the server is reachable and let us in. */
    void sendAnswered() {
        last = new Outcome(true, "send", null, Map.of(), null, System.nanoTime());
    }

    /** Told by the client: opening a connection for sending failed. Applies to this endpoint's server only. */
    @Override
    public void connectionFailed(SmtpConnectionParameters parameters, IOException failure) {
        if (parameters.equals(endpoint.connectionParameters())) {
            last = down("send", parameters, failure);
        }
    }

    private boolean isFresh(Outcome o) {
        return o != null && cacheNanos > 0 && System.nanoTime() - o.at() < cacheNanos;
    }

    private Outcome probe(SmtpConnectionParameters parameters) {
        try {
            endpoint.client().verify(parameters);
            return new Outcome(true, "probe", null, Map.of(), null, System.nanoTime());
        } catch (SmtpException e) {
            return down("probe", parameters, e);
        } catch (RuntimeException e) {
            return new Outcome(false, "probe", "letter-smtp " + server(parameters) + ": " + e.getMessage(), Map.of(),
                    e, System.nanoTime());
        }
    }

    private static Outcome down(String source, SmtpConnectionParameters parameters, IOException e) {
        String server = server(parameters);
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        // the client's messages name the server mostly; say which one when they do not
        message = message.contains(server) ? "letter-smtp: " + message : "letter-smtp " + server + ": " + message;
        Map<String, Object> details = new LinkedHashMap<>();
        if (e instanceof SmtpException se) {
            if (se.reply() != null) {
                details.put("reply", se.reply().toString());
                details.put(SERVICE_STATUS_CODE, se.reply().code());
            }
            details.put("retryable", se.isRetryable());
        } else {
            details.put("retryable", true);
        }
        return new Outcome(false, source, message, Map.copyOf(details), e, System.nanoTime());
    }

    /** {@code host:port}, an IPv6 literal in brackets. */
    static String server(SmtpConnectionParameters p) {
        String host = p.server().host();
        if (host != null && host.indexOf(':') >= 0 && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        return host + ":" + p.server().effectivePort();
    }

    /** A result kept for the cache time: where it came from, and when ({@link System#nanoTime()}). */
    private record Outcome(boolean up, String source, String message, Map<String, Object> details, Throwable error,
            long at) {
    }
}
