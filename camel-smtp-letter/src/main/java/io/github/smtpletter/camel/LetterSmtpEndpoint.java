package io.github.smtpletter.camel;

import java.time.Duration;

import io.github.smtpletter.camel.ledger.LetterLedger;
import io.github.smtpletter.camel.ledger.UnknownPolicy;
import io.github.smtpletter.smtp.SmtpClient;
import io.github.smtpletter.smtp.SmtpConnectionParameters;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Expression;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.util.ObjectHelper;

/**
 * Sends letters over SMTP: the body becomes one or more letters (through the endpoint's binding, which applies the
 * endpoint's addressing options for what the body and its headers lack), and the output body is a list of send
 * results, one per letter, in order.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "letter-smtp", title = "Letter SMTP", syntax = "letter-smtp:host:port",
             producerOnly = true, category = { Category.MAIL }, headersClass = LetterSmtpConstants.class)
public class LetterSmtpEndpoint extends DefaultEndpoint {

    @UriParam
    private LetterSmtpConfiguration configuration;

    private volatile SmtpConnectionParameters connectionParameters;
    private volatile LetterSmtpBinding binding;
    private volatile UnknownPolicy unknownPolicy = UnknownPolicy.REPORT;
    private volatile LedgerGate ledgerGate;

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

    /**
     * Builds the connection parameters and the binding from the current options, so that bad settings fail the
     * route's start.
     */
    @Override
    protected void doStart() throws Exception {
        super.doStart();
        connectionParameters = ConnectionParametersFactory.create(configuration, getCamelContext());
        binding = new LetterSmtpBinding(configuration);
        unknownPolicy = UnknownPolicy.of(configuration.getUnknownPolicy());
        ledgerGate = createLedgerGate();
    }

    private LedgerGate createLedgerGate() {
        LetterLedger ledger = configuration.getLedger();
        String keyText = configuration.getLedgerKey();
        if (ledger == null) {
            if (ObjectHelper.isNotEmpty(keyText)) {
                throw new IllegalArgumentException("letter-smtp: ledgerKey is set but no ledger: set ledger=#bean too");
            }
            return null;
        }
        if (configuration.getLedgerLease() <= 0) {
            throw new IllegalArgumentException("letter-smtp: invalid ledgerLease " + configuration.getLedgerLease()
                                               + " ms: it must be positive");
        }
        Expression key = null;
        if (ObjectHelper.isNotEmpty(keyText)) {
            key = getCamelContext().resolveLanguage("simple").createExpression(keyText);
            key.init(getCamelContext());
        }
        return new LedgerGate(ledger, key, keyText, Duration.ofMillis(configuration.getLedgerLease()), unknownPolicy);
    }

    /** The unknownPolicy of this endpoint, read when it started. */
    UnknownPolicy unknownPolicy() {
        return unknownPolicy;
    }

    /** What the producer asks the ledger around a send; {@code null} when the endpoint has no ledger. */
    LedgerGate ledgerGate() {
        return ledgerGate;
    }

    /** The connection parameters of this endpoint, built from its options when it started. */
    SmtpConnectionParameters connectionParameters() {
        return connectionParameters;
    }

    /** How this endpoint makes letters of a body, built from its options when it started. */
    LetterSmtpBinding binding() {
        return binding;
    }

    /** The SMTP client (and its pools) used by this endpoint. */
    SmtpClient client() {
        return getComponent().client();
    }

    /** {@code host:port} of this endpoint's server (an IPv6 literal in brackets), for logs and the health check. */
    String server() {
        SmtpConnectionParameters p = connectionParameters;
        if (p != null) {
            return LetterSmtpProducerHealthCheck.server(p);
        }
        return configuration.getHost() + ":" + configuration.getPort();
    }

    /**
     * The id of the health check of this endpoint's producers, {@code producer:letter-smtp-HOST:PORT-ENDPOINTID}: the
     * server for people, Camel's id of this endpoint to tell endpoints to one server apart.
     */
    String healthCheckId() {
        return "producer:letter-smtp-" + server() + "-" + getId();
    }

    public LetterSmtpConfiguration getConfiguration() {
        return configuration;
    }

    /** The endpoint's options. */
    public void setConfiguration(LetterSmtpConfiguration configuration) {
        this.configuration = configuration;
    }
}
