package io.github.smtpletter.camel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.github.smtpletter.letter.InvalidLetterException;
import io.github.smtpletter.letter.Letter;
import io.github.smtpletter.smtp.SendResult;
import io.github.smtpletter.smtp.SendStatus;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.NoTypeConversionAvailableException;
import org.apache.camel.TypeConversionException;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.WritableHealthCheckRepository;
import org.apache.camel.support.DefaultProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the body into letters, sends them through the endpoint's pooled SMTP client and sets the results as the
 * output body. Thread-safe: one producer serves concurrent exchanges.
 * <p>
 * A letter that cannot be built (bad address, CR/LF in a header ...) gets a REJECTED result naming the field, and
 * the other letters of the exchange still go. On redelivery of the same exchange only letters whose earlier result
 * was FAILED (nothing handed over, safe to retry) are sent again; sent, rejected and unknown ones keep their result.
 */
public class LetterSmtpProducer extends DefaultProducer {

    private static final Logger LOG = LoggerFactory.getLogger(LetterSmtpProducer.class);

    private WritableHealthCheckRepository healthCheckRepository;
    private LetterSmtpProducerHealthCheck healthCheck;

    public LetterSmtpProducer(LetterSmtpEndpoint endpoint) {
        super(endpoint);
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        // health checks are optional: the repository exists only when the CamelContext has health checks
        healthCheckRepository = HealthCheckHelper.getHealthCheckRepository(getEndpoint().getCamelContext(),
                "producers", WritableHealthCheckRepository.class);
        if (healthCheckRepository != null) {
            String id = getEndpoint().getComponent().acquireHealthCheckId("producer:letter-smtp-" + server());
            healthCheck = new LetterSmtpProducerHealthCheck(getEndpoint(), id);
            healthCheck.setEnabled(getEndpoint().getComponent().isHealthCheckProducerEnabled());
            healthCheckRepository.addHealthCheck(healthCheck);
        }
    }

    @Override
    protected void doStop() throws Exception {
        if (healthCheckRepository != null && healthCheck != null) {
            healthCheckRepository.removeHealthCheck(healthCheck);
            getEndpoint().getComponent().releaseHealthCheckId(healthCheck.getId());
            healthCheck = null;
        }
        super.doStop();
    }

    /** {@code host:port} of the endpoint's server, for logs and the health check id. */
    private String server() {
        try {
            return LetterSmtpProducerHealthCheck.server(getEndpoint().connectionParameters());
        } catch (RuntimeException e) { // settings that cannot make parameters fail the send, with the reason
            LetterSmtpConfiguration c = getEndpoint().getConfiguration();
            return c.getHost() + ":" + c.getPort();
        }
    }

    /** The health check of this producer, {@code null} unless the CamelContext has health checks. */
    public LetterSmtpProducerHealthCheck getHealthCheck() {
        return healthCheck;
    }

    @Override
    public LetterSmtpEndpoint getEndpoint() {
        return (LetterSmtpEndpoint) super.getEndpoint();
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Message in = exchange.getIn();
        State state = exchange.getProperty(LetterSmtpConstants.PROPERTY_STATE, State.class);
        if (state == null || state.endpoint != getEndpoint() || state.results != in.getBody()) {
            state = new State(getEndpoint(), convert(exchange));
        }

        List<Integer> owed = new ArrayList<>();
        List<Letter> toSend = new ArrayList<>();
        for (int i = 0; i < state.letters.length; i++) {
            if (state.letters[i] != null && (state.previous[i] == null
                                             || state.previous[i].status() == SendStatus.FAILED)) {
                owed.add(i);
                toSend.add(state.letters[i]);
            }
        }
        if (!toSend.isEmpty()) {
            List<SendResult> sent = getEndpoint().client().send(getEndpoint().connectionParameters(), toSend);
            for (int k = 0; k < owed.size(); k++) {
                state.previous[owed.get(k)] = sent.get(k);
            }
        } else if (state.letters.length > 0 && state.results != null) {
            LOG.debug("Exchange {}: nothing owed on redelivery; keeping earlier results", exchange.getExchangeId());
        }

        SendResults results = new SendResults(Arrays.asList(state.previous));
        state.results = results;
        exchange.setProperty(LetterSmtpConstants.PROPERTY_STATE, state);

        Message out = exchange.getMessage();
        out.setBody(results);
        out.setHeader(LetterSmtpConstants.LETTER_COUNT, results.size());
        out.setHeader(LetterSmtpConstants.SENT_COUNT, results.sentCount());
        out.setHeader(LetterSmtpConstants.NOT_SENT_COUNT, results.notSentCount());
        if (LOG.isDebugEnabled()) {
            String server = server();
            for (SendResult r : results) {
                LOG.debug("{}", describe(r, server));
            }
        }
        if (getEndpoint().getConfiguration().isFailOnNotSent() && !results.allSent()) {
            exchange.setException(new LetterSendException(exchange, results));
        }
    }

