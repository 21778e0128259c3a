package io.github.smtpletter.camel;

import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;

import io.github.smtpletter.smtp.SmtpClient;
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
 */
@Component("letter-smtp")
public class LetterSmtpComponent extends HealthCheckComponent implements SSLContextParametersAware {

    @Metadata
    private LetterSmtpConfiguration configuration = new LetterSmtpConfiguration();
    @Metadata(label = "security", defaultValue = "false")
    private boolean useGlobalSslContextParameters;

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
        client = new SmtpClient(senders, timer);
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
