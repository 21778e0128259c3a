package io.github.smtpletter.smtp;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.smtpletter.letter.Letter;

/**
 * Sends letters over SMTP. Thread-safe; keeps a pool of connections per distinct
 * {@link SmtpConnectionParameters} (see {@link SmtpPoolSettings#maxConnections()},
 * {@link SmtpPoolSettings#maxMessagesPerConnection()}, {@link SmtpPoolSettings#idleTimeout()}).
 * <p>
 * {@link #send(SmtpConnectionParameters, List)} returns one {@link SendResult} per letter, in order, and never
 * throws for a letter's own failure. A batch of more than {@value #PARALLEL_THRESHOLD} letters is cut into contiguous
 * slices sent in parallel over up to {@code maxConnections} connections. A pooled connection the server closed
 * while idle is replaced transparently: the letter is sent again on a new connection only when nothing of it can
 * have been accepted (the server closed the connection or said 421 before accepting MAIL FROM).
 * <p>
 * {@link #close()} says QUIT on every pooled connection and stops the client's threads.
 */
public final class SmtpClient implements AutoCloseable {

    /** Batches larger than this are spread over several connections when maxConnections allows. */
    static final int PARALLEL_THRESHOLD = 4;
    /** Idle time after which a pooled connection is checked with NOOP before it is reused. */
    static final Duration DEFAULT_VALIDATE_AFTER = Duration.ofSeconds(2);

    private static final Logger LOG = LoggerFactory.getLogger(SmtpClient.class);
    private static final AtomicInteger CLIENTS = new AtomicInteger();
    private static final AtomicBoolean NEVER_STOP = new AtomicBoolean();

    private final MessageWriter writer;
    private final int chunkSize;
    private final Duration validateAfter;
    private final ConnectionPool.SessionFactory sessionFactory;
    private final ConcurrentHashMap<SmtpConnectionParameters, ConnectionPool> pools = new ConcurrentHashMap<>();
    private final String name = "smtp-letter-" + CLIENTS.incrementAndGet();
    private final Object lifecycle = new Object();
    private ExecutorService workers;          // guarded by lifecycle, created on first parallel batch
    private ScheduledExecutorService evictor; // guarded by lifecycle, created with the first pool
    private volatile boolean closed;

    /** A client that writes messages with {@link io.github.smtpletter.mime.LetterMimeWriter}. */
    public SmtpClient() {
        this(MessageWriter.mime(), BdatOutputStream.DEFAULT_CHUNK_SIZE, DEFAULT_VALIDATE_AFTER, SmtpSession::open);
    }

    /** For tests: the message writer, BDAT chunk size, NOOP threshold and session factory. */
    SmtpClient(MessageWriter writer, int chunkSize, Duration validateAfter,
               ConnectionPool.SessionFactory sessionFactory) {
        this.writer = Objects.requireNonNull(writer, "writer");
        this.chunkSize = chunkSize;
        this.validateAfter = Objects.requireNonNull(validateAfter, "validateAfter");
        this.sessionFactory = Objects.requireNonNull(sessionFactory, "sessionFactory");
    }

    /**
     * Sends letters; see {@link #send(SmtpConnectionParameters, List)}.
     *
     * @param parameters where and how to connect
     * @param letters    the letters; none may be {@code null}
     * @return one result per letter, same order
     */
    public List<SendResult> send(SmtpConnectionParameters parameters, Letter... letters) {
        return send(parameters, Arrays.asList(Objects.requireNonNull(letters, "letters")));
    }

