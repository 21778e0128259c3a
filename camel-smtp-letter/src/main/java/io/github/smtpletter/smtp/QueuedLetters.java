package io.github.smtpletter.smtp;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.github.smtpletter.letter.Letter;

/**
 * The letters of one call waiting in a pool's queue for a connection's stream (see {@link StreamDriver}), and their
 * results. Completed once every letter has its result: on the thread that read the last reply, or handed to an
 * executor so that whatever the caller does next never holds up the connection's stream (unless that thread has
 * already given its connection back and has nothing else to do).
 */
final class QueuedLetters {

    private final List<Letter> letters;
    private final SendResult[] results;
    private final CompletableFuture<List<SendResult>> future = new CompletableFuture<>();
    /** Runs the completion, or {@code null} to complete on the driving thread (a caller blocked waiting). */
    private final Executor completion;
    private final long deadlineNanos;
    private int filled; // guarded by this
    /** Whether a connection's driver took the letters (guarded by the pool's lock). */
    volatile boolean started;
    /** The pool whose queue the letters went to, or {@code null} when they were FAILED at once. */
    volatile ConnectionPool pool;

    /**
     * @param completion    where the future is completed, or {@code null} for the thread that filled the last result
     * @param deadlineNanos {@link System#nanoTime()} after which letters not yet started are FAILED
     */
    QueuedLetters(List<Letter> letters, Executor completion, long deadlineNanos) {
        this.letters = letters;
        this.results = new SendResult[letters.size()];
        this.completion = completion;
        this.deadlineNanos = deadlineNanos;
    }

    int size() {
        return letters.size();
    }

    Letter letter(int i) {
        return letters.get(i);
    }

    List<Letter> letters() {
        return letters;
    }

    boolean expired(long now) {
        return now - deadlineNanos >= 0;
    }

    long deadlineNanos() {
        return deadlineNanos;
    }

    CompletableFuture<List<SendResult>> future() {
        return future;
    }

    /** Sets the result of letter {@code i} (the first one set wins); completes the future with the last. */
    void result(int i, SendResult r) {
        result(i, r, false);
    }

    /**
     * Like {@link #result(int, SendResult)}; with {@code here}, a completion runs on this thread rather than on the
     * executor (for a thread that holds no connection and has nothing else to do).
     */
    void result(int i, SendResult r, boolean here) {
        boolean complete;
        synchronized (this) {
            if (results[i] != null) {
                return;
            }
            results[i] = r;
            complete = ++filled == results.length;
        }
        if (complete) {
            complete(here);
        }
    }

    /** Whether letter {@code i} has its result. */
    synchronized boolean has(int i) {
        return results[i] != null;
    }

    /** FAILED for every letter from {@code from} on that has no result yet. */
    void failFrom(int from, String why, boolean retryable, SmtpReply reply) {
        for (int i = from; i < results.length; i++) {
            result(i, SendResult.failed(letters.get(i).messageId(), why, retryable, reply, List.of()));
        }
    }

    private void complete(boolean here) {
        List<SendResult> list;
        synchronized (this) {
            list = List.of(results);
        }
        if (completion != null && !here) {
            try {
                completion.execute(() -> future.complete(list));
                return;
            } catch (RejectedExecutionException e) {
                // the executor is shutting down: complete here
            }
        }
        future.complete(list);
    }

    /**
     * Waits for queued letters: letters no connection took within the connect timeout are FAILED, and so are those
     * not started when the caller is interrupted (the flag is kept); letters started are awaited, bounded by the
     * timeouts and the write watchdog.
     */
    List<SendResult> await() {
        QueuedLetters q = this;
        ConnectionPool p = q.pool;
        long slice = q.deadlineNanos() - System.nanoTime();
        while (true) {
            long left = q.deadlineNanos() - System.nanoTime();
            try {
                if (p == null) {
                    return awaitUninterruptibly(q, false);
                }
                if (left <= 0) {
                    p.expire(q);
                    if (q.started || q.future().isDone()) {
                        return awaitUninterruptibly(q, false);
                    }
                    left = Math.max(slice / 4, TimeUnit.MILLISECONDS.toNanos(10)); // a free connection takes them
                }
                return q.future().get(left, TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                // loop: FAILED unless a connection takes the letters
            } catch (InterruptedException e) {
                p.cancel(q, "not started: interrupted");
                return awaitUninterruptibly(q, true);
            } catch (ExecutionException e) {
                throw new IllegalStateException("sending failed unexpectedly", e.getCause());
            }
        }
    }

    private static List<SendResult> awaitUninterruptibly(QueuedLetters q, boolean wasInterrupted) {
        boolean interrupted = wasInterrupted;
        try {
            while (true) {
                try {
                    return q.future().get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    throw new IllegalStateException("sending failed unexpectedly", e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

}
