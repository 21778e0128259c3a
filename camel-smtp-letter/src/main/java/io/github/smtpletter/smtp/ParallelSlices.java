package io.github.smtpletter.smtp;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import io.github.smtpletter.letter.Letter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a large batch of one call in contiguous slices, in parallel over up to {@code maxConnections} connections:
 * the caller sends the first slice, sender threads the others when a connection is free at once, and the caller
 * sends the slices that found none afterwards.
 */
final class ParallelSlices {

    private static final Logger LOG = LoggerFactory.getLogger(ParallelSlices.class);
    private static final AtomicBoolean NEVER_STOP = new AtomicBoolean();

    private final SliceSender sliceSender;
    private final SliceSender.Connections connections;
    /** The sender threads, or {@code null} once the client is closed. */
    private final Supplier<ExecutorService> senders;

    ParallelSlices(SliceSender sliceSender, SliceSender.Connections connections, Supplier<ExecutorService> senders) {
        this.sliceSender = sliceSender;
        this.connections = connections;
        this.senders = senders;
    }

    /** @return one result per letter, same order */
    List<SendResult> send(SmtpConnectionParameters parameters, List<Letter> letters) {
        int n = letters.size();
        SendResult[] results = new SendResult[n];
        SliceSender.Lease first;
        try {
            first = connections.acquire(parameters, true);
        } catch (IOException | RuntimeException e) {
            SliceSender.failAll(letters, 0, n, results, e);
            return List.of(results);
        }
        int slices = Math.min(parameters.pool().maxConnections(), (n + SmtpClient.PARALLEL_THRESHOLD - 1)
                / SmtpClient.PARALLEL_THRESHOLD);
        if (slices == 1) {
            sliceSender.send(parameters, first, letters, 0, n, results, false, NEVER_STOP);
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
            ExecutorService executor = senders.get();
            for (int s = 1; s < slices; s++) {
                int from = bounds[s];
                int to = bounds[s + 1];
                Future<Boolean> f = null; // null: not submitted, the caller sends the slice afterwards
                if (executor != null) {
                    try {
                        f = executor.submit(() -> sliceSender.send(parameters, null, letters, from, to, results, true,
                                stop));
                    } catch (RejectedExecutionException e) {
                        LOG.debug("letters {}..{} not handed to a sender thread: {}", from, to - 1, e.toString());
                    }
                }
                futures.add(f);
            }
            firstHandedOver = true; // the slice sender releases it
            sliceSender.send(parameters, first, letters, 0, bounds[1], results, false, stop);
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
                                                                            + "message may have been sent", List.of(),
                        List.of());
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
                    sliceSender.send(parameters, null, letters, bounds[s], bounds[s + 1], results, false, stop);
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
}
