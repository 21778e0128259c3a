package io.github.smtpletter.smtp;

import java.net.SocketTimeoutException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds blocking socket writes. Java's blocking sockets have no write timeout: a server that stops reading (while
 * the client sends a message body, or a pipelined flight) would block the sending thread forever once the socket
 * buffers are full. Every open session's output is registered with its client's watchdog; while any is registered,
 * a task on the client's timer looks every {@value #PERIOD_MILLIS} ms for a write that has been blocked longer than
 * its limit (the read timeout) and closes that connection, which makes the blocked write fail. The task is
 * cancelled when no session is open, and scheduled again by the next one.
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

        /** Called from the timer thread when the current write exceeded the limit: fail it. */
        void expire();
    }

    static final long PERIOD_MILLIS = 100;

    private static final Logger LOG = LoggerFactory.getLogger(WriteWatchdog.class);

    private final ScheduledExecutorService timer;
    private final Set<Watched> watched = ConcurrentHashMap.newKeySet();
    private final Object lock = new Object();
    private ScheduledFuture<?> task; // guarded by lock

    /** @param timer runs the periodic check; owned by the caller */
    WriteWatchdog(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    /** Watches a stream until {@link #unwatch}; starts the periodic check when it is not running. */
    void watch(Watched w) {
        watched.add(w);
        synchronized (lock) {
            if (task == null) {
                task = timer.scheduleWithFixedDelay(this::check, PERIOD_MILLIS, PERIOD_MILLIS,
                        TimeUnit.MILLISECONDS);
            }
        }
    }

    void unwatch(Watched w) {
        watched.remove(w);
    }

    private void check() {
        try {
            long now = System.nanoTime();
            for (Watched w : watched) {
                long since = w.writingSinceNanos();
                if (since != 0 && now - since > w.limitNanos()) {
                    watched.remove(w);
                    w.expire();
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("write watchdog check failed", e);
        }
        synchronized (lock) {
            if (watched.isEmpty() && task != null) {
                task.cancel(false); // a later watch() schedules it again
                task = null;
            }
        }
    }
}
