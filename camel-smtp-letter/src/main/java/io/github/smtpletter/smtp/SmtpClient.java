package io.github.smtpletter.smtp;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import io.github.smtpletter.letter.Letter;
import io.github.smtpletter.mime.LetterMimeWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends letters over SMTP. Thread-safe; keeps a pool of connections per distinct
 * {@link SmtpConnectionParameters} (see {@link SmtpPoolSettings#maxConnections()},
 * {@link SmtpPoolSettings#maxMessagesPerConnection()}, {@link SmtpPoolSettings#idleTimeout()}).
 * <p>
 * {@link #send(SmtpConnectionParameters, List)} returns one {@link SendResult} per letter, in order, and never
 * throws for a letter's own failure; {@link #sendAsync(SmtpConnectionParameters, List)} does the same without holding
 * the caller's thread. Letters of concurrent calls share the pool's connections as streams: a call whose letters
 * find every connection busy waits in the pool's queue (first come first served, at most the connect timeout), and
 * the thread holding a connection sends them right after its current letter, with PIPELINING in the same flight as
 * that letter's end of data (RFC 2920 section 3.1). A 421 refusing a further connection while others are open makes
 * the pool keep to those for a minute. A batch of more than {@value #PARALLEL_THRESHOLD} letters is cut into
 * contiguous slices sent in parallel over up to {@code maxConnections} connections. A pooled connection the server closed
 * while idle is replaced transparently: the letter is sent again on a new connection only when nothing of it can
 * have been accepted (the server closed the connection or said 421 before accepting MAIL FROM).
 * <p>
 * Threads: parallel slices run on a sender executor; idle eviction and the write watchdog (which bounds socket writes
 * a server does not take) run on a scheduled timer. Either the client creates both itself ({@link #SmtpClient()}) or
 * it uses the caller's ({@link #SmtpClient(ExecutorService, ScheduledExecutorService)}, for example threads from a
 * container's thread pool manager).
 * <p>
 * {@link #close()} says QUIT on every pooled connection and stops the threads the client created itself.
 */
public final class SmtpClient implements AutoCloseable {

    /** Batches larger than this are spread over several connections when maxConnections allows. */
    static final int PARALLEL_THRESHOLD = 4;
    /** Idle time after which a pooled connection is checked with NOOP before it is reused. */
    static final Duration DEFAULT_VALIDATE_AFTER = Duration.ofSeconds(2);

    private static final Logger LOG = LoggerFactory.getLogger(SmtpClient.class);
    private static final AtomicInteger CLIENTS = new AtomicInteger();

    private final Duration validateAfter;
    private final ConnectionPool.SessionFactory sessionFactory;
    private final List<ConnectionFailureListener> failureListeners = new CopyOnWriteArrayList<>();
    private final ParallelSlices parallel;
    private final MessageWriter writer;
    private final int chunkSize;
    private final ConcurrentHashMap<SmtpConnectionParameters, ConnectionPool> pools = new ConcurrentHashMap<>();
    private final Supplier<Collection<ConnectionPool>> poolsView = pools::values;
    private final SmtpStatistics statistics;
    private final ExecutorService senders;
    private final ScheduledExecutorService timer;
    /** Whether the client created {@link #senders} and {@link #timer} itself, and so shuts them down. */
    private final boolean ownsThreads;
    private final WriteWatchdog watchdog;
    private final Object lifecycle = new Object();
    private ScheduledFuture<?> eviction; // guarded by lifecycle, scheduled with the first pool
    private volatile boolean closed;

    /**
     * A client that writes messages with {@link LetterMimeWriter} and runs on threads of its own: daemon threads
     * named {@code smtp-letter-N-sender-M} for parallel slices and {@code smtp-letter-N-timer} for idle eviction and
     * the write watchdog, created when first needed and stopped by {@link #close()}.
     */
    public SmtpClient() {
        this(MessageWriter.mime(), BdatOutputStream.DEFAULT_CHUNK_SIZE, DEFAULT_VALIDATE_AFTER, SmtpSession::open,
                null, null, new SmtpStatistics());
    }

    /**
     * A client that writes messages with {@link LetterMimeWriter} and runs on the caller's threads. The caller owns
     * them: {@link #close()} does not shut them down, the caller does, after closing the client.
     *
     * @param senders sends the slices of a large batch in parallel (see {@link #send(SmtpConnectionParameters,
     *                List)}); a cached thread pool suits it, a task it rejects is sent by the caller's thread
     * @param timer   runs the idle connection eviction (every second) and the write watchdog (every
     *                {@value WriteWatchdog#PERIOD_MILLIS} ms while a connection is open); one thread suffices
     */
    public SmtpClient(ExecutorService senders, ScheduledExecutorService timer) {
        this(senders, timer, new SmtpStatistics());
    }

    /**
     * Like {@link #SmtpClient(ExecutorService, ScheduledExecutorService)}, counting into {@code statistics}, which may
     * outlive this client (for example across restarts of a component) and then shows the pools of the newest client.
     */
    public SmtpClient(ExecutorService senders, ScheduledExecutorService timer, SmtpStatistics statistics) {
        this(MessageWriter.mime(), BdatOutputStream.DEFAULT_CHUNK_SIZE, DEFAULT_VALIDATE_AFTER, SmtpSession::open,
                Objects.requireNonNull(senders, "senders"), Objects.requireNonNull(timer, "timer"),
                Objects.requireNonNull(statistics, "statistics"));
    }

    /** For tests: the message writer, BDAT chunk size, NOOP threshold and session factory; threads of its own. */
    SmtpClient(MessageWriter writer, int chunkSize, Duration validateAfter,
               ConnectionPool.SessionFactory sessionFactory) {
        this(writer, chunkSize, validateAfter, sessionFactory, null, null, new SmtpStatistics());
    }

    private SmtpClient(MessageWriter writer, int chunkSize, Duration validateAfter,
                       ConnectionPool.SessionFactory sessionFactory, ExecutorService senders,
                       ScheduledExecutorService timer, SmtpStatistics statistics) {
        this.validateAfter = Objects.requireNonNull(validateAfter, "validateAfter");
        this.sessionFactory = Objects.requireNonNull(sessionFactory, "sessionFactory");
        this.statistics = statistics;
        statistics.readPoolsFrom(poolsView);
        this.writer = Objects.requireNonNull(writer, "writer");
        this.chunkSize = chunkSize;
        SliceSender sliceSender = new SliceSender(this::acquire, writer, chunkSize, validateAfter, statistics);
        this.ownsThreads = senders == null;
        if (ownsThreads) {
            String name = "smtp-letter-" + CLIENTS.incrementAndGet();
            this.senders = Executors.newCachedThreadPool(daemonThreads(name + "-sender-", true));
            ScheduledThreadPoolExecutor ownTimer = new ScheduledThreadPoolExecutor(1, daemonThreads(name + "-timer",
                    false));
            ownTimer.setRemoveOnCancelPolicy(true);
            this.timer = ownTimer;
        } else {
            this.senders = senders;
            this.timer = timer;
        }
        this.watchdog = new WriteWatchdog(this.timer);
        this.parallel = new ParallelSlices(sliceSender, this::acquire, () -> closed ? null : this.senders);
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
        long start = System.nanoTime();
        List<SendResult> results = sendLetters(parameters, letters);
        statistics.record(parameters.server(), results, System.nanoTime() - start);
        return results;
    }

    private List<SendResult> sendLetters(SmtpConnectionParameters parameters, List<Letter> letters) {
        checkArguments(parameters, letters);
        ensureOpen();
        int n = letters.size();
        if (n == 0) {
            return List.of();
        }
        if (!isLargeBatch(parameters, n)) {
            return queue(parameters, letters, null).await();
        }
        return parallel.send(parameters, letters);
    }

    /**
     * Sends letters without holding the caller's thread: they wait for a pooled connection's stream and go right after
     * the letter it is sending (in the same flight as its end of data when the server offers PIPELINING), first come
     * first served across connections; see {@link #send(SmtpConnectionParameters, List)} for the results. A batch of
     * more than {@value #PARALLEL_THRESHOLD} letters is sent on a sender thread as {@code send} sends it.
     *
     * @param  parameters where and how to connect
     * @param  letters    the letters; none may be {@code null}
     * @return            completed with one result per letter, same order, never exceptionally for a letter's own
     *                    failure; completed on one of the client's sender threads while it holds no connection, so
     *                    that whatever depends on it does not hold up the letters after
     * @throws IllegalStateException when {@link #close()} was called before this call started
     */
    public CompletableFuture<List<SendResult>> sendAsync(SmtpConnectionParameters parameters, List<Letter> letters) {
        checkArguments(parameters, letters);
        ensureOpen();
        if (letters.isEmpty()) {
            return CompletableFuture.completedFuture(List.of());
        }
        if (isLargeBatch(parameters, letters.size())) {
            List<Letter> copy = List.copyOf(letters);
            try {
                return CompletableFuture.supplyAsync(() -> send(parameters, copy), senders);
            } catch (RejectedExecutionException e) {
                return CompletableFuture.completedFuture(send(parameters, copy));
            }
        }
        long start = System.nanoTime();
        return queue(parameters, letters, senders).future().whenComplete((results, e) -> {
            if (results != null) {
                statistics.record(parameters.server(), results, System.nanoTime() - start);
            }
        });
    }

    private static void checkArguments(SmtpConnectionParameters parameters, List<Letter> letters) {
        Objects.requireNonNull(parameters, "parameters");
        Objects.requireNonNull(letters, "letters");
        for (int i = 0; i < letters.size(); i++) {
            if (letters.get(i) == null) {
                throw new IllegalArgumentException("letter " + i + " is null");
            }
        }
    }

    private static boolean isLargeBatch(SmtpConnectionParameters parameters, int n) {
        return n > PARALLEL_THRESHOLD && parameters.pool().maxConnections() > 1;
    }

    /** Queues letters on their pool's stream (see {@link StreamDriver}). */
    private QueuedLetters queue(SmtpConnectionParameters parameters, List<Letter> letters, ExecutorService completion) {
        QueuedLetters q = new QueuedLetters(List.copyOf(letters), completion,
                System.nanoTime() + parameters.timeouts().connectTimeout().toNanos());
        while (true) {
            ConnectionPool p;
            try {
                p = pool(parameters);
            } catch (SmtpException e) {
                q.pool = null;
                q.failFrom(0, e.getMessage(), false, null); // closed meanwhile
                return q;
            }
            q.pool = p;
            try {
                p.submit(q);
                return q;
            } catch (ConnectionPool.RetiredException e) {
                pools.remove(parameters, p); // retired by the eviction meanwhile: take a fresh pool
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
            s = sessionFactory.open(parameters, watchdog);
        } catch (SmtpException e) {
            throw e;
        } catch (IOException e) {
            throw new SmtpException("cannot reach " + parameters.server().address() + ": "
                                    + e.getMessage(), null, true, e);
        }
        s.close();
    }

    /**
     * Registers a listener told when opening a pooled connection for sending fails (not when {@link #verify} fails:
     * its caller gets the exception).
     *
     * @param listener the listener
     */
    public void addConnectionFailureListener(ConnectionFailureListener listener) {
        failureListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Removes a listener added with {@link #addConnectionFailureListener}.
     *
     * @param listener the listener
     */
    public void removeConnectionFailureListener(ConnectionFailureListener listener) {
        failureListeners.remove(listener);
    }

    /** Opens a session for a pool, telling the listeners when that fails. */
    private SmtpSession openForPool(SmtpConnectionParameters params, WriteWatchdog w) throws IOException {
        try {
            return sessionFactory.open(params, w);
        } catch (IOException e) {
            if (e instanceof SmtpAuthException) {
                statistics.authFailed(params.server());
            }
            for (ConnectionFailureListener l : failureListeners) {
                try {
                    l.connectionFailed(params, e);
                } catch (RuntimeException re) {
                    LOG.warn("connection failure listener failed", re);
                }
            }
            throw e;
        }
    }

    /** @return the connections currently open by this client (idle and in use), over all pools */
    public int openConnections() {
        int total = 0;
        for (ConnectionPool p : pools.values()) {
            total += p.stats().open();
        }
        return total;
    }

    /** @return what this client has done, per server, and the state of its pools */
    public SmtpStatistics statistics() {
        return statistics;
    }

    /**
     * Says QUIT on the idle connections of the pool for these parameters now; those in use are left, the pool stays.
     *
     * @param  parameters the parameters the connections were opened with
     * @return            how many were closed
     */
    public int closeIdleConnections(SmtpConnectionParameters parameters) {
        ConnectionPool p = pools.get(Objects.requireNonNull(parameters, "parameters"));
        return p == null ? 0 : p.closeIdle();
    }

    /** @return the counts of the pool for these parameters (zeros when there is none) */
    ConnectionPool.Stats poolStats(SmtpConnectionParameters parameters) {
        ConnectionPool p = pools.get(parameters);
        return p == null ? new ConnectionPool.Stats(0, 0, 0) : p.stats();
    }

    /** @return calls whose letters wait for a connection of the pool for these parameters */
    int waitingCalls(SmtpConnectionParameters parameters) {
        ConnectionPool p = pools.get(parameters);
        return p == null ? 0 : p.waitingCalls();
    }

    /** @return how many connections the pool for these parameters opens now (fewer for a while after a 421) */
    int connectionLimit(SmtpConnectionParameters parameters) {
        ConnectionPool p = pools.get(parameters);
        return p == null ? parameters.pool().maxConnections() : p.limit();
    }

    /**
     * Says QUIT on every pooled connection (one in use is closed when its sender is done with it). A client with
     * threads of its own waits (up to 5 seconds) for its parallel slices to finish, then stops its threads; the
     * threads of a caller are not stopped. Idempotent.
     */
    @Override
    public void close() {
        ScheduledFuture<?> e;
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            e = eviction;
        }
        if (e != null) {
            e.cancel(false);
        }
        for (ConnectionPool p : pools.values()) {
            p.close();
        }
        statistics.stopReadingPoolsFrom(poolsView);
        if (ownsThreads) {
            senders.shutdown();
            try {
                if (!senders.awaitTermination(5, TimeUnit.SECONDS)) {
                    senders.shutdownNow();
                }
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                senders.shutdownNow();
            }
            timer.shutdownNow(); // after the senders: the write watchdog bounds their last writes
        }
    }

    // ------------------------------------------------------------------------------------------ internals

    private SliceSender.Lease acquire(SmtpConnectionParameters params, boolean wait) throws IOException {
        while (true) {
            ConnectionPool p = pool(params);
            try {
                return new SliceSender.Lease(p, p.acquire(wait));
            } catch (ConnectionPool.RetiredException e) {
                pools.remove(params, p); // retired by the eviction meanwhile: take a fresh pool
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
            if (eviction == null) {
                eviction = timer.scheduleWithFixedDelay(this::evict, 1, 1, TimeUnit.SECONDS);
            }
            return pools.computeIfAbsent(params, k -> {
                ConnectionPool created = new ConnectionPool(k, this::openForPool, watchdog, validateAfter);
                created.driverStarter(this::startDriver);
                return created;
            });
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("SmtpClient is closed");
        }
    }

    /** Runs the idle eviction now (as the client's timer does every second); for tests. */
    void evictIdleConnections() {
        evict();
    }

    private void evict() {
        try {
            for (var entry : pools.entrySet()) {
                ConnectionPool p = entry.getValue();
                p.evictIdle();
                p.expireWaiting();
                if (p.retireIfUnused()) {
                    pools.remove(entry.getKey(), p);
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("idle connection eviction failed", e);
        }
    }

    /** Runs a stream driver on a sender thread; on the calling thread when the executor takes no more tasks. */
    private void startDriver(ConnectionPool p) {
        StreamDriver driver = new StreamDriver(p, writer, chunkSize, validateAfter.toNanos(), statistics);
        try {
            senders.execute(driver::run);
        } catch (RejectedExecutionException e) {
            driver.run();
        }
    }

    /** Daemon threads named {@code prefix} followed by a count when {@code numbered}. */
    private static ThreadFactory daemonThreads(String prefix, boolean numbered) {
        AtomicInteger count = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, numbered ? prefix + count.incrementAndGet() : prefix);
            t.setDaemon(true);
            return t;
        };
    }
}
