package io.github.smtpletter.smtp;

import java.net.SocketTimeoutException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds blocking socket writes. Java's blocking sockets have no write timeout: a server that stops reading (while
 * the client sends a message body, or a pipelined flight) would block the sending thread forever once the socket
 * buffers are full. Every open session's output is registered here; while any is registered, one daemon thread
 * looks every {@value #PERIOD_MILLIS} ms for a write that has been blocked longer than its limit (the read timeout)
 * and closes that connection, which makes the blocked write fail. The thread stops when no session is open.
 */
final class WriteWatchdog {

    /** A write that made no progress within the limit. */
    static final class WriteTimeoutException extends SocketTimeoutException {
        private static final long serialVersionUID = 1L;

        WriteTimeoutException(String message) {
            super(message);
        }
    }

    /** What the watchdog watches: a stream that knows since when its current write is blocked. */
    interface Watched {
        /** @return {@link System#nanoTime()} when the current write started, 0 when no write is under way */
        long writingSinceNanos();

        /** @return how long a write may take */
        long limitNanos();

        /** Called from the watchdog thread when the current write exceeded the limit: fail it. */
        void expire();
    }

    static final long PERIOD_MILLIS = 100;

    private static final Logger LOG = LoggerFactory.getLogger(WriteWatchdog.class);
    private static final Set<Watched> WATCHED = ConcurrentHashMap.newKeySet();
    private static final Object LOCK = new Object();
    private static ScheduledExecutorService timer; // guarded by LOCK
    private static ScheduledFuture<?> task;        // guarded by LOCK

    private WriteWatchdog() {
    }

    static void watch(Watched w) {
        WATCHED.add(w);
        synchronized (LOCK) {
            if (task == null) {
                if (timer == null) {
                    timer = Executors.newSingleThreadScheduledExecutor(r -> {
                        Thread t = new Thread(r, "smtp-letter-write-watchdog");
                        t.setDaemon(true);
                        return t;
                    });
                }
                task = timer.scheduleWithFixedDelay(WriteWatchdog::check, PERIOD_MILLIS, PERIOD_MILLIS,
                        TimeUnit.MILLISECONDS);
            }
        }
    }

    static void unwatch(Watched w) {
        WATCHED.remove(w);
    }

    private static void check() {
        try {
            long now = System.nanoTime();
            for (Watched w : WATCHED) {
                long since = w.writingSinceNanos();
                if (since != 0 && now - since > w.limitNanos()) {
                    WATCHED.remove(w);
                    w.expire();
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("write watchdog check failed", e);
        }
        synchronized (LOCK) {
            if (WATCHED.isEmpty() && task != null) {
                task.cancel(false);
                task = null;
                timer.shutdown(); // its thread ends; a later watch() starts a new one
                timer = null;
            }
        }
    }
}
