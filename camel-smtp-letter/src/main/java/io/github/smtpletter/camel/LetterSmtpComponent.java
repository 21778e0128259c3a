package io.github.smtpletter.camel;

import java.util.Map;

import io.github.smtpletter.smtp.SmtpClient;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.SSLContextParametersAware;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.HealthCheckComponent;
import org.apache.camel.util.ObjectHelper;

/**
 * The {@code letter-smtp} component: sends letters over SMTP and puts one send result per letter on the exchange.
 * <p>
 * Options set on the component (from {@code application.properties} as {@code camel.component.letter-smtp.*}) are
 * the defaults of every endpoint. One {@link SmtpClient} (one connection pool per set of connection parameters) is
 * shared by the component's endpoints and closed, with QUIT on every pooled connection, when the component stops.
 */
@Component("letter-smtp")
public class LetterSmtpComponent extends HealthCheckComponent implements SSLContextParametersAware {

    @Metadata(description = "Component-wide defaults of the endpoint options.")
    private LetterSmtpConfiguration configuration = new LetterSmtpConfiguration();
    @Metadata(label = "security", defaultValue = "false",
              description = "Use the global SSLContextParameters of the CamelContext when no sslContextParameters"
                            + " option is set.")
    private boolean useGlobalSslContextParameters;

    private volatile SmtpClient client;

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

    /** The client shared by this component's endpoints (created on first use). */
    SmtpClient client() {
        SmtpClient c = client;
        if (c == null) {
            synchronized (this) {
                c = client;
                if (c == null) {
                    if (isStoppingOrStopped()) {
                        throw new IllegalStateException("letter-smtp: the component is stopped; nothing is sent");
                    }
                    c = new SmtpClient();
                    client = c;
                }
            }
        }
        return c;
    }

    @Override
    protected void doStop() throws Exception {
        SmtpClient c;
        synchronized (this) {
            c = client;
            client = null;
        }
        if (c != null) {
            c.close();
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

    /** Use the global SSLContextParameters when the endpoint sets none. */
    @Override
    public void setUseGlobalSslContextParameters(boolean useGlobalSslContextParameters) {
        this.useGlobalSslContextParameters = useGlobalSslContextParameters;
    }
}
