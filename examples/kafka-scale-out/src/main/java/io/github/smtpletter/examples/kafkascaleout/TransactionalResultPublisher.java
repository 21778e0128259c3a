package io.github.smtpletter.examples.kafkascaleout;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.support.ExchangeHelper;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a letter's result and commits its letters record's offset in one Kafka transaction: a reader with
 * {@code isolation.level=read_committed} sees the result exactly when the offset is committed, so a record is either
 * done (result visible, never read again by the group) or not (no result visible, read again by the partition's next
 * owner).
 * <p>
 * One transactional producer per partition of the letters topic, its {@code transactional.id} made of the consumer
 * group, the topic and the partition: the same on every instance. The instance that takes a partition over opens its
 * producer with {@code initTransactions()}, which aborts a transaction the previous owner left open (it was killed)
 * and fences that owner's producer: a paused or cut-off instance that wakes up can neither publish nor commit for the
 * partition any more. The offsets go with {@code new ConsumerGroupMetadata(group)} (no generation check): the fencing
 * is by {@code transactional.id}, the classic per-partition model.
 * <p>
 * The body is the result record's value (JSON), the {@link KafkaConstants#KEY} header its key; the headers
 * {@link KafkaConstants#TOPIC}, {@link KafkaConstants#PARTITION} and {@link KafkaConstants#OFFSET} name the letters
 * record. A failed transaction is aborted (its producer closed when it cannot be used again) and the exception thrown:
 * the record is then read again, and the ledger answers with the stored result.
 */
final class TransactionalResultPublisher implements Processor, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TransactionalResultPublisher.class);

    private final ScaleOutSettings settings;
    private final ConsumerGroupMetadata group;
    private final Map<TopicPartition, Producer<String, String>> producers = new ConcurrentHashMap<>();

    TransactionalResultPublisher(ScaleOutSettings settings) {
        this.settings = settings;
        this.group = new ConsumerGroupMetadata(settings.group());
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Message message = exchange.getMessage();
        TopicPartition source = new TopicPartition(
                ExchangeHelper.getMandatoryHeader(exchange, KafkaConstants.TOPIC, String.class),
                ExchangeHelper.getMandatoryHeader(exchange, KafkaConstants.PARTITION, Integer.class));
        long offset = ExchangeHelper.getMandatoryHeader(exchange, KafkaConstants.OFFSET, Long.class);
        ProducerRecord<String, String> result = new ProducerRecord<>(settings.resultsTopic(),
                message.getHeader(KafkaConstants.KEY, String.class), message.getMandatoryBody(String.class));
        Producer<String, String> producer = producers.computeIfAbsent(source, this::open);
        // one consumer thread owns a partition at a time; the lock keeps a hand-over inside the instance in order
        synchronized (producer) {
            try {
                producer.beginTransaction();
                producer.send(result);
                producer.sendOffsetsToTransaction(Map.of(source, new OffsetAndMetadata(offset + 1)), group);
                commit(producer);
            } catch (KafkaException e) {
                abort(source, offset, producer, e);
                throw e;
            }
        }
    }

    /**
     * Commits; a commit that timed out is retried once, as Kafka allows (it resumes, it does not commit twice). A
     * commit whose outcome is still unknown after that is aborted if it can be; if the broker completes it anyway, the
     * record read again publishes its stored result a second time: the one case not exactly once.
     */
    private static void commit(Producer<String, String> producer) {
        try {
            producer.commitTransaction();
        } catch (TimeoutException e) {
            producer.commitTransaction();
        }
    }

    private void abort(TopicPartition source, long offset, Producer<String, String> producer, KafkaException cause) {
        LOG.warn("Result of {} offset {} not published ({}: {}): the record will be read again", source, offset,
                cause.getClass().getSimpleName(), cause.getMessage());
        try {
            producer.abortTransaction();
        } catch (KafkaException e) {
            // fenced (another instance owns the partition now) or broken: this producer is done
            producers.remove(source, producer);
            producer.close(Duration.ZERO);
        }
    }

    private Producer<String, String> open(TopicPartition source) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.brokers());
        props.put(ProducerConfig.CLIENT_ID_CONFIG, settings.instance() + "-results-" + source.partition());
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                settings.group() + "-" + source.topic() + "-" + source.partition());
        props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        // a transaction lasts one send and one offset commit; one left open by a killed instance is aborted by the
        // partition's next owner at once, or by the broker after this long
        props.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "15000");
        KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(),
                new StringSerializer());
        try {
            producer.initTransactions();
        } catch (KafkaException e) {
            producer.close(Duration.ZERO);
            throw e;
        }
        LOG.debug("Instance {}: transactional producer for {} ready", settings.instance(), source);
        return producer;
    }

    /** Closes the producers; called once the routes have stopped, so no transaction is open. */
    @Override
    public void close() {
        producers.values().forEach(p -> {
            try {
                p.close(Duration.ofSeconds(10));
            } catch (KafkaException e) {
                LOG.debug("Producer did not close cleanly: {}", e.toString());
            }
        });
        producers.clear();
    }
}
