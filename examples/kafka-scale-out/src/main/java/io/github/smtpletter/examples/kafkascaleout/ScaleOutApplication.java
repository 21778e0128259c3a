package io.github.smtpletter.examples.kafkascaleout;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One instance of the scale-out app: a Camel context running {@link LetterRoutes}. Start as many as you like with the
 * same settings (only {@code scaleout.instance} differs); Kafka's consumer group spreads the partitions of the
 * letters topic over them and hands a stopped or dead instance's partitions to the others.
 */
public final class ScaleOutApplication implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ScaleOutApplication.class);

    private final ScaleOutSettings settings;
    private final CamelContext camel;
    private final HikariDataSource dataSource;
    private final TransactionalResultPublisher publisher;
    private final AtomicBoolean closed = new AtomicBoolean();

    private ScaleOutApplication(ScaleOutSettings settings, CamelContext camel, HikariDataSource dataSource,
                                TransactionalResultPublisher publisher) {
        this.settings = settings;
        this.camel = camel;
        this.dataSource = dataSource;
        this.publisher = publisher;
    }

    /**
     * Starts an instance.
     *
     * @param  settings  its settings
     * @return           the running instance; {@link #close()} stops it gracefully
     * @throws Exception when Camel cannot start
     */
    public static ScaleOutApplication start(ScaleOutSettings settings) throws Exception {
        HikariDataSource dataSource = settings.jdbcUrl() == null ? null : dataSource(settings);
        CamelContext camel = new DefaultCamelContext();
        TransactionalResultPublisher publisher = new TransactionalResultPublisher(settings);
        try {
            camel.getShutdownStrategy().setTimeout(20);
            if (dataSource != null) {
                camel.getRegistry().bind("ledger", Ledgers.jdbc(dataSource));
            }
            camel.addRoutes(new LetterRoutes(settings, dataSource != null, publisher));
            camel.start();
        } catch (Exception | Error e) {
            camel.close();
            publisher.close();
            if (dataSource != null) {
                dataSource.close();
            }
            throw e;
        }
        LOG.info("Instance {} started: {} -> SMTP {}:{} -> {} (ledger: {})", settings.instance(),
                settings.lettersTopic(), settings.smtpHost(), settings.smtpPort(), settings.resultsTopic(),
                dataSource == null ? "none" : "JDBC");
        return new ScaleOutApplication(settings, camel, dataSource, publisher);
    }

    private static HikariDataSource dataSource(ScaleOutSettings settings) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(settings.jdbcUrl());
        config.setUsername(settings.jdbcUser());
        config.setPassword(settings.jdbcPassword());
        config.setMaximumPoolSize(4);
        config.setPoolName("ledger-" + settings.instance());
        return new HikariDataSource(config);
    }

    /** @return the instance's name */
    public String instance() {
        return settings.instance();
    }

    /**
     * Stops the instance gracefully: the letter in hand is finished and its transaction (result and offset)
     * committed before the consumers leave the group; then the transactional producers are closed.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            camel.close();
        } catch (Exception e) {
            LOG.warn("Instance {} did not stop cleanly: {}", settings.instance(), e.toString());
        } finally {
            publisher.close();
            if (dataSource != null) {
                dataSource.close();
            }
        }
        LOG.info("Instance {} stopped", settings.instance());
    }

    /**
     * Runs one instance until the JVM is told to stop (Ctrl-C, SIGTERM); settings come from system properties, see
     * {@link ScaleOutSettings}.
     *
     * @param  args      not used
     * @throws Exception when the instance cannot start
     */
    public static void main(String[] args) throws Exception {
        ScaleOutApplication app = start(ScaleOutSettings.from(System.getProperties()));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.close();
            stopped.countDown();
        }, "scale-out-shutdown"));
        System.out.println("READY " + app.instance());
        while (!stopped.await(1, TimeUnit.HOURS)) {
            LOG.debug("Instance {} running", app.instance());
        }
    }
}
