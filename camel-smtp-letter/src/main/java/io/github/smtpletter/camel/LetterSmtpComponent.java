package io.github.smtpletter.camel;

import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;

import io.github.smtpletter.smtp.SmtpClient;
import io.github.smtpletter.smtp.SmtpStatistics;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.SSLContextParametersAware;
import org.apache.camel.spi.ExecutorServiceManager;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.HealthCheckComponent;
import org.apache.camel.util.ObjectHelper;

/**
 * The {@code letter-smtp} component: sends letters over SMTP and puts one send result per letter on the exchange.
 * <p>
 * Options set on the component (from {@code application.properties} as {@code camel.component.letter-smtp.*}) are
 * the defaults of every endpoint. One {@link SmtpClient} (one connection pool per set of connection parameters) is
 * shared by the component's endpoints: created when the component starts, on threads from the CamelContext's
 * {@link ExecutorServiceManager}, and closed, with QUIT on every pooled connection, when the component stops.
 * <p>
 * What the client does is counted in the component's {@link SmtpStatistics}, kept across restarts: shown by the
 * endpoints' JMX attributes, the {@code letter-smtp} dev console and, with Micrometer, {@link LetterSmtpMeterBinder}
 * (bound when the component starts if a {@code MeterRegistry} is in the Camel registry).
 */
@Component("letter-smtp")
public class LetterSmtpComponent extends HealthCheckComponent implements SSLContextParametersAware {

    /** Micrometer's registry type, looked up by name so that the component works without Micrometer. */
    private static final String METER_REGISTRY = "io.micrometer.core.instrument.MeterRegistry";

    @Metadata
    private LetterSmtpConfiguration configuration = new LetterSmtpConfiguration();
    @Metadata(label = "security", defaultValue = "false")
    private boolean useGlobalSslContextParameters;
    @Metadata(label = "advanced", autowired = true)
    private SmtpStatistics statistics;

    private boolean metersBound;

    private volatile SmtpClient client;
    private ExecutorService senders;
    private ScheduledExecutorService timer;

    public LetterSmtpComponent() {
    }

    public LetterSmtpComponent(CamelContext context) {
        super(context);
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        LetterSmtpConfiguration config = configuration.copy();
        parseHostAndPort(remaining, config);
        LetterSmtpEndpoint endpoint = new LetterSmtpEndpoint(uri, this, config);
        setProperties(endpoint, parameters);
        if (config.getSslContextParameters() == null && useGlobalSslContextParameters) {
            config.setSslContextParameters(retrieveGlobalSslContextParameters());
        }
        return endpoint;
    }

    static void parseHostAndPort(String remaining, LetterSmtpConfiguration config) {
        if (ObjectHelper.isEmpty(remaining)) {
            return; // host may come from connectionParameters; checked when the endpoint starts
        }
        // Camel has already taken the scheme, a leading "//" and the query off: remaining is host[:port]
        String rest = remaining;
        String host = rest;
        String port = null;
        if (rest.startsWith("[")) { // [IPv6]:port
            int close = rest.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("letter-smtp: invalid host '" + rest + "': missing ']'");
            }
            host = rest.substring(1, close);
            if (rest.length() > close + 1) {
                if (rest.charAt(close + 1) != ':') {
                    throw new IllegalArgumentException("letter-smtp: invalid host '" + rest
                                                       + "': expected [address] or [address]:port");
                }
                port = rest.substring(close + 2);
            }
        } else {
            int colon = rest.lastIndexOf(':');
            if (colon >= 0 && rest.indexOf(':') == colon) {
                host = rest.substring(0, colon);
                port = rest.substring(colon + 1);
            }
        }
        config.setHost(host);
        if (ObjectHelper.isNotEmpty(port)) {
            try {
                if (!port.chars().allMatch(Character::isDigit)) {
                    throw new NumberFormatException();
                }
                int p = Integer.parseInt(port);
                if (p < 0 || p > 65535) {
                    throw new NumberFormatException();
                }
                config.setPort(p);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("letter-smtp: invalid port '" + port + "' in '" + remaining
                                                   + "': expected a number from 0 to 65535");
            }
        }
    }

    /**
     * The client shared by this component's endpoints.
     *
     * @throws IllegalStateException when the component is not started
     */
    SmtpClient client() {
        SmtpClient c = client;
        if (c == null) {
            throw new IllegalStateException("letter-smtp: the component is not started (or stopped); nothing is sent");
        }
        return c;
    }

    /** Creates the client, with a sender thread pool and a timer thread from the CamelContext. */
    @Override
    protected void doStart() throws Exception {
        super.doStart();
        ExecutorServiceManager threads = getCamelContext().getExecutorServiceManager();
        senders = threads.newCachedThreadPool(this, "LetterSmtpSender");
        timer = threads.newSingleThreadScheduledExecutor(this, "LetterSmtpTimer");
        if (statistics == null) {
            statistics = new SmtpStatistics();
        }
        client = new SmtpClient(senders, timer, statistics);
        if (!metersBound && getCamelContext().getClassResolver().resolveClass(METER_REGISTRY) != null) {
            metersBound = LetterSmtpMeterBinder.bindToRegistryOf(getCamelContext(), statistics);
        }
    }

    /** Closes the client (QUIT on pooled connections), then lets its parallel sends finish and stops the threads. */
    @Override
    protected void doStop() throws Exception {
        SmtpClient c = client;
        client = null;
        if (c != null) {
            c.close();
        }
        ExecutorServiceManager threads = getCamelContext().getExecutorServiceManager();
        if (senders != null) {
            threads.shutdownGraceful(senders);
            senders = null;
        }
        if (timer != null) {
            threads.shutdownNow(timer); // after the senders: the write watchdog bounds their last writes
            timer = null;
        }
        super.doStop();
    }

    public LetterSmtpConfiguration getConfiguration() {
        return configuration;
    }

    /** Component-wide defaults of the endpoint options. */
    public void setConfiguration(LetterSmtpConfiguration configuration) {
        this.configuration = configuration;
    }

    public SmtpStatistics getStatistics() {
        return statistics;
    }

    /**
     * Where the component counts letters, recipients, bytes and AUTH failures per server, and shows its connection
     * pools (for metrics, JMX and the dev console). Created when the component starts unless a single SmtpStatistics
     * bean is in the registry (autowired) or one is set here.
     */
    public void setStatistics(SmtpStatistics statistics) {
        this.statistics = statistics;
    }

    @Override
    public boolean isUseGlobalSslContextParameters() {
        return useGlobalSslContextParameters;
    }

    /** Use the global SSLContextParameters of the CamelContext when no sslContextParameters option is set. */
    @Override
    public void setUseGlobalSslContextParameters(boolean useGlobalSslContextParameters) {
        this.useGlobalSslContextParameters = useGlobalSslContextParameters;
    }
}
