package io.github.smtpletter.camel;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;

import io.github.smtpletter.smtp.SendStatus;
import io.github.smtpletter.smtp.SmtpStatistics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Micrometer meters for the {@code letter-smtp} component, per server ({@code host:port}, tag {@code server}), read
 * from its {@link SmtpStatistics}:
 * <ul>
 * <li>{@code letter.smtp.letters} (counter, tag {@code status}: SENT, PARTIALLY_SENT, REJECTED, FAILED, UNKNOWN)</li>
 * <li>{@code letter.smtp.recipients} (counter, tag {@code outcome}: accepted, rejected)</li>
 * <li>{@code letter.smtp.bytes} (counter, bytes written to the server while sending)</li>
 * <li>{@code letter.smtp.auth.failures} (counter)</li>
 * <li>{@code letter.smtp.letter.time} (timer: time spent sending; a call of several letters counts its time once
 * and its letters each, so the mean is the time per letter)</li>
 * <li>{@code letter.smtp.pool.connections} (gauge, tag {@code state}: open, idle, leased)</li>
 * <li>{@code letter.smtp.pool.waiting} (gauge: callers waiting for a connection)</li>
 * </ul>
 * No meter is tagged by recipient, subject or user. Meters of a server are registered when the component first sees
 * it (an endpoint starts, or a letter is sent to it).
 * <p>
 * Camel Main and Camel Quarkus: when Micrometer and a {@link MeterRegistry} are in the Camel registry, the component
 * binds one of these itself when it starts. Spring Boot: the starter contributes one as a bean, which Spring Boot
 * binds to its registry.
 */
public final class LetterSmtpMeterBinder implements MeterBinder {

    private static final Logger LOG = LoggerFactory.getLogger(LetterSmtpMeterBinder.class);
    private static final String PREFIX = "letter.smtp.";

    private final SmtpStatistics statistics;

    /**
     * @param statistics the component's statistics ({@link LetterSmtpComponent#getStatistics()})
     */
    public LetterSmtpMeterBinder(SmtpStatistics statistics) {
        this.statistics = Objects.requireNonNull(statistics, "statistics");
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        statistics.onEachServer(server -> register(registry, server));
    }

    private static void register(MeterRegistry registry, SmtpStatistics.Server server) {
        String address = server.address();
        for (SendStatus status : SendStatus.values()) {
            FunctionCounter.builder(PREFIX + "letters", server, s -> s.letters(status))
                    .description("Letters by the status of their result").tags("server", address, "status",
                            status.name())
                    .register(registry);
        }
        FunctionCounter.builder(PREFIX + "recipients", server, SmtpStatistics.Server::acceptedRecipients)
                .description("Recipients the server accepted or refused").tags("server", address, "outcome",
                        "accepted")
                .register(registry);
        FunctionCounter.builder(PREFIX + "recipients", server, SmtpStatistics.Server::rejectedRecipients)
                .description("Recipients the server accepted or refused").tags("server", address, "outcome",
                        "rejected")
                .register(registry);
        FunctionCounter.builder(PREFIX + "bytes", server, SmtpStatistics.Server::bytesSent)
                .description("Bytes written to the server while sending letters").baseUnit("bytes")
                .tags("server", address).register(registry);
        FunctionCounter.builder(PREFIX + "auth.failures", server, SmtpStatistics.Server::authFailures)
                .description("Connections for sending that failed at AUTH").tags("server", address)
                .register(registry);
        FunctionTimer.builder(PREFIX + "letter.time", server, SmtpStatistics.Server::timedLetters,
                s -> s.sendingTime().toNanos(), TimeUnit.NANOSECONDS)
                .description("Time spent sending letters; the mean is the time per letter").tags("server", address)
                .register(registry);
        Map<String, ToIntFunction<SmtpStatistics.Pool>> states = Map.of("open", SmtpStatistics.Pool::open, "idle",
                SmtpStatistics.Pool::idle, "leased", SmtpStatistics.Pool::leased);
        for (var state : states.entrySet()) {
            Gauge.builder(PREFIX + "pool.connections", server, s -> state.getValue().applyAsInt(s.pool()))
                    .description("Pooled connections to the server by state").tags("server", address, "state",
                            state.getKey())
                    .register(registry);
        }
        Gauge.builder(PREFIX + "pool.waiting", server, s -> s.pool().waiting())
                .description("Callers waiting for a connection to the server").tags("server", address)
                .register(registry);
    }

    /**
     * Binds the component's meters to the {@link MeterRegistry} of the Camel registry, unless there is none, or a
     * binder of this type is a bean there (Spring Boot binds that one).
     *
     * @return whether they were bound
     */
    static boolean bindToRegistryOf(CamelContext context, SmtpStatistics statistics) {
        Set<LetterSmtpMeterBinder> binders = context.getRegistry().findByType(LetterSmtpMeterBinder.class);
        if (!binders.isEmpty()) {
            LOG.debug("letter-smtp meters are bound by the LetterSmtpMeterBinder bean");
            return false;
        }
        Set<MeterRegistry> registries = context.getRegistry().findByType(MeterRegistry.class);
        if (registries.size() != 1) {
            LOG.debug("letter-smtp meters not bound: {} MeterRegistry beans in the Camel registry", registries.size());
            return false;
        }
        new LetterSmtpMeterBinder(statistics).bindTo(registries.iterator().next());
        LOG.debug("letter-smtp meters bound to the MeterRegistry of the Camel registry");
        return true;
    }
}
