package io.github.smtpletter.smtp;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The socket's output stream as a session sees it: remembers the first write failure, to tell network failures from
 * content failures, and is watched by the {@link WriteWatchdog}: a write blocked longer than the read timeout (the
 * server takes no data) closes the connection and fails with a {@link WriteWatchdog.WriteTimeoutException}. Every
 * failure thrown from here is the first one recorded.
 */
final class TrackingOutputStream extends FilterOutputStream implements WriteWatchdog.Watched {

    private static final Logger LOG = LoggerFactory.getLogger(TrackingOutputStream.class);

    private final Duration limit;
    private final String sessionId;
    private final String endpoint;
    private final Socket rawSocket;
    private volatile IOException failure;
    private volatile long writingSince;
    private long written; // by the writing thread only

    /**
     * @param out       the socket's stream
     * @param limit     how long one write may stay blocked
     * @param sessionId the session, for the log
     * @param endpoint  {@code host:port}, for the message
     * @param rawSocket the TCP socket to close when a write stays blocked too long
     */
    TrackingOutputStream(OutputStream out, Duration limit, String sessionId, String endpoint, Socket rawSocket) {
        super(out);
        this.limit = limit;
        this.sessionId = sessionId;
        this.endpoint = endpoint;
        this.rawSocket = rawSocket;
    }

    /** @return the bytes written through this stream so far; read by the thread that writes */
    long written() {
        return written;
    }

    /** @return the first I/O failure of this stream, or {@code null} */
    IOException failure() {
        return failure;
    }

    @Override
    public void write(int b) throws IOException {
        begin();
        try {
            out.write(b);
            written++;
        } catch (IOException e) {
            throw fail(e);
        } finally {
            writingSince = 0;
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        begin();
        try {
            out.write(b, off, len);
            written += len;
        } catch (IOException e) {
            throw fail(e);
        } finally {
            writingSince = 0;
        }
    }

    @Override
    public void flush() throws IOException {
        begin();
        try {
            out.flush();
        } catch (IOException e) {
            throw fail(e);
        } finally {
            writingSince = 0;
        }
    }

    private void begin() {
        long now = System.nanoTime();
        writingSince = now == 0 ? 1 : now;
    }

    private synchronized IOException fail(IOException e) {
        if (failure == null) {
            failure = e;
        }
        return failure;
    }

    @Override
    public long writingSinceNanos() {
        return writingSince;
    }

    @Override
    public long limitNanos() {
        return limit.toNanos();
    }

    @Override
    public void expire() {
        fail(new WriteWatchdog.WriteTimeoutException("server " + endpoint + " took no data for "
                                                     + limit.toMillis() + " ms"));
        LOG.debug("[{}] {}; closing the connection", sessionId, failure.getMessage());
        try {
            rawSocket.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }
}
