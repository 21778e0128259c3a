package io.github.smtpletter.smtp;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.smtpletter.letter.Letter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a contiguous slice of a batch one letter after the other over one connection at a time, replacing the
 * connection when it is lost. With PIPELINING and DATA the end of one letter goes out in the same flight as the next
 * letter's MAIL, RCPT and DATA (RFC 2920 section 3.1): one round trip per letter; with CHUNKING a short letter's
 * whole transaction (MAIL, RCPT, BDAT LAST) goes with the next one's. Two lost connections in a row
 * without a letter getting through fail the rest of the slice.
 */
final class SliceSender {

    /** Where the sender gets its connections. */
    interface Connections {
        /**
         * @param wait whether to wait (up to the connect timeout) for a connection when all are in use
         * @return a READY session, to be released
         */
        Lease acquire(SmtpConnectionParameters params, boolean wait) throws IOException;
    }

    /** A session and the pool it goes back to. */
    record Lease(ConnectionPool pool, SmtpSession session) {
        void release() {
            pool.release(session);
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(SliceSender.class);

    private final Connections connections;
    private final MessageWriter writer;
    private final int chunkSize;
    private final long aliveNanos;
    private final SmtpStatistics statistics;

    /**
     * @param alive      see {@link SmtpTransaction}: the client passes its NOOP threshold
     * @param statistics counts the bytes written per server
     */
    SliceSender(Connections connections, MessageWriter writer, int chunkSize, Duration alive,
                SmtpStatistics statistics) {
        this.connections = connections;
        this.statistics = statistics;
        this.writer = writer;
        this.chunkSize = chunkSize;
        this.aliveNanos = alive.toNanos();
    }

    /**
     * Sends {@code letters[from, to)} and fills their results.
     *
     * @param initial  a connection already acquired for this slice (released here), or {@code null}
     * @param optional an extra parallel slice: when no connection can be had at once (all in use, or opening one
     *                 fails) nothing is sent and {@code false} is returned, so the caller sends the slice itself
     * @param stop     when set, no further letter is started: the rest of the slice is FAILED (retryable) as not
     *                 started; a letter whose end was already sent ahead of the next one is still completed
     * @return whether the slice was handled (every result filled)
     */
    boolean send(SmtpConnectionParameters params, Lease initial, List<Letter> letters, int from, int to,
                 SendResult[] results, boolean optional, AtomicBoolean stop) {
        Lease lease = initial;
        if (lease == null && optional) {
            try {
                lease = connections.acquire(params, false);
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
                        lease = connections.acquire(params, true);
                    } catch (IOException | RuntimeException e) {
                        failAll(letters, i, to, results, e);
                        return true;
                    }
                }
                SmtpSession session = lease.session();
                int max = params.pool().maxMessagesPerConnection();
                boolean nextFollowsHere = i + 1 < to && (max == 0 || session.transactions() + 1 < max)
                                          && !stop.get();
                SmtpTransaction tx = new SmtpTransaction(session, letters.get(i), writer, chunkSize, aliveNanos,
                        deferred, nextFollowsHere);
                long written = session.bytesWritten();
                SmtpTransaction.Outcome o = tx.run();
                statistics.bytesSent(params.server(), session.bytesWritten() - written);
                if (deferred != null) {
                    SmtpTransaction.Outcome earlier = deferred.resolvedOutcome();
                    results[deferredIndex] = earlier != null ? earlier.result()
                            : SendResult.unknown(letters.get(deferredIndex).messageId(), "the end of the message "
                                                                                         + "was sent but its reply could not be read",
                                    List.of(), List.of());
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
                                  + "sending it again on a new connection", session.endpoint(),
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
                    String why = "not attempted: connections to " + session.endpoint()
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
                                                                             + why
                                                                             + "); the message may have been sent", List
                                                                                     .of(), List.of())
                            : SendResult.failed(letters.get(j).messageId(), "not started: an earlier letter "
                                                                            + "failed unexpectedly (" + why + ")",
                                    false);
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

    /** Fails letters not sent; an I/O failure is retryable unless the server refused permanently, a bug is not. */
    static void failAll(List<Letter> letters, int from, int to, SendResult[] results, Exception e) {
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
}
