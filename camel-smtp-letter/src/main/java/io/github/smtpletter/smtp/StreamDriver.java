package io.github.smtpletter.smtp;

import java.io.IOException;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives one pooled connection through the letters waiting in its pool, first come first served, across calls: the
 * thread holding the connection takes the next waiting letters right after the current letter, so with PIPELINING and
 * DATA the end of one letter goes out in the same flight as the next letter's MAIL, RCPT and DATA (RFC 2920 section
 * 3.1) whichever call they come from: one round trip per letter (with CHUNKING, a short letter's replies are read
 * after the next whole letter went: two letters per round trip). Every call gets its results as soon as the replies
 * to its letters are read, and one letter's outcome never decides a neighbour's: a connection lost after a letter's
 * end of data makes that letter UNKNOWN, the letters after it are FAILED (retryable) or go on a new connection, as
 * {@link SliceSender} does within one call. The driver ends, giving the connection back, when no letters wait.
 */
final class StreamDriver {

    private static final Logger LOG = LoggerFactory.getLogger(StreamDriver.class);

    private final ConnectionPool pool;
    private final MessageWriter writer;
    private final int chunkSize;
    private final long aliveNanos;
    private final SmtpConnectionParameters params;
    private final SmtpStatistics statistics;

    private SmtpSession session; // the leased session, or null
    /** A letter whose end went out ahead of the next letter's commands; its reply comes with theirs. */
    private SmtpTransaction deferred;
    private QueuedLetters deferredCall;
    private int deferredIndex;
    /**
     * The result of a call's last letter, held back after the connection went back: set on this thread when the
     * driver then finds nothing more to do, which spares a hand-off to the completion executor.
     */
    private QueuedLetters lastCall;
    private int lastIndex;
    private SendResult lastResult;

    StreamDriver(ConnectionPool pool, MessageWriter writer, int chunkSize, long aliveNanos, SmtpStatistics statistics) {
        this.pool = pool;
        this.statistics = statistics;
        this.writer = writer;
        this.chunkSize = chunkSize;
        this.aliveNanos = aliveNanos;
        this.params = pool.params();
    }

    /** Takes waiting letters until none wait; then gives the connection back and ends. */
    void run() {
        QueuedLetters call = pool.next(true, true);
        while (call != null && session == null) {
            try {
                session = pool.tryAcquire();
            } catch (IOException | RuntimeException e) {
                if (refusedForNow(e) && pool.shrinkAfterRefusal()) {
                    pool.giveBack(call); // the connections open take the letters
                    return;
                }
                fail(call, 0, e); // every call gets its own attempt, as every caller did on its own
                call = pool.next(false, true);
                continue;
            }
            if (session == null) {
                pool.giveBack(call); // every connection in use: a release starts a driver again
                return;
            }
        }
        try {
            while (call != null) {
                QueuedLetters following = send(call);
                call = following != null ? following : pool.next(false, true);
                completeLast(call == null); // null: this driver ended and holds nothing, so it completes here
            }
        } finally {
            completeLast(false);
            if (deferred != null) {
                // only after an unexpected exception: a deferred end is always followed by the next letter
                deferredCall.result(deferredIndex, SendResult.unknown(deferredCall.letter(deferredIndex).messageId(),
                        "the end of the message was written but its reply was never read", List.of(), List.of()));
                if (session != null) {
                    session.abort();
                }
            }
            if (session != null) {
                pool.release(session);
            }
        }
    }

