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
            if (!permits.tryAcquire(waitNanos, TimeUnit.NANOSECONDS)) {
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
        if (!retired && open == 0 && users == 0) {
            retired = true;
        }
        return retired;
    }

    /** QUITs idle sessions; leased ones are closed when released. */
    void close() {
        List<SmtpSession> toClose;
        synchronized (this) {
            closed = true;
            toClose = new ArrayList<>(idle);
            idle.clear();
        }
        for (SmtpSession s : toClose) {
            closeSession(s, "client closed");
        }
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
