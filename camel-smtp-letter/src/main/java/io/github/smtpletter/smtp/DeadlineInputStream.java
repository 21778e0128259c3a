package io.github.smtpletter.smtp;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * The socket's input stream as a session reads replies from it: while a deadline is {@link #arm armed}, every read
 * from the socket may block only for the time left until the deadline (the socket's read timeout is set to it before
 * each read), and a read after the deadline fails at once. So a whole reply, however slowly its bytes trickle in,
 * costs at most its bound. Unarmed, reads keep the socket's own read timeout (set back when {@link #disarm
 * disarmed}). Under TLS the remaining time is set before each read of the TLS layer; one TLS record read may take
 * several socket reads, each bounded by the time that was left when it began.
 */
final class DeadlineInputStream extends FilterInputStream {

    /** A reply did not arrive completely within its bound. */
    static final class ReplyTimeoutException extends SocketTimeoutException {
        private static final long serialVersionUID = 1L;

        ReplyTimeoutException(Duration bound) {
            super("no reply within " + bound.toMillis() + " ms");
        }
    }

    private final Socket socket;
    private final int defaultTimeout;
    private Duration bound;
    private long deadlineNanos;

    /**
     * @param in             the socket's input stream
     * @param socket         the socket whose read timeout is set (a TLS socket sets it on the socket under it)
     * @param defaultTimeout the socket's read timeout outside a reply, in milliseconds
     */
    DeadlineInputStream(InputStream in, Socket socket, int defaultTimeout) {
        super(in);
        this.socket = socket;
        this.defaultTimeout = defaultTimeout;
    }

    /** Starts the clock for one reply: it must be read completely within {@code bound}. */
    void arm(Duration bound) {
        this.bound = bound;
        this.deadlineNanos = System.nanoTime() + bound.toNanos();
    }

    /** Stops the clock and sets the socket's read timeout back. */
    void disarm() throws IOException {
        if (bound != null) {
            bound = null;
            if (!socket.isClosed()) {
                socket.setSoTimeout(defaultTimeout);
            }
        }
    }

    @Override
    public int read() throws IOException {
        if (bound == null) {
            return super.read();
        }
        beforeRead();
        try {
            return super.read();
        } catch (SocketTimeoutException e) {
            throw timeout(e);
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (bound == null) {
            return super.read(b, off, len);
        }
        beforeRead();
        try {
            return super.read(b, off, len);
        } catch (SocketTimeoutException e) {
            throw timeout(e);
        }
    }

    private void beforeRead() throws IOException {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
            throw new ReplyTimeoutException(bound);
        }
        socket.setSoTimeout(SocketSupport.millis(Duration.ofNanos(left)));
    }

    private ReplyTimeoutException timeout(SocketTimeoutException cause) {
        ReplyTimeoutException e = new ReplyTimeoutException(bound);
        e.initCause(cause);
        return e;
    }
}