    /**
     * Sends one call's letters. When its last letter may leave its end unanswered, the next waiting call is taken
     * first, so that its first letter's commands join that end in one flight.
     *
     * @return the call taken to follow on this connection, or {@code null}
     */
    private QueuedLetters send(QueuedLetters call) {
        int lossesInARow = 0;
        boolean retried = false;
        QueuedLetters following = null;
        int current = 0;
        try {
            for (int i = 0; i < call.size(); i++) {
                current = i;
                if (session == null) {
                    try {
                        session = pool.acquire(true);
                    } catch (IOException | RuntimeException e) {
                        fail(call, i, e);
                        return following; // its letters get their own attempt
                    }
                }
                int max = params.pool().maxMessagesPerConnection();
                boolean room = max == 0 || session.transactions() + 1 < max;
                boolean last = i + 1 == call.size();
                if (last && room && following == null) {
                    following = pool.next(false, false);
                }
                boolean nextFollowsHere = room && (!last || following != null);
                SmtpTransaction tx = new SmtpTransaction(session, call.letter(i), writer, chunkSize, aliveNanos,
                        deferred, nextFollowsHere);
                long written = session.bytesWritten();
                SmtpTransaction.Outcome o = tx.run();
                statistics.bytesSent(params.server(), session.bytesWritten() - written);
                resolveDeferred();
                if (o.deferred()) {
                    deferred = tx; // its result comes with the next letter's replies, in the same round trip
                    deferredCall = call;
                    deferredIndex = i;
                    retried = false;
                    lossesInARow = 0;
                    continue;
                }
                boolean reused = session.isReused();
                String endpoint = session.endpoint();
                if (!o.sessionUsable() || (max > 0 && session.transactions() >= max)) {
                    pool.release(session);
                    session = null;
                }
                if (!o.sessionUsable()) {
                    if (o.retrySafe() && reused && !retried) {
                        LOG.debug("connection to {} was closed by the server before letter {} was accepted; "
                                  + "sending it again on a new connection", endpoint, call.letter(i).messageId());
                        retried = true;
                        i--;
                        continue;
                    }
                    lossesInARow++;
                } else {
                    lossesInARow = 0;
                }
                retried = false;
                if (last && following == null && session != null) {
                    following = pool.next(false, false);
                    if (following == null) {
                        // nothing waits: the connection goes back before the caller hears of its last result
                        pool.release(session);
                        session = null;
                        lastCall = call;
                        lastIndex = i;
                        lastResult = o.result();
                        return null;
                    }
                }
                call.result(i, o.result());
                if (lossesInARow >= 2 && !last) {
                    call.failFrom(i + 1, "not attempted: connections to " + endpoint + " were lost repeatedly (last: "
                                         + o.result().error() + ")", true, null);
                    return following;
                }
            }
            return following;
        } catch (RuntimeException e) {
            // a bug rather than a letter's own failure; keep the results of the letters already sent
            LOG.warn("unexpected failure sending letters of {}", params.server().address(), e);
            String why = e.getMessage() != null ? e.getMessage() : e.toString();
            if (!call.has(current) && (deferred == null || deferredCall != call || deferredIndex != current)) {
                call.result(current, SendResult.unknown(call.letter(current).messageId(), "sending failed "
                                                                                          + "unexpectedly (" + why
                                                                                          + "); the message may have been sent",
                        List.of(), List.of()));
            }
            for (int j = current + 1; j < call.size(); j++) {
                call.result(j, SendResult.failed(call.letter(j).messageId(), "not started: an earlier letter failed "
                                                                             + "unexpectedly (" + why + ")", false));
            }
            if (session != null && deferred == null) {
                session.abort();
            }
            if (following != null) {
                following.failFrom(0, "not started: an earlier letter failed unexpectedly (" + why + ")", true,
                        null);
            }
            return null;
        }
    }

    private void completeLast(boolean here) {
        if (lastCall != null) {
            QueuedLetters c = lastCall;
            lastCall = null;
            c.result(lastIndex, lastResult, here);
        }
    }

    /** The deferred letter's reply was read by the transaction that followed it (or was lost with the connection). */
    private void resolveDeferred() {
        if (deferred == null) {
            return;
        }
        SmtpTransaction.Outcome earlier = deferred.resolvedOutcome();
        deferredCall.result(deferredIndex, earlier != null ? earlier.result()
                : SendResult.unknown(deferredCall.letter(deferredIndex).messageId(), "the end of the message was "
                                                                                     + "sent but its reply could not be read",
                        List.of(), List.of()));
        deferred = null;
        deferredCall = null;
    }

    /** Whether opening a connection failed on a 421 (at the greeting or EHLO: too many connections, for now). */
    private static boolean refusedForNow(Exception e) {
        return e instanceof SmtpException se && se.reply() != null && se.reply().code() == ReplyCode.SERVICE_CLOSING;
    }

    private static void fail(QueuedLetters call, int from, Exception e) {
        if (e instanceof RuntimeException) {
            LOG.warn("unexpected failure opening a connection", e);
        }
        boolean retryable = e instanceof IOException && (!(e instanceof SmtpException se) || se.isRetryable());
        String why = e.getMessage() != null ? e.getMessage() : e.toString();
        LOG.debug("cannot send {} letter(s): {}", call.size() - from, why);
        call.failFrom(from, why, retryable, e instanceof SmtpException se ? se.reply() : null);
    }
}
