package io.github.smtpletter.examples.kafkascaleout;

import java.time.Duration;
import java.util.List;
import java.util.Properties;

/**
 * The settings of one instance of the scale-out app, read from properties named {@code scaleout.*} (system
 * properties when run from {@link ScaleOutApplication#main(String[])}). Every instance of a deployment uses the same
 * settings except {@code scaleout.instance}.
 *
 * <pre>
 * scaleout.kafka.brokers        Kafka bootstrap servers (required)
 * scaleout.letters.topic        topic of JSON letters, keyed by Message-ID (letters)
 * scaleout.results.topic        topic of results, one per letter, keyed by Message-ID (letter-results)
 * scaleout.group                consumer group shared by the instances (letter-senders)
 * scaleout.instance             this instance's name, written into each result (host name)
 * scaleout.consumers           Kafka consumers (threads) per instance, each taking letters one at a time (2)
 * scaleout.session.timeout.ms   consumer session timeout: how soon a survivor takes over a dead instance (6000)
 * scaleout.smtp.host            SMTP server (localhost)
 * scaleout.smtp.port            SMTP port (25)
 * scaleout.jdbc.url             JDBC URL of the ledger's database; without it the app runs without a ledger
 * scaleout.jdbc.user            database user
 * scaleout.jdbc.password        database password (never printed); else the environment variable
 *                               SCALEOUT_JDBC_PASSWORD, which keeps it off the command line
 * scaleout.ledger.lease.ms      how long a claim may stay open before the ledger calls it UNKNOWN (30000)
 * scaleout.retry.delay.ms       first delay before a FAILED letter is tried again, doubled each time (500)
 * scaleout.retry.max.delay.ms   longest delay between two tries (5000)
 * scaleout.give.up.ms           after this long since its first try a FAILED letter gets a final FAILED result (60000)
 * </pre>
 */
public final class ScaleOutSettings {

    private final Properties properties;

    private ScaleOutSettings(Properties properties) {
        this.properties = properties;
    }

    /**
     * Reads the settings from the given properties (only the {@code scaleout.*} names are looked at).
     *
     * @param  properties the source, e.g. {@link System#getProperties()}
     * @return            the settings
     */
    public static ScaleOutSettings from(Properties properties) {
        Properties copy = new Properties();
        for (String name : properties.stringPropertyNames()) {
            if (name.startsWith("scaleout.")) {
                copy.setProperty(name, properties.getProperty(name));
            }
        }
        ScaleOutSettings settings = new ScaleOutSettings(copy);
        settings.brokers();
        return settings;
    }

    /**
     * A copy of these settings with one value replaced.
     *
     * @param  name  the full property name, e.g. {@code scaleout.instance}
     * @param  value the new value
     * @return       the copy
     */
    public ScaleOutSettings with(String name, Object value) {
        Properties copy = new Properties();
        copy.putAll(properties);
        copy.setProperty(name, String.valueOf(value));
        return new ScaleOutSettings(copy);
    }

    /** @return the settings as {@code -Dname=value} JVM arguments, for launching an instance in a JVM of its own */
    public List<String> asJvmArguments() {
        return properties.stringPropertyNames().stream().sorted()
                .map(name -> "-D" + name + "=" + properties.getProperty(name)).toList();
    }

    public String brokers() {
        String brokers = properties.getProperty("scaleout.kafka.brokers");
        if (brokers == null || brokers.isBlank()) {
            throw new IllegalArgumentException("scaleout.kafka.brokers: required, the Kafka bootstrap servers");
        }
        return brokers;
    }

    public String lettersTopic() {
        return text("scaleout.letters.topic", "letters");
    }

    public String resultsTopic() {
        return text("scaleout.results.topic", "letter-results");
    }

    public String group() {
        return text("scaleout.group", "letter-senders");
    }

    public String instance() {
        return text("scaleout.instance", "instance-" + ProcessHandle.current().pid());
    }

    public int consumers() {
        return (int) Math.max(1, number("scaleout.consumers", 2));
    }

    public Duration sessionTimeout() {
        return millis("scaleout.session.timeout.ms", 6_000);
    }

    public String smtpHost() {
        return text("scaleout.smtp.host", "localhost");
    }

    public int smtpPort() {
        return (int) number("scaleout.smtp.port", 25);
    }

    /** @return the ledger database's JDBC URL, or null to run without a ledger */
    public String jdbcUrl() {
        String url = properties.getProperty("scaleout.jdbc.url");
        return url == null || url.isBlank() ? null : url;
    }

    public String jdbcUser() {
        return properties.getProperty("scaleout.jdbc.user");
    }

    String jdbcPassword() {
        String password = properties.getProperty("scaleout.jdbc.password");
        return password != null ? password : System.getenv("SCALEOUT_JDBC_PASSWORD");
    }

    public Duration ledgerLease() {
        return millis("scaleout.ledger.lease.ms", 30_000);
    }

    public Duration retryDelay() {
        return millis("scaleout.retry.delay.ms", 500);
    }

    public Duration retryMaxDelay() {
        return millis("scaleout.retry.max.delay.ms", 5_000);
    }

    public Duration giveUp() {
        return millis("scaleout.give.up.ms", 60_000);
    }

    private String text(String name, String fallback) {
        String value = properties.getProperty(name);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    private Duration millis(String name, long fallback) {
        return Duration.ofMillis(number(name, fallback));
    }

    private long number(String name, long fallback) {
        String value = properties.getProperty(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            long parsed = Long.parseLong(value.trim());
            if (parsed < 0) {
                throw new IllegalArgumentException(name + ": must not be negative, got " + quote(value.trim()));
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + ": not a whole number: " + quote(value.trim()), e);
        }
    }

    /** The value in double quotes, control characters escaped, cut at 80 characters. */
    private static String quote(String value) {
        StringBuilder sb = new StringBuilder("\"");
        value.codePoints().limit(80).forEach(c -> {
            if (Character.isISOControl(c) || c == '"' || c == '\\') {
                sb.append(String.format("\\u%04x", c));
            } else {
                sb.appendCodePoint(c);
            }
        });
        return sb.append(value.length() > 80 ? "...\"" : "\"").toString();
    }
}
