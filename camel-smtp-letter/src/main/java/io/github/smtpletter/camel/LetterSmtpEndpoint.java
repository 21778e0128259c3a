package io.github.smtpletter.camel;

import io.github.smtpletter.smtp.SmtpClient;
import io.github.smtpletter.smtp.SmtpConnectionParameters;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.util.ObjectHelper;

/**
 * Sends letters over SMTP: the body becomes one or more letters (through the type converters), and the output body
 * is a list of send results, one per letter, in order.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "letter-smtp", title = "Letter SMTP", syntax = "letter-smtp:host:port",
             producerOnly = true, category = { Category.MAIL }, headersClass = LetterSmtpConstants.class)
public class LetterSmtpEndpoint extends DefaultEndpoint {

    @UriParam
    private LetterSmtpConfiguration configuration;

    private volatile SmtpConnectionParameters connectionParameters;

    public LetterSmtpEndpoint(String uri, LetterSmtpComponent component, LetterSmtpConfiguration configuration) {
        super(uri, component);
        this.configuration = configuration;
    }

    @Override
    public LetterSmtpComponent getComponent() {
        return (LetterSmtpComponent) super.getComponent();
    }

    @Override
    public Producer createProducer() throws Exception {
        return new LetterSmtpProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        throw new UnsupportedOperationException("letter-smtp: is a producer only; it cannot consume (from) letters");
    }

    @Override
    protected void doInit() throws Exception {
        super.doInit();
        if (configuration.getConnectionParameters() == null && ObjectHelper.isEmpty(configuration.getHost())) {
            throw new IllegalArgumentException("letter-smtp: the host is required (letter-smtp:host[:port]), or set"
                                               + " connectionParameters=#bean");
        }
    }

    /** Builds the connection parameters from the current options, so that bad settings fail the route's start. */
    @Override
    protected void doStart() throws Exception {
        super.doStart();
        synchronized (this) {
            connectionParameters = null;
        }
        connectionParameters();
    }

    /** The connection parameters of this endpoint, built from its options when it starts. */
    public SmtpConnectionParameters connectionParameters() {
        SmtpConnectionParameters p = connectionParameters;
        if (p == null) {
            synchronized (this) {
                p = connectionParameters;
                if (p == null) {
                    p = configuration.toConnectionParameters(getCamelContext());
                    connectionParameters = p;
                }
            }
        }
        return p;
    }

    /** The SMTP client (and its pools) used by this endpoint. */
    public SmtpClient client() {
        return getComponent().client();
    }

    public LetterSmtpConfiguration getConfiguration() {
        return configuration;
    }

    /** The endpoint's options. */
    public void setConfiguration(LetterSmtpConfiguration configuration) {
        this.configuration = configuration;
        this.connectionParameters = null;
    }
}
