package io.github.smtpletter.smtp;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sessions to one server with one set of {@link SmtpConnectionParameters}: at most
 * {@link SmtpPoolSettings#maxConnections()} open at once (callers wait up to the connect timeout for one),
 * idle ones kept for {@link SmtpPoolSettings#idleTimeout()}, checked before every reuse without a round trip
 * ({@link SmtpSession#isQuiet()}: not closed by the server, no unsolicited 421) and with NOOP when idle for a
 * while, closed after {@link SmtpPoolSettings#maxMessagesPerConnection()} transactions. Thread-safe.
 */
final class ConnectionPool {

    /** Opens a READY session; replaced in tests. */
    interface SessionFactory {
        SmtpSession open(SmtpConnectionParameters params, WriteWatchdog watchdog) throws IOException;
    }

    /** Thrown by {@link #acquire()} on a pool that was retired (removed from the client); ask the client again. */
    static final class RetiredException extends IOException {
        private static final long serialVersionUID = 1L;

        RetiredException() {
            super("connection pool retired");
        }
    }

    /** Counts for tests and monitoring. */
    record Stats(int open, int idle, int leased) {
    }

    /** Starts a {@link StreamDriver} for the pool on a thread of the client's. */
    interface DriverStarter {
        void start(ConnectionPool pool);
    }

    /** How long the pool stays smaller after a server refused a further connection with 421. */
    static final Duration SHRINK_PERIOD = Duration.ofSeconds(60);

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionPool.class);

    private final SmtpConnectionParameters params;
    private final SessionFactory factory;
    private final WriteWatchdog watchdog;
    private final long validateAfterNanos;
    private final Semaphore permits;
    private final Deque<SmtpSession> idle = new ArrayDeque<>(); // guarded by this; most recently used first
    private int open;       // guarded by this: sessions open (idle + leased)
    private int leased;     // guarded by this
    private int users;      // guarded by this: callers inside acquire() or holding a lease
    private boolean closed; // guarded by this
    private boolean retired; // guarded by this
    /** Calls waiting for a connection's stream, first come first served (guarded by this). */
    private final Deque<QueuedLetters> waiting = new ArrayDeque<>();
    private DriverStarter starter;
    private int drivers;  // guarded by this: stream drivers running
    private int starting; // guarded by this: drivers started that have not taken letters yet
    private int shrunkLimit;       // guarded by this
    private long shrunkUntilNanos; // guarded by this
    private boolean shrunk;        // guarded by this

    ConnectionPool(SmtpConnectionParameters params, SessionFactory factory, WriteWatchdog watchdog,
                   Duration validateAfter) {
        this.params = params;
        this.factory = factory;
        this.watchdog = watchdog;
        this.validateAfterNanos = validateAfter.toNanos();
        this.permits = new Semaphore(params.pool().maxConnections(), true);
    }

    /**
     * A READY session: an idle one (checked with NOOP when idle longer than the validation threshold) or a new one.
     * Must be given back with {@link #release(SmtpSession)}.
     *
     * @throws SmtpException when no connection is free within the connect timeout, or opening one fails
     */
    SmtpSession acquire() throws IOException {
        return acquire(true);
    }

    /**
     * Like {@link #acquire()}; with {@code wait=false} fails at once when every connection is in use.
     */
    SmtpSession acquire(boolean wait) throws IOException {
        return acquire(wait, false);
    }

    /** @param nullWhenBusy return {@code null} rather than fail when every connection is in use (and not wait) */
    private SmtpSession acquire(boolean wait, boolean nullWhenBusy) throws IOException {
        synchronized (this) {
            if (retired) {
                throw new RetiredException();
            }
            if (closed) {
                throw new SmtpException("SMTP client is closed", null, false);
            }
            users++;
        }
        boolean ok = false;
        try {
            long waitNanos = wait ? params.timeouts().connectTimeout().toNanos() : 0;
            if (nullWhenBusy ? !permits.tryAcquire() : !permits.tryAcquire(waitNanos, TimeUnit.NANOSECONDS)) {
                if (nullWhenBusy) {
                    return null;
                }
                throw new SmtpException("no free connection to " + params.server().address()
                                        + " within " + params.timeouts().connectTimeout().toMillis()
                                        + " ms (maxConnections="
                                        + params.pool().maxConnections() + ")", null, true);
            }
            try {
                SmtpSession s = reuseIdle();
                if (s == null) {
                    s = factory.open(params, watchdog);
                    synchronized (this) {
                        open++;
                    }
                }
                synchronized (this) {
                    leased++;
                }
                s.markLeased();
                ok = true;
                return s;
            } finally {
                if (!ok) {
                    permits.release();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SmtpException("interrupted while waiting for a connection", null, true, e);
        } finally {
            if (!ok) {
                synchronized (this) {
                    users--;
                }
            }
        }
    }

    private SmtpSession reuseIdle() {
        while (true) {
            SmtpSession s;
            synchronized (this) {
                s = idle.pollFirst();
            }
            if (s == null) {
                return null;
            }
            long idleNanos = System.nanoTime() - s.lastUsedNanos();
            if (idleNanos >= params.pool().idleTimeout().toNanos()) {
                closeSession(s, "idle timeout");
            } else if (!s.isQuiet()) {
                discard(s, "closed by the server while idle");
            } else if (idleNanos >= validateAfterNanos && !s.isAlive()) {
                discard(s, "failed the liveness check");
            } else {
                return s;
            }
        }
    }

    /** Gives a session back: kept idle when still usable and allowed more transactions, else closed. */
    void release(SmtpSession s) {
        try {
            boolean keep;
            synchronized (this) {
                leased--;
                users--;
                int max = params.pool().maxMessagesPerConnection();
                keep = !closed && s.isUsable() && (max == 0 || s.transactions() < max)
                       && !params.pool().idleTimeout().isZero();
                if (keep) {
                    idle.addFirst(s);
                }
            }
            if (!keep) {
                if (s.isUsable()) {
                    closeSession(s, "released");
                } else {
                    discard(s, "not reusable");
                }
            }
        } finally {
            permits.release();
            dispatch();
        }
    }

    /**
     * Closes idle sessions unused for longer than the idle timeout, and drops those the server closed or announced
     * closing meanwhile ({@link SmtpSession#isQuiet()}, a non-blocking check done under the pool's lock).
     */
    void evictIdle() {
        List<SmtpSession> expired = new ArrayList<>();
        List<SmtpSession> dead = new ArrayList<>();
        long now = System.nanoTime();
        synchronized (this) {
            for (Iterator<SmtpSession> it = idle.iterator(); it.hasNext();) {
                SmtpSession s = it.next();
                if (now - s.lastUsedNanos() >= params.pool().idleTimeout().toNanos()) {
                    it.remove();
                    expired.add(s);
                } else if (!s.isQuiet()) {
                    it.remove();
                    dead.add(s);
                }
            }
        }
        for (SmtpSession s : expired) {
            closeSession(s, "idle timeout");
        }
        for (SmtpSession s : dead) {
            discard(s, "closed by the server while idle");
        }
    }

    /** Marks the pool retired when nothing is open and nobody uses it; it then refuses {@link #acquire()}. */
    synchronized boolean retireIfUnused() {
        if (!retired && open == 0 && users == 0 && drivers == 0 && waiting.isEmpty()) {
            retired = true;
        }
        return retired;
    }

    /** QUITs idle sessions (leased ones are closed when released); letters still waiting are FAILED. */
    void close() {
        List<SmtpSession> toClose;
        List<QueuedLetters> notStarted;
        synchronized (this) {
            closed = true;
            toClose = new ArrayList<>(idle);
            idle.clear();
            notStarted = new ArrayList<>(waiting);
            waiting.clear();
        }
        for (QueuedLetters q : notStarted) {
            q.failFrom(0, "SMTP client is closed", false, null);
        }
        for (SmtpSession s : toClose) {
            closeSession(s, "client closed");
        }
    }

    // ------------------------------------------------------------------------------------------ streams

    void driverStarter(DriverStarter starter) {
        this.starter = starter;
    }

    /**
     * Queues the letters of a call for the next connection free to take them, first come first served: a busy
     * connection takes them right after its current letter (in the same flight as its end of data), and a new
     * connection is opened for them while fewer than {@link #limit()} are open.
     *
     * @throws RetiredException when the pool was retired meanwhile: ask the client for its current pool
     */
    void submit(QueuedLetters letters) throws RetiredException {
        synchronized (this) {
            if (retired) {
                throw new RetiredException();
            }
            if (!closed) {
                waiting.addLast(letters);
                letters = null;
            }
        }
        if (letters != null) {
            letters.failFrom(0, "SMTP client is closed", false, null);
            return;
        }
        dispatch();
    }

    /** Starts drivers for waiting letters no driver is about to take, up to {@link #limit()}. */
    void dispatch() {
        int start = 0;
        synchronized (this) {
            while (!closed && waiting.size() > starting && drivers < limit()) {
                drivers++;
                starting++;
                start++;
            }
        }
        for (int i = 0; i < start; i++) {
            starter.start(this);
        }
    }

    /**
     * For a driver: the next waiting letters, marked started. A driver that already holds a connection takes only
     * letters no starting driver is on its way to: while the pool may still open connections, letters of concurrent
     * calls go out in parallel on connections of their own, and join a busy connection's stream only when none can
     * be had.
     *
     * @param  first  whether the driver has not taken letters yet
     * @param  retire whether a driver that finds nothing ends (then it is no longer counted)
     * @return        the letters, or {@code null} when none wait (or all are left to starting drivers)
     */
    QueuedLetters next(boolean first, boolean retire) {
        QueuedLetters q;
        synchronized (this) {
            if (first) {
                starting--;
            }
            q = first || waiting.size() > starting ? waiting.pollFirst() : null;
            if (q != null) {
                q.started = true;
            } else if (retire) {
                drivers--;
            }
        }
        return q;
    }

    /** For a driver that took letters but cannot send them now: back to the head of the queue; the driver ends. */
    void giveBack(QueuedLetters q) {
        synchronized (this) {
            q.started = false;
            waiting.addFirst(q);
            drivers--;
        }
        if (permits.availablePermits() > 0) {
            dispatch(); // a connection came free meanwhile, its release may have found no letters waiting
        }
    }

    /**
     * A READY session for a driver, or {@code null} when every connection is in use (the driver gives its letters
     * back; a release starts a driver again).
     */
    SmtpSession tryAcquire() throws IOException {
        return acquire(false, true);
    }

    /**
     * After the server refused a further connection with 421 ("too many connections"): when connections are open,
     * the pool keeps to their number for {@link #SHRINK_PERIOD} and letters wait for them instead of failing.
     *
     * @return whether the pool shrank (other connections are open to take the letters)
     */
    boolean shrinkAfterRefusal() {
        synchronized (this) {
            if (open == 0 || closed) {
                return false;
            }
            shrunkLimit = open;
            shrunkUntilNanos = System.nanoTime() + SHRINK_PERIOD.toNanos();
            shrunk = true;
        }
        LOG.info("server {} refused a further connection with 421; keeping to {} connection(s) for {} s",
                params.server().address(), open(), SHRINK_PERIOD.toSeconds());
        return true;
    }

    private synchronized int open() {
        return open;
    }

    /** @return the most connections the pool opens now: maxConnections, or fewer for a while after a 421 */
    synchronized int limit() {
        if (shrunk && System.nanoTime() - shrunkUntilNanos >= 0) {
            shrunk = false;
        }
        return shrunk ? Math.max(1, shrunkLimit) : params.pool().maxConnections();
    }

    /** @return calls whose letters wait for a connection's stream */
    synchronized int waitingCalls() {
        return waiting.size();
    }

    /**
     * FAILs waiting letters that were not started: on the caller's interrupt or deadline.
     *
     * @return whether the letters were still waiting (and are now FAILED)
     */
    boolean cancel(QueuedLetters q, String why) {
        return cancel(q, why, false);
    }

    /**
     * FAILs waiting letters past their deadline when every connection is in use (a free one is about to take them).
     *
     * @return whether the letters were still waiting (and are now FAILED)
     */
    boolean expire(QueuedLetters q) {
        return cancel(q, noFreeConnection(), true);
    }

    private boolean cancel(QueuedLetters q, String why, boolean onlyWhenBusy) {
        synchronized (this) {
            if (q.started || (onlyWhenBusy && permits.availablePermits() > 0) || !waiting.remove(q)) {
                return false;
            }
        }
        q.failFrom(0, why, true, null);
        return true;
    }

    /** FAILs waiting letters past their deadline (no connection took them within the connect timeout). */
    void expireWaiting() {
        List<QueuedLetters> expired = new ArrayList<>();
        long now = System.nanoTime();
        synchronized (this) {
            if (permits.availablePermits() > 0) {
                return;
            }
            for (Iterator<QueuedLetters> it = waiting.iterator(); it.hasNext();) {
                QueuedLetters q = it.next();
                if (q.expired(now)) {
                    it.remove();
                    expired.add(q);
                }
            }
        }
        for (QueuedLetters q : expired) {
            q.failFrom(0, noFreeConnection(), true, null);
        }
    }

    String noFreeConnection() {
        return "no free connection to " + params.server().address() + " within "
               + params.timeouts().connectTimeout().toMillis() + " ms (maxConnections="
               + params.pool().maxConnections() + ")";
    }

    SmtpConnectionParameters params() {
        return params;
    }

    synchronized Stats stats() {
        return new Stats(open, idle.size(), leased);
    }

    /** @return the callers waiting for a connection now (an estimate, for monitoring) */
    int waiting() {
        return permits.getQueueLength();
    }

    /** @return the server this pool connects to */
    SmtpServer server() {
        return params.server();
    }

    /**
     * QUITs the idle sessions now (leased ones are left alone); the pool stays usable.
     *
     * @return how many were closed
     */
    int closeIdle() {
        List<SmtpSession> toClose;
        synchronized (this) {
            toClose = new ArrayList<>(idle);
            idle.clear();
        }
        for (SmtpSession s : toClose) {
            closeSession(s, "idle connections closed on request");
        }
        return toClose.size();
    }

    private void closeSession(SmtpSession s, String why) {
        LOG.debug("closing {}: {}", s, why);
        s.close();
        synchronized (this) {
            open--;
        }
    }

    private void discard(SmtpSession s, String why) {
        LOG.debug("discarding {}: {}", s, why);
        s.abort();
        synchronized (this) {
            open--;
        }
    }
}