    /**
     * Sends letters through a pooled connection (or several for a large batch).
     *
     * @param parameters where and how to connect
     * @param letters    the letters; none may be {@code null}
     * @return one result per letter, same order. When the connection or authentication fails, every letter
     *         not yet sent is FAILED with that reason (retryable unless the server refused permanently, e.g. 535)
     * @throws IllegalStateException when {@link #close()} was called before this call started. A close during the
     *         call does not throw: letters not yet started are FAILED ("SMTP client is closed", not retryable)
     */
    public List<SendResult> send(SmtpConnectionParameters parameters, List<Letter> letters) {
        Objects.requireNonNull(parameters, "parameters");
        Objects.requireNonNull(letters, "letters");
        for (int i = 0; i < letters.size(); i++) {
            if (letters.get(i) == null) {
                throw new IllegalArgumentException("letter " + i + " is null");
            }
        }
        ensureOpen();
        int n = letters.size();
        SendResult[] results = new SendResult[n];
        if (n == 0) {
            return List.of();
        }
        Lease first;
        try {
            first = acquire(parameters, true);
        } catch (IOException | RuntimeException e) {
            failAll(letters, 0, n, results, e);
            return List.of(results);
        }
        int slices = n > PARALLEL_THRESHOLD && parameters.pool().maxConnections() > 1
                ? Math.min(parameters.pool().maxConnections(), (n + PARALLEL_THRESHOLD - 1) / PARALLEL_THRESHOLD)
                : 1;
        if (slices == 1) {
            sendSlice(parameters, first, letters, 0, n, results, false, NEVER_STOP);
            return List.of(results);
        }
        int base = n / slices;
        int extra = n % slices;
        int[] bounds = new int[slices + 1];
        for (int s = 0; s < slices; s++) {
            bounds[s + 1] = bounds[s] + base + (s < extra ? 1 : 0);
        }
        AtomicBoolean stop = new AtomicBoolean(); // set when the caller is interrupted: start no further letter
        List<Future<Boolean>> futures = new ArrayList<>();
        boolean firstHandedOver = false;
        try {
            ExecutorService executor = workers(); // null once the client is closed
            for (int s = 1; s < slices; s++) {
                int from = bounds[s];
                int to = bounds[s + 1];
                Future<Boolean> f = null; // null: not submitted, the caller sends the slice afterwards
                if (executor != null) {
                    try {
                        f = executor.submit(() -> sendSlice(parameters, null, letters, from, to, results, true,
                                stop));
                    } catch (RejectedExecutionException e) {
                        LOG.debug("letters {}..{} not handed to a sender thread: {}", from, to - 1, e.toString());
                    }
                }
                futures.add(f);
            }
            firstHandedOver = true; // sendSlice releases it
            sendSlice(parameters, first, letters, 0, bounds[1], results, false, stop);
        } catch (RuntimeException | Error e) {
            if (!firstHandedOver) {
                first.release();
            }
            stop.set(true);
            awaitSlices(parameters, letters, bounds, futures, results, stop);
            throw e;
        }
        awaitSlices(parameters, letters, bounds, futures, results, stop);
        for (int i = 0; i < n; i++) {
            if (results[i] == null) {
                results[i] = SendResult.unknown(letters.get(i).messageId(), "sending failed unexpectedly; the "
                        + "message may have been sent", List.of(), List.of());
            }
        }
        return List.of(results);
    }

