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
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The route of every instance: a JSON letter from the letters topic, sent through {@code letter-smtp:} (with the
 * ledger when one is bound as {@code ledger}), its one result published to the results topic, then the record's
 * offset committed. A letter whose result is FAILED (nothing handed over) is tried again with a growing delay until
 * it goes or the give-up time has passed since its first try; then its FAILED result is final.
 * <p>
 * The offset is committed only after the result is on the results topic, so a crash at any point leaves the record
 * to be read again by the instance that takes the partition over: the ledger then answers with the stored result
 * (nothing is sent again) or, for a letter whose send the crash interrupted, UNKNOWN once the claim's lease ran out.
 */
public final class LetterRoutes extends RouteBuilder {

    static final String PUBLISH = "direct:publish-result";
    private static final Logger LOG = LoggerFactory.getLogger(LetterRoutes.class);
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final ScaleOutSettings settings;
    private final boolean withLedger;
    private final ObjectMapper mapper = new ObjectMapper().registerModule(new LetterJacksonModule());

    /**
     * @param settings   the instance's settings
     * @param withLedger whether the registry holds a ledger named {@code ledger} for the SMTP endpoint
     */
    public LetterRoutes(ScaleOutSettings settings, boolean withLedger) {
        this.settings = settings;
        this.withLedger = withLedger;
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
                .to(resultsUri())
                .process(LetterRoutes::commit);
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

    /**
     * Commits the record's offset. A commit refused because the group is rebalancing is not the letter's failure (its
     * result is out): the partition's next owner reads the record again and the ledger answers with the stored
     * result, so the result is published once more and nothing is sent again.
     */
    private static void commit(Exchange exchange) {
        KafkaManualCommit commit = exchange.getMessage().getHeader(KafkaConstants.MANUAL_COMMIT,
                KafkaManualCommit.class);
        if (commit == null) {
            return;
        }
        try {
            commit.commit();
        } catch (KafkaException e) {
            LOG.warn("Offset of {} not committed ({}): its result will be published again by the partition's next"
                     + " owner", exchange.getMessage().getHeader(KafkaConstants.KEY), e.getClass().getSimpleName());
        }
    }

    private String lettersUri() {
        long sessionTimeout = settings.sessionTimeout().toMillis();
        return "kafka:" + settings.lettersTopic()
               + "?brokers=" + settings.brokers()
               + "&groupId=" + settings.group()
               + "&clientId=" + settings.instance()
               + "&autoOffsetReset=earliest"
               + "&autoCommitEnable=false&allowManualCommit=true"
               + "&sessionTimeoutMs=" + sessionTimeout
               + "&heartbeatIntervalMs=" + Math.max(100, sessionTimeout / 4)
               // a partition waits while one of its letters is retried: polls may be that far apart
               + "&maxPollIntervalMs=" + (settings.giveUp().toMillis() + settings.retryMaxDelay().toMillis() + 60_000)
               + "&maxPollRecords=100"
               + "&consumersCount=" + settings.consumers()
               // incremental rebalancing: when an instance comes or goes, the others keep their partitions and
               // finish (and commit) the letters in their hands
               + "&partitionAssignor=" + CooperativeStickyAssignor.class.getName()
               + "&breakOnFirstError=true";
    }

    private String resultsUri() {
        return "kafka:" + settings.resultsTopic()
               + "?brokers=" + settings.brokers()
               + "&clientId=" + settings.instance() + "-results"
               + "&requestRequiredAcks=all&lingerMs=0";
    }

    private String smtpUri() {
        String uri = "letter-smtp:" + settings.smtpHost() + ":" + settings.smtpPort()
                     + "?connectTimeout=2000&readTimeout=10000";
        return withLedger ? uri + "&ledger=#ledger&ledgerLease=" + settings.ledgerLease() : uri;
    }
}
