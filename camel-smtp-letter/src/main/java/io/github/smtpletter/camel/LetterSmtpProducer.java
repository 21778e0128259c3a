package io.github.smtpletter.camel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.github.smtpletter.camel.ledger.LedgerClaim;
import io.github.smtpletter.camel.ledger.UnknownPolicy;
import io.github.smtpletter.letter.InvalidLetterException;
import io.github.smtpletter.letter.Letter;
import io.github.smtpletter.smtp.SendResult;
import io.github.smtpletter.smtp.SendStatus;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
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
 * the other letters of the exchange still go.
 * <p>
 * Redelivery sends only what is still owed. The producer remembers, as an exchange property, the letters it made
 * from a body and their results. When the same exchange (same exchange id) comes back to the same endpoint with the
 * same body (the very object: Camel's redelivery restores the body the failed attempt started from) or with the
 * results of the earlier attempt, and letters are owed or Camel has redelivered the exchange since, only the letters
 * whose result was FAILED (nothing handed over) are sent again; sent, partially sent, rejected and unknown ones keep
 * their results. Anything else (a new exchange, a copy of one, another body, or the same exchange sent again after
 * every letter went) is sent anew. With {@code unknownPolicy=retry}, UNKNOWN letters are sent again like FAILED ones.
 * <p>
 * With a {@code ledger}, each letter about to go is first claimed in it ({@link LedgerGate}): only letters whose
 * claim is NEW are sent, the others get their stored result (or FAILED, retryable, when another attempt holds them
 * or the ledger is unreachable; REJECTED when they have no key); after the send each claim is completed or released.
 */
public class LetterSmtpProducer extends DefaultProducer {

    /**
     * Exchange property: the letters the producer made from each body of the exchange and their latest results, so
     * that a redelivery of the same exchange sends only the letters still owed.
     */
    static final String PROPERTY_STATE = "CamelLetterSmtpState";

    private static final Logger LOG = LoggerFactory.getLogger(LetterSmtpProducer.class);

    private WritableHealthCheckRepository healthCheckRepository;
    private volatile LetterSmtpProducerHealthCheck healthCheck;

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
            healthCheck = new LetterSmtpProducerHealthCheck(getEndpoint(), getEndpoint().healthCheckId());
            healthCheck.setEnabled(getEndpoint().getComponent().isHealthCheckProducerEnabled());
            healthCheckRepository.addHealthCheck(healthCheck);
            getEndpoint().client().addConnectionFailureListener(healthCheck);
        }
    }

    @Override
    protected void doStop() throws Exception {
        if (healthCheckRepository != null && healthCheck != null) {
            healthCheckRepository.removeHealthCheck(healthCheck);
            getEndpoint().client().removeConnectionFailureListener(healthCheck);
            healthCheck = null;
        }
        super.doStop();
    }

    /** {@code host:port} of the endpoint's server, for logs. */
    private String server() {
        return getEndpoint().server();
    }

    @Override
    public LetterSmtpEndpoint getEndpoint() {
        return (LetterSmtpEndpoint) super.getEndpoint();
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Message in = exchange.getIn();
        Object body = in.getBody();
        int redeliveries = redeliveryCounter(exchange);
        Memory memory = exchange.getProperty(PROPERTY_STATE, Memory.class);
        State state = memory == null ? null : memory.find(getEndpoint(), exchange.getExchangeId(), body);
        int owed = state == null ? 0 : state.owed();
        boolean resume = state != null && (owed > 0 || redeliveries != state.redeliveries);
        if (resume) {
            LOG.debug("Exchange {} again at {} (redelivery counter {}): {} of {} letter(s) still owed; the others"
                      + " keep their earlier results", exchange.getExchangeId(), getEndpoint(), redeliveries, owed,
                    state.letters.length);
        } else {
            state = new State(getEndpoint(), exchange.getExchangeId(), body, convert(exchange),
                    getEndpoint().unknownPolicy());
            exchange.setProperty(PROPERTY_STATE, Memory.with(memory, state));
        }

        List<Integer> indexes = new ArrayList<>();
        for (int i = 0; i < state.letters.length; i++) {
            if (state.isOwed(i)) {
                indexes.add(i);
            }
        }
        LedgerGate gate = getEndpoint().ledgerGate();
        Map<Integer, LedgerClaim> claims = null;
        if (gate != null) {
            claims = gate.claim(exchange, state.letters, indexes, state.previous);
            indexes.retainAll(claims.keySet());
        }
        List<Letter> toSend = new ArrayList<>();
        for (int i : indexes) {
            toSend.add(state.letters[i]);
        }
        if (!toSend.isEmpty()) {
            List<SendResult> sent = getEndpoint().client().send(getEndpoint().connectionParameters(), toSend);
            for (int k = 0; k < indexes.size(); k++) {
                state.previous[indexes.get(k)] = sent.get(k);
            }
            LetterSmtpProducerHealthCheck check = healthCheck;
            if (check != null && sent.stream().anyMatch(LetterSmtpProducer::serverAnswered)) {
                check.sendAnswered();
            }
        }
        if (claims != null) {
            gate.record(claims, state.previous);
        }

        SendResults results = new SendResults(Arrays.asList(state.previous));
        state.results = results;
        state.redeliveries = redeliveries;

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
            exchange.setException(new LetterSendException(exchange, results, Arrays.asList(state.letters)));
        }
    }

    /**
     * Whether a result shows that the server was reached, let us in and answered the mail transaction: the letter
     * went (to all or some recipients) or the server refused it or its recipients with a reply.
     */
    static boolean serverAnswered(SendResult r) {
        return r.isSent() || r.status() == SendStatus.REJECTED
                             && (r.serverReply() != null || !r.rejectedRecipients().isEmpty());
    }

    /**
     * How many times Camel's error handler has redelivered the exchange (0 when it has not): the
     * {@link Exchange#REDELIVERY_COUNTER} header, which the error handler sets on every redelivery in every Camel
     * version this component supports (4.18 LTS onwards).
     */
    private static int redeliveryCounter(Exchange exchange) {
        Integer header = exchange.getIn().getHeader(Exchange.REDELIVERY_COUNTER, Integer.class);
        return header == null ? 0 : Math.max(0, header);
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
        LetterSmtpBinding binding = getEndpoint().binding();
        boolean many = body instanceof Iterable<?> || body instanceof Object[];
        List<Object> elements = LetterSmtpBinding.elements(body);
        if (elements.isEmpty()) {
            throw new InvalidLetterException("body", "the body is an empty " + (body instanceof Object[]
                    ? "array" : "collection")
                                                     + ": there are no letters to send");
        }
        Letter[] letters = new Letter[elements.size()];
        SendResult[] results = new SendResult[elements.size()];
        for (int i = 0; i < letters.length; i++) {
            try {
                letters[i] = binding.toLetter(elements.get(i), exchange);
            } catch (InvalidLetterException ex) {
                if (!many) {
                    throw ex;
                }
                results[i] = SendResult.rejected(null, ex.getMessage());
            }
        }
        return new Converted(letters, results);
    }

    private record Converted(Letter[] letters, SendResult[] results) {
    }

    /**
     * What the producer remembers on an exchange, so that a redelivery of the same exchange sends only what is still
     * owed: the latest {@link State} of each letter-smtp endpoint the exchange went to (so a loop that sends new
     * bodies to one endpoint does not make it grow). Replaced, never changed, when
     * a state is added, so that copies of the exchange (multicast, split ...) that share the property value cannot
     * disturb each other; a copy has its own exchange id and so never matches the original's states.
     */
    static final class Memory {
        final List<State> states;

        private Memory(List<State> states) {
            this.states = states;
        }

        static Memory with(Memory memory, State state) {
            List<State> states = new ArrayList<>();
            if (memory != null) {
                for (State s : memory.states) {
                    // one state per endpoint, for this exchange only: the memory stays as small as the route
                    if (s.endpoint != state.endpoint && s.exchangeId.equals(state.exchangeId)) {
                        states.add(s);
                    }
                }
            }
            states.add(state);
            return new Memory(List.copyOf(states));
        }

        /**
         * The state of an earlier attempt at this endpoint for this exchange whose body is the body now: the one that
         * attempt started from (what Camel's redelivery restores) or the results it produced.
         */
        State find(LetterSmtpEndpoint endpoint, String exchangeId, Object body) {
            for (int i = states.size() - 1; i >= 0; i--) {
                State s = states.get(i);
                if (s.endpoint == endpoint && s.exchangeId.equals(exchangeId)
                    && (s.input == body || s.results == body)) {
                    return s;
                }
            }
            return null;
        }
    }

    /**
     * The letters made from one body and their latest results. A later call with the same exchange, endpoint and
     * body continues it (sends only what is owed) when letters are owed or Camel has redelivered the exchange since;
     * otherwise the body is sent anew.
     */
    static final class State {
        final LetterSmtpEndpoint endpoint;
        final String exchangeId;
        final Object input;
        final Letter[] letters;
        final SendResult[] previous;
        final boolean retryUnknown;
        volatile SendResults results;
        volatile int redeliveries;

        State(LetterSmtpEndpoint endpoint, String exchangeId, Object input, Converted converted,
              UnknownPolicy unknownPolicy) {
            this.endpoint = endpoint;
            this.retryUnknown = unknownPolicy == UnknownPolicy.RETRY;
            this.exchangeId = exchangeId;
            this.input = input;
            this.letters = converted.letters();
            this.previous = converted.results();
        }

        /**
         * Whether letter {@code i} still has to go: it is a letter, and it was never tried or it FAILED (or, under
         * unknownPolicy=retry, its outcome is UNKNOWN).
         */
        boolean isOwed(int i) {
            return letters[i] != null && (previous[i] == null || again(previous[i]));
        }

        /** How many letters were tried and FAILED (or are UNKNOWN under unknownPolicy=retry), so a retry may send them. */
        int owed() {
            int n = 0;
            for (int i = 0; i < letters.length; i++) {
                if (letters[i] != null && previous[i] != null && again(previous[i])) {
                    n++;
                }
            }
            return n;
        }

        private boolean again(SendResult r) {
            return r.status() == SendStatus.FAILED || retryUnknown && r.status() == SendStatus.UNKNOWN;
        }
    }
}
