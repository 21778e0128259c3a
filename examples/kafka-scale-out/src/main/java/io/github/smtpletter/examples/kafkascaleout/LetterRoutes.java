package io.github.smtpletter.examples.kafkascaleout;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.smtpletter.camel.LetterSendException;
import io.github.smtpletter.json.LetterJacksonModule;
import io.github.smtpletter.letter.Letter;
import io.github.smtpletter.smtp.SendResult;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.Processor;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;

/**
 * The route of every instance: a JSON letter from the letters topic, sent through {@code letter-smtp:} (with the
 * ledger when one is bound as {@code ledger}), its one result published to the results topic and the record's offset
 * committed in the same Kafka transaction ({@link TransactionalResultPublisher}). A letter whose result is FAILED
 * (nothing handed over) is tried again with a growing delay until it goes or the give-up time has passed since its
 * first try; then its FAILED result is final.
 * <p>
 * The Kafka consumer commits nothing itself: offsets are committed only by the transaction that publishes the
 * result, so a crash at any point leaves the record either done (result visible to {@code read_committed} readers,
 * offset committed) or to be read again by the instance that takes the partition over: the ledger then answers with
 * the stored result (nothing is sent again) or, for a letter whose send the crash interrupted, UNKNOWN once the
 * claim's lease ran out.
 */
public final class LetterRoutes extends RouteBuilder {

    static final String PUBLISH = "direct:publish-result";
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final ScaleOutSettings settings;
    private final boolean withLedger;
    private final Processor publisher;
    private final ObjectMapper mapper = new ObjectMapper().registerModule(new LetterJacksonModule());

    /**
     * @param settings   the instance's settings
     * @param withLedger whether the registry holds a ledger named {@code ledger} for the SMTP endpoint
     * @param publisher  publishes a result (the body, keyed by the {@link KafkaConstants#KEY} header) and commits the
     *                   letters record's offset with it
     */
    public LetterRoutes(ScaleOutSettings settings, boolean withLedger, Processor publisher) {
        this.settings = settings;
        this.withLedger = withLedger;
        this.publisher = publisher;
    }

    @Override
    public void configure() {
        onException(LetterSendException.class)
                .retryWhile(this::worthAnotherTry)
                .redeliveryDelay(settings.retryDelay().toMillis())
                .useExponentialBackOff()
                .backOffMultiplier(2)
                .maximumRedeliveryDelay(settings.retryMaxDelay().toMillis())
                .retryAttemptedLogLevel(LoggingLevel.DEBUG)
                .logExhausted(false)
                .handled(true)
                .to(PUBLISH);

        // a record that is no letter would otherwise come back forever: it gets a REJECTED result of its own
        onException(JsonProcessingException.class)
                .handled(true)
                .process(this::unreadable)
                .to(PUBLISH);

        from(lettersUri()).routeId("letters")
                .process(this::readLetter)
                .to(smtpUri())
                .to(PUBLISH);

        from(PUBLISH).routeId("publish-result")
                .process(this::resultRecord)
                .process(publisher);
    }

    /** Retry while some letter FAILED (safe to send again) and the give-up time has not passed. */
    private boolean worthAnotherTry(Exchange exchange) {
        LetterSendException e = exchange.getException(LetterSendException.class);
        return e != null && e.isRetryable() && exchange.getClock().elapsed() < settings.giveUp().toMillis();
    }

    private void unreadable(Exchange exchange) {
        JsonProcessingException e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, JsonProcessingException.class);
        String key = exchange.getMessage().getHeader(KafkaConstants.KEY, String.class);
        exchange.getMessage().setBody(List.of(SendResult.rejected(key, "not a letter: " + e.getOriginalMessage())));
    }

    private void readLetter(Exchange exchange) throws Exception {
        String json = exchange.getMessage().getMandatoryBody(String.class);
        exchange.getMessage().setBody(mapper.readValue(json, Letter.class));
    }

    /** The one result of the record's letter, as JSON with the name of the instance that published it. */
    private void resultRecord(Exchange exchange) throws Exception {
        List<?> results = exchange.getMessage().getMandatoryBody(List.class);
        SendResult result = (SendResult) results.get(0);
        Map<String, Object> record = new LinkedHashMap<>(mapper.convertValue(result, MAP));
        record.put("instance", settings.instance());
        exchange.getMessage().setBody(mapper.writeValueAsString(record));
    }

    private String lettersUri() {
        long sessionTimeout = settings.sessionTimeout().toMillis();
        return "kafka:" + settings.lettersTopic()
               + "?brokers=" + settings.brokers()
               + "&groupId=" + settings.group()
               + "&clientId=" + settings.instance()
               + "&autoOffsetReset=earliest"
               // no commit by the consumer: the offset goes in the transaction that publishes the result
               + "&autoCommitEnable=false&allowManualCommit=false"
               + "&sessionTimeoutMs=" + sessionTimeout
               + "&heartbeatIntervalMs=" + Math.max(100, sessionTimeout / 4)
               // a partition waits while one of its letters is retried: polls may be that far apart
               + "&maxPollIntervalMs=" + (settings.giveUp().toMillis() + settings.retryMaxDelay().toMillis() + 60_000)
               + "&maxPollRecords=100"
               + "&consumersCount=" + settings.consumers()
               // incremental rebalancing: when an instance comes or goes, the others keep their partitions and
               // finish (and commit) the letters in their hands; a record in hand is finished, its transaction
               // committed, before its partition is given up
               + "&partitionAssignor=" + CooperativeStickyAssignor.class.getName()
               + "&breakOnFirstError=true";
    }

    private String smtpUri() {
        String uri = "letter-smtp:" + settings.smtpHost() + ":" + settings.smtpPort()
                     + "?connectTimeout=2000&readTimeout=10000";
        return withLedger ? uri + "&ledger=#ledger&ledgerLease=" + settings.ledgerLease() : uri;
    }
}