    /**
     * The one DEBUG line logged per letter: status, Message-ID, server and the server's reply (or why there was
     * none). Carries nothing secret: no credentials, no addresses beyond refused recipients named by the server.
     */
    static String describe(SendResult r, String server) {
        StringBuilder sb = new StringBuilder("letter ").append(r.status()).append(' ')
                .append(r.messageId() == null ? "(invalid letter)" : "<" + r.messageId() + ">")
                .append(" via ").append(server);
        if (r.serverReply() != null) {
            sb.append(": ").append(r.serverReply().toString().replace('\n', ' '));
        }
        if (r.error() != null) {
            sb.append(r.serverReply() != null ? " (" : ": ").append(r.error().replace('\n', ' '))
                    .append(r.serverReply() != null ? ")" : "");
        }
        return sb.toString();
    }

    /**
     * Converts the body into letters. In a collection, an element that cannot become a letter gets a REJECTED result
     * naming the field and the others still go; a single body that cannot become a letter fails the exchange.
     */
    private Converted convert(Exchange exchange) {
        Object body = exchange.getIn().getBody();
        if (body == null) {
            throw new InvalidLetterException("body", "the message body is null; expected a Letter, String, Map,"
                                                     + " MimeMessage, MailMessage, RFC 5322 bytes or a collection");
        }
        Object previousDefaults = exchange.getProperty(LetterSmtpConstants.PROPERTY_DEFAULTS);
        exchange.setProperty(LetterSmtpConstants.PROPERTY_DEFAULTS,
                getEndpoint().getConfiguration().letterDefaults());
        try {
            boolean many = body instanceof Iterable<?> || body instanceof Object[];
            List<Object> elements = LetterConverters.toLetters(body, exchange);
            Letter[] letters = new Letter[elements.size()];
            SendResult[] results = new SendResult[elements.size()];
            for (int i = 0; i < letters.length; i++) {
                try {
                    letters[i] = toLetter(elements.get(i), exchange);
                } catch (InvalidLetterException ex) {
                    if (!many) {
                        throw ex;
                    }
                    results[i] = SendResult.rejected(null, ex.getMessage());
                }
            }
            return new Converted(letters, results);
        } finally {
            if (previousDefaults == null) {
                exchange.removeProperty(LetterSmtpConstants.PROPERTY_DEFAULTS);
            } else {
                exchange.setProperty(LetterSmtpConstants.PROPERTY_DEFAULTS, previousDefaults);
            }
        }
    }

    private static Letter toLetter(Object element, Exchange exchange) {
        if (element instanceof Letter l) {
            return l;
        }
        if (element == null) {
            throw new InvalidLetterException("body", "a null element cannot become a letter");
        }
        try {
            Letter letter = exchange.getContext().getTypeConverter().mandatoryConvertTo(Letter.class, exchange,
                    element);
            return letter;
        } catch (NoTypeConversionAvailableException e) {
            throw new InvalidLetterException("body", "cannot make a letter from a body of type "
                                                     + element.getClass().getName()
                                                     + "; supported: Letter, String, Map, MimeMessage, MailMessage,"
                                                     + " byte[] or InputStream (RFC 5322), or a collection of these");
        } catch (TypeConversionException e) {
            Throwable cause = e.getCause();
            while (cause != null) {
                if (cause instanceof InvalidLetterException ile) {
                    throw ile;
                }
                cause = cause.getCause();
            }
            throw new InvalidLetterException("body", "cannot make a letter from a body of type "
                                                     + element.getClass().getName() + ": "
                                                     + (e.getCause() != null ? e.getCause().getMessage()
                                                                             : e.getMessage()));
        }
    }

    private record Converted(Letter[] letters, SendResult[] results) {
    }

    /** What the producer remembers on the exchange, so that redelivery sends only what is still owed. */
    static final class State {
        final LetterSmtpEndpoint endpoint;
        final Letter[] letters;
        final SendResult[] previous;
        volatile SendResults results;

        State(LetterSmtpEndpoint endpoint, Converted converted) {
            this.endpoint = endpoint;
            this.letters = converted.letters();
            this.previous = converted.results();
        }
    }
}
