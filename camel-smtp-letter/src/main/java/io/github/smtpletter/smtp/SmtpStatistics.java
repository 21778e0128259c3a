package io.github.smtpletter.smtp;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an {@link SmtpClient} has done, per server ({@code host:port}): letters per {@link SendStatus}, accepted and
 * rejected recipients, bytes written, AUTH failures, the time spent sending, the state of its connection pools, and
 * the last letters that did not go as {@link SendStatus#SENT}. Counters only grow; read them for metrics, JMX or a
 * console. Thread-safe; a statistics object may outlive the clients that update it (hand it to the
 * {@link SmtpClient} constructor that takes one).
 * <p>
 * Nothing here names a recipient, a subject or a user; {@link #lastErrors()} holds the error texts of results, which
 * never carry a secret.
 */
public final class SmtpStatistics {

    /** How many entries {@link #lastErrors()} keeps. */
    public static final int LAST_ERRORS = 20;

    private static final Logger LOG = LoggerFactory.getLogger(SmtpStatistics.class);

    private final Map<String, Server> servers = new ConcurrentHashMap<>();
    private final List<Consumer<Server>> serverListeners = new CopyOnWriteArrayList<>();
    private final Deque<LastError> lastErrors = new ArrayDeque<>(); // guarded by itself, newest first
    private volatile Supplier<Collection<ConnectionPool>> pools = List::of;

    /** Empty statistics, to hand to {@link SmtpClient}s. */
    public SmtpStatistics() {
    }

    /**
     * The figures of one server; created (all zero) when unknown, so that meters can be registered before the first
     * letter.
     *
     * @param  address {@code host:port}, as {@link SmtpServer#address()} gives it
     * @return         its figures
     */
    public Server server(String address) {
        Objects.requireNonNull(address, "address");
        Server known = servers.get(address);
        if (known != null) {
            return known;
        }
        Server[] created = new Server[1];
        Server s = servers.computeIfAbsent(address, a -> created[0] = new Server(a));
        if (created[0] != null) {
            for (Consumer<Server> l : serverListeners) {
                tell(l, s);
            }
        }
        return s;
    }

    /** @return the servers seen so far, in no particular order */
    public List<Server> servers() {
        return List.copyOf(servers.values());
    }

    /**
     * Calls {@code listener} for every server known now and for each one seen later (for example to register meters
     * for it).
     *
     * @param listener called once per server
     */
    public void onEachServer(Consumer<Server> listener) {
        Objects.requireNonNull(listener, "listener");
        serverListeners.add(listener);
        for (Server s : servers.values()) {
            tell(listener, s);
        }
    }

    /**
     * Removes a listener added with {@link #onEachServer}.
     *
     * @param listener the listener
     */
    public void removeServerListener(Consumer<Server> listener) {
        serverListeners.remove(listener);
    }

    /** @return the last (up to {@value #LAST_ERRORS}) letters not {@link SendStatus#SENT}, newest first */
    public List<LastError> lastErrors() {
        synchronized (lastErrors) {
            return List.copyOf(lastErrors);
        }
    }

    // ------------------------------------------------------------------------------------------ updates

    /** Counts the final results of one send call, whose letters took {@code nanos} together. */
    void record(SmtpServer server, List<SendResult> results, long nanos) {
        if (results.isEmpty()) {
            return;
        }
        Server s = server(server.address());
        for (SendResult r : results) {
            s.letters.get(r.status()).increment();
            s.accepted.add(r.acceptedRecipients().size());
            s.rejected.add(r.rejectedRecipients().size());
            if (r.status() != SendStatus.SENT) {
                addError(new LastError(Instant.now(), s.address, r.status(), r.messageId(), r.error()));
            }
        }
        s.timed.add(results.size());
        s.nanos.add(Math.max(0, nanos));
    }

    void bytesSent(SmtpServer server, long bytes) {
        if (bytes > 0) {
            server(server.address()).bytes.add(bytes);
        }
    }

    void authFailed(SmtpServer server) {
        server(server.address()).authFailures.increment();
    }

    /** Where {@link Server#pool()} reads from: the pools of the client using these statistics now. */
    void readPoolsFrom(Supplier<Collection<ConnectionPool>> source) {
        pools = Objects.requireNonNull(source, "source");
    }

    /** Forgets {@code source} when it is still the one pools are read from (its client closed). */
    void stopReadingPoolsFrom(Supplier<Collection<ConnectionPool>> source) {
        if (pools == source) {
            pools = List::of;
        }
    }

    private void addError(LastError e) {
        synchronized (lastErrors) {
            lastErrors.addFirst(e);
            while (lastErrors.size() > LAST_ERRORS) {
                lastErrors.removeLast();
            }
        }
    }

    private static void tell(Consumer<Server> listener, Server s) {
        try {
            listener.accept(s);
        } catch (RuntimeException e) {
            LOG.warn("statistics listener failed for {}", s.address, e);
        }
    }

    /** The figures of one server. Counters only grow. */
    public final class Server {

        private final String address;
        private final Map<SendStatus, LongAdder> letters = new EnumMap<>(SendStatus.class);
        private final LongAdder accepted = new LongAdder();
        private final LongAdder rejected = new LongAdder();
        private final LongAdder bytes = new LongAdder();
        private final LongAdder authFailures = new LongAdder();
        private final LongAdder timed = new LongAdder();
        private final LongAdder nanos = new LongAdder();

        Server(String address) {
            this.address = address;
            for (SendStatus s : SendStatus.values()) {
                letters.put(s, new LongAdder());
            }
        }

        /** @return {@code host:port} */
        public String address() {
            return address;
        }

        /**
         * @param  status a status
         * @return        the letters whose result had that status
         */
        public long letters(SendStatus status) {
            return letters.get(status).sum();
        }

        /** @return the recipients the server accepted, over all letters */
        public long acceptedRecipients() {
            return accepted.sum();
        }

        /** @return the recipients the server refused, over all letters */
        public long rejectedRecipients() {
            return rejected.sum();
        }

        /**
         * @return the bytes written to the server while sending letters (commands and message data, before TLS;
         *         connection set-up and QUIT not counted)
         */
        public long bytesSent() {
            return bytes.sum();
        }

        /** @return the times opening a connection for sending failed at AUTH */
        public long authFailures() {
            return authFailures.sum();
        }

        /** @return the letters counted in {@link #sendingTime()} (every letter with a result) */
        public long timedLetters() {
            return timed.sum();
        }

        /**
         * @return the time spent sending: for each send call, from its start until every result was known (a call
         *         of several letters counts once, so the mean per letter is this divided by {@link #timedLetters()})
         */
        public Duration sendingTime() {
            return Duration.ofNanos(nanos.sum());
        }

        /** @return the connection pools to this server now (zeros when none is open) */
        public Pool pool() {
            int open = 0;
            int idle = 0;
            int leased = 0;
            int waiting = 0;
            for (ConnectionPool p : pools.get()) {
                if (p.server().address().equals(address)) {
                    ConnectionPool.Stats st = p.stats();
                    open += st.open();
                    idle += st.idle();
                    leased += st.leased();
                    waiting += p.waiting();
                }
            }
            return new Pool(open, idle, leased, waiting);
        }

        @Override
        public String toString() {
            return "SmtpStatistics.Server[" + address + "]";
        }
    }

    /**
     * The connections to one server at one moment, over its pools.
     *
     * @param open    connections open (idle and leased)
     * @param idle    connections open and waiting for a letter
     * @param leased  connections sending now
     * @param waiting callers waiting for a connection (every one allowed is in use)
     */
    public record Pool(int open, int idle, int leased, int waiting) {
    }

    /**
     * A letter whose result was not {@link SendStatus#SENT}.
     *
     * @param time      when its result was counted
     * @param server    {@code host:port}
     * @param status    its status
     * @param messageId its Message-ID
     * @param error     the result's error text
     */
    public record LastError(Instant time, String server, SendStatus status, String messageId, String error) {
    }
}