    /**
     * Waits for every parallel slice, uninterruptibly (a running slice is bounded by the timeouts and the write
     * watchdog, and its letters' results are only known once it has finished); sends a slice that found no extra
     * connection (or was never submitted) here. Restores the interrupt flag when interrupted meanwhile.
     */
    private void awaitSlices(SmtpConnectionParameters parameters, List<Letter> letters, int[] bounds,
                             List<Future<Boolean>> futures, SendResult[] results, AtomicBoolean stop) {
        int slices = bounds.length - 1;
        boolean interrupted = false;
        for (int s = 1; s < slices; s++) {
            Future<Boolean> f = s - 1 < futures.size() ? futures.get(s - 1) : null;
            Boolean done = f == null ? Boolean.FALSE : null;
            while (done == null) {
                try {
                    done = f.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                    stop.set(true);
                } catch (ExecutionException e) {
                    LOG.warn("unexpected failure in a parallel send", e.getCause());
                    done = true;
                } catch (CancellationException e) {
                    done = false; // never ran (the client was closed meanwhile)
                }
            }
            if (!done) {
                // no extra connection was available: send this slice here, after the first one
                try {
                    sendSlice(parameters, null, letters, bounds[s], bounds[s + 1], results, false, stop);
                } catch (RuntimeException e) {
                    LOG.warn("unexpected failure in a send", e);
                    stop.set(true);
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Sends {@code letters[from, to)} one after the other over one connection at a time, replacing the connection
     * when it is lost. With PIPELINING and DATA the end of one letter goes out in the same flight as the next
     * letter's MAIL, RCPT and DATA (RFC 2920 section 3.1): one round trip per letter. Two lost connections in a row
     * without a letter getting through fail the rest of the slice.
     *
     * @param optional an extra parallel slice: when no connection can be had at once (all in use, or opening one
     *                 fails) nothing is sent and {@code false} is returned, so the caller sends the slice itself
     * @param stop     when set, no further letter is started: the rest of the slice is FAILED (retryable) as not
     *                 started; a letter whose end was already sent ahead of the next one is still completed
     * @return whether the slice was handled (every result filled)
     */
    private boolean sendSlice(SmtpConnectionParameters params, Lease initial, List<Letter> letters, int from,
                              int to, SendResult[] results, boolean optional, AtomicBoolean stop) {
        Lease lease = initial;
        if (lease == null && optional) {
            try {
                lease = acquire(params, false);
            } catch (IOException | RuntimeException e) {
                LOG.debug("no extra connection for letters {}..{}: {}", from, to - 1, e.getMessage());
                return false;
            }
        }
        int lossesInARow = 0;
        boolean retried = false;
        SmtpTransaction deferred = null; // a letter whose end went out ahead of the next letter's commands
        int deferredIndex = -1;
        int current = from - 1; // the letter being sent
        boolean broken = false; // an unexpected exception: the session is in an unknown state
        try {
            for (int i = from; i < to; i++) {
                if (deferred == null && stop.get()) {
                    for (int j = i; j < to; j++) {
                        results[j] = SendResult.failed(letters.get(j).messageId(), "not started: interrupted", true);
                    }
                    return true;
                }
                current = i;
                if (lease == null) {
                    try {
                        lease = acquire(params, true);
                    } catch (IOException | RuntimeException e) {
                        failAll(letters, i, to, results, e);
                        return true;
                    }
                }
                SmtpSession session = lease.session();
                int max = params.pool().maxMessagesPerConnection();
                boolean nextFollowsHere = i + 1 < to && (max == 0 || session.transactions() + 1 < max)
                        && !stop.get();
                SmtpTransaction tx = new SmtpTransaction(session, letters.get(i), writer, chunkSize,
                        validateAfter.toNanos(), deferred, nextFollowsHere);
                SmtpTransaction.Outcome o = tx.run();
                if (deferred != null) {
                    SmtpTransaction.Outcome earlier = deferred.resolvedOutcome();
                    results[deferredIndex] = earlier != null ? earlier.result()
                            : SendResult.unknown(letters.get(deferredIndex).messageId(), "the end of the message "
                                    + "was sent but its reply could not be read", List.of(), List.of());
                    deferred = null;
                }
                if (o.deferred()) {
                    deferred = tx; // its result comes with the next letter's replies, in the same round trip
                    deferredIndex = i;
                    retried = false;
                    lossesInARow = 0;
                    continue;
                }
                boolean reused = session.isReused();
                if (!o.sessionUsable() || (max > 0 && session.transactions() >= max)) {
                    lease.release();
                    lease = null;
                }
                if (!o.sessionUsable()) {
                    if (o.retrySafe() && reused && !retried) {
                        LOG.debug("connection to {} was closed by the server before letter {} was accepted; "
                                + "sending it again on a new connection", params.server().address(),
                                letters.get(i).messageId());
                        retried = true;
                        i--;
                        continue;
                    }
                    lossesInARow++;
                } else {
                    lossesInARow = 0;
                }
                retried = false;
                results[i] = o.result();
                if (lossesInARow >= 2 && i + 1 < to) {
                    String why = "not attempted: connections to " + params.server().address()
                            + " were lost repeatedly (last: " + o.result().error() + ")";
                    for (int j = i + 1; j < to; j++) {
                        results[j] = SendResult.failed(letters.get(j).messageId(), why, true);
                    }
                    return true;
                }
            }
            return true;
        } catch (RuntimeException e) {
            // a bug rather than a letter's own failure; keep the results of the letters already sent
            LOG.warn("unexpected failure sending letters {}..{}", from, to - 1, e);
            broken = true;
            String why = e.getMessage() != null ? e.getMessage() : e.toString();
            for (int j = Math.max(current, from); j < to; j++) {
                if (results[j] == null && j != deferredIndex) {
                    results[j] = j == current
                            ? SendResult.unknown(letters.get(j).messageId(), "sending failed unexpectedly ("
                                    + why + "); the message may have been sent", List.of(), List.of())
                            : SendResult.failed(letters.get(j).messageId(), "not started: an earlier letter "
                                    + "failed unexpectedly (" + why + ")", false);
                }
            }
            return true;
        } finally {
            if (lease != null && broken && deferred == null) {
                lease.session().abort();
            }
            if (deferred != null) {
                // only on an unexpected exception: the last letter of a slice never defers its end
                results[deferredIndex] = SendResult.unknown(letters.get(deferredIndex).messageId(),
                        "the end of the message was written but its reply was never read", List.of(), List.of());
                if (lease != null) {
                    lease.session().abort();
                }
            }
            if (lease != null) {
                lease.release();
            }
        }
    }

    /**
     * Checks that the server can be reached and logged in to: connect, (STARTTLS,) EHLO, AUTH, QUIT, over a new
     * connection that is not pooled.
     *
     * @param parameters where and how to connect
     * @throws SmtpException with the reason (and the server's reply when there is one)
     */
    public void verify(SmtpConnectionParameters parameters) throws SmtpException {
        Objects.requireNonNull(parameters, "parameters");
        ensureOpen();
        SmtpSession s;
        try {
            s = sessionFactory.open(parameters);
        } catch (SmtpException e) {
            throw e;
        } catch (IOException e) {
            throw new SmtpException("cannot reach " + parameters.server().address() + ": "
                    + e.getMessage(), null, true, e);
        }
        s.close();
    }

    /** @return the connections currently open by this client (idle and in use), over all pools */
    public int openConnections() {
        int total = 0;
        for (ConnectionPool p : pools.values()) {
            total += p.stats().open();
        }
        return total;
    }

    /** @return the counts of the pool for these parameters (zeros when there is none) */
    ConnectionPool.Stats poolStats(SmtpConnectionParameters parameters) {
        ConnectionPool p = pools.get(parameters);
        return p == null ? new ConnectionPool.Stats(0, 0, 0) : p.stats();
    }

    /** Says QUIT on every pooled connection and stops the client's threads. Idempotent. */
    @Override
    public void close() {
        ExecutorService w;
        ScheduledExecutorService e;
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            w = workers;
            e = evictor;
        }
        if (e != null) {
            e.shutdownNow();
        }
        for (ConnectionPool p : pools.values()) {
            p.close();
        }
        if (w != null) {
            w.shutdown();
            try {
                if (!w.awaitTermination(5, TimeUnit.SECONDS)) {
                    w.shutdownNow();
                }
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                w.shutdownNow();
            }
        }
    }

    // ------------------------------------------------------------------------------------------ internals

    /** A session and the pool it goes back to. */
    private record Lease(ConnectionPool pool, SmtpSession session) {
        void release() {
            pool.release(session);
        }
    }

    private Lease acquire(SmtpConnectionParameters params, boolean wait) throws IOException {
        while (true) {
            ConnectionPool p = pool(params);
            try {
                return new Lease(p, p.acquire(wait));
            } catch (ConnectionPool.RetiredException e) {
                pools.remove(params, p); // retired by the evictor meanwhile: take a fresh pool
            }
        }
    }

    private ConnectionPool pool(SmtpConnectionParameters params) throws SmtpException {
        ConnectionPool p = pools.get(params);
        if (p != null) {
            return p; // when close() ran meanwhile the pool is closed and refuses acquire()
        }
        synchronized (lifecycle) {
            // under the lock: close() closes every pool created before it set closed, and none is created after
            if (closed) {
                throw new SmtpException("SMTP client is closed", null, false);
            }
            startEvictor();
            return pools.computeIfAbsent(params, k -> new ConnectionPool(k, sessionFactory, validateAfter));
        }
    }

    /** Fails letters not sent; an I/O failure is retryable unless the server refused permanently, a bug is not. */
    private void failAll(List<Letter> letters, int from, int to, SendResult[] results, Exception e) {
        if (e instanceof RuntimeException) {
            LOG.warn("unexpected failure opening a connection", e);
        }
        boolean retryable = e instanceof IOException && (!(e instanceof SmtpException se) || se.isRetryable());
        String why = e.getMessage() != null ? e.getMessage() : e.toString();
        LOG.debug("cannot send {} letter(s): {}", to - from, why);
        for (int i = from; i < to; i++) {
            results[i] = SendResult.failed(letters.get(i).messageId(), why, retryable,
                    e instanceof SmtpException se ? se.reply() : null, List.of());
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("SmtpClient is closed");
        }
    }

    /** @return the sender threads, or {@code null} once the client is closed */
    private ExecutorService workers() {
        synchronized (lifecycle) {
            if (closed) {
                return null;
            }
            if (workers == null) {
                workers = Executors.newCachedThreadPool(threads(name + "-sender"));
            }
            return workers;
        }
    }

    private void startEvictor() {
        synchronized (lifecycle) {
            if (evictor == null && !closed) {
                evictor = Executors.newSingleThreadScheduledExecutor(threads(name + "-evictor"));
                evictor.scheduleWithFixedDelay(this::evict, 1, 1, TimeUnit.SECONDS);
            }
        }
    }

    /** Runs the idle eviction now (as the client's evictor thread does every second); for tests. */
    void evictIdleConnections() {
        evict();
    }

    private void evict() {
        try {
            for (var entry : pools.entrySet()) {
                ConnectionPool p = entry.getValue();
                p.evictIdle();
                if (p.retireIfUnused()) {
                    pools.remove(entry.getKey(), p);
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("idle connection eviction failed", e);
        }
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
