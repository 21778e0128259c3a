package io.github.smtpletter.camel;

import java.time.Duration;

import io.github.smtpletter.camel.ledger.LetterLedger;
import io.github.smtpletter.camel.ledger.UnknownPolicy;
import io.github.smtpletter.smtp.SendStatus;
import io.github.smtpletter.smtp.SmtpClient;
import io.github.smtpletter.smtp.SmtpConnectionParameters;
import io.github.smtpletter.smtp.SmtpStatistics;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Expression;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.api.management.ManagedOperation;
import org.apache.camel.api.management.ManagedResource;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.util.ObjectHelper;

/**
 * Sends letters over SMTP: the body becomes one or more letters (through the endpoint's binding, which applies the
 * endpoint's addressing options for what the body and its headers lack), and the output body is a list of send
 * results, one per letter, in order.
 * <p>
 * With JMX on, the endpoint's MBean shows what the component has done with this endpoint's server (figures are per
 * server, shared by the endpoints to it) and can close its idle connections.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "letter-smtp", title = "Letter SMTP", syntax = "letter-smtp:host:port",
             producerOnly = true, category = { Category.MAIL }, headersClass = LetterSmtpConstants.class)
@ManagedResource(description = "Letter SMTP endpoint: letters, recipients, bytes and pooled connections of its server")
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
        statistics(); // known from the start: its meters appear before the first letter
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

    /** This endpoint's server in the component's statistics; {@code null} before the endpoint started. */
    SmtpStatistics.Server statistics() {
        SmtpConnectionParameters p = connectionParameters;
        SmtpStatistics all = getComponent().getStatistics();
        return p == null || all == null ? null : all.server(p.server().address());
    }

    private long letters(SendStatus status) {
        SmtpStatistics.Server s = statistics();
        return s == null ? 0 : s.letters(status);
    }

    private SmtpStatistics.Pool pool() {
        SmtpStatistics.Server s = statistics();
        return s == null ? new SmtpStatistics.Pool(0, 0, 0, 0) : s.pool();
    }

    @ManagedAttribute(description = "The server, host:port")
    public String getServer() {
        return server();
    }

    @ManagedAttribute(description = "Letters sent to every recipient")
    public long getLettersSent() {
        return letters(SendStatus.SENT);
    }

    @ManagedAttribute(description = "Letters sent to some recipients, refused for others")
    public long getLettersPartiallySent() {
        return letters(SendStatus.PARTIALLY_SENT);
    }

    @ManagedAttribute(description = "Letters refused permanently")
    public long getLettersRejected() {
        return letters(SendStatus.REJECTED);
    }

    @ManagedAttribute(description = "Letters not handed over")
    public long getLettersFailed() {
        return letters(SendStatus.FAILED);
    }

    @ManagedAttribute(description = "Letters whose fate is unknown (connection lost after the end of data)")
    public long getLettersUnknown() {
        return letters(SendStatus.UNKNOWN);
    }

    @ManagedAttribute(description = "Recipients the server accepted")
    public long getAcceptedRecipients() {
        SmtpStatistics.Server s = statistics();
        return s == null ? 0 : s.acceptedRecipients();
    }

    @ManagedAttribute(description = "Recipients the server refused")
    public long getRejectedRecipients() {
        SmtpStatistics.Server s = statistics();
        return s == null ? 0 : s.rejectedRecipients();
    }

    @ManagedAttribute(description = "Bytes written to the server while sending letters")
    public long getBytesSent() {
        SmtpStatistics.Server s = statistics();
        return s == null ? 0 : s.bytesSent();
    }

    @ManagedAttribute(description = "Connections for sending that failed at AUTH")
    public long getAuthFailures() {
        SmtpStatistics.Server s = statistics();
        return s == null ? 0 : s.authFailures();
    }

    @ManagedAttribute(description = "Mean time per letter in milliseconds")
    public double getMeanLetterTimeMillis() {
        SmtpStatistics.Server s = statistics();
        return s == null || s.timedLetters() == 0 ? 0 : s.sendingTime().toNanos() / 1e6 / s.timedLetters();
    }

    @ManagedAttribute(description = "Pooled connections open (idle and leased)")
    public int getOpenConnections() {
        return pool().open();
    }

    @ManagedAttribute(description = "Pooled connections idle")
    public int getIdleConnections() {
        return pool().idle();
    }

    @ManagedAttribute(description = "Pooled connections sending now")
    public int getLeasedConnections() {
        return pool().leased();
    }

    @ManagedAttribute(description = "Callers waiting for a connection")
    public int getWaitingCallers() {
        return pool().waiting();
    }

    @ManagedAttribute(description = "The last letters to this server not sent to every recipient, newest first")
    public String[] getLastErrors() {
        SmtpStatistics.Server s = statistics();
        return s == null ? new String[0]
                : getComponent().getStatistics().lastErrors().stream().filter(e -> e.server().equals(s.address()))
                        .map(LetterSmtpDevConsole::line).toArray(String[]::new);
    }

    @ManagedOperation(description = "Closes (QUIT) the idle pooled connections of this endpoint; returns how many")
    public int closeIdleConnections() {
        SmtpConnectionParameters p = connectionParameters;
        return p == null || !getComponent().isStarted() ? 0 : client().closeIdleConnections(p);
    }

    public LetterSmtpConfiguration getConfiguration() {
        return configuration;
    }

    /** The endpoint's options. */
    public void setConfiguration(LetterSmtpConfiguration configuration) {
        this.configuration = configuration;
    }
}
