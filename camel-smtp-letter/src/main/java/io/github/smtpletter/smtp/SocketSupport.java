package io.github.smtpletter.smtp;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;

/**
 * The plain TCP side of a session: opening the connection with its timeouts, and the non-blocking look at an idle
 * connection that tells whether the server said anything (or hung up) since its last reply.
 */
final class SocketSupport {

    private SocketSupport() {
    }

    /**
     * Opens a TCP connection through a {@link SocketChannel}: blocking I/O with timeouts as usual, plus the
     * non-blocking peek of {@link #unsolicited}.
     *
     * @throws SmtpException (retryable) naming the server when it cannot be reached
     */
    static SocketChannel connect(SmtpServer server, SmtpTimeouts timeouts) throws IOException {
        SocketChannel ch = SocketChannel.open();
        Socket plain = ch.socket();
        try {
            plain.setTcpNoDelay(true); // we flush whole flights ourselves
            plain.setSoTimeout(millis(timeouts.readTimeout()));
            plain.connect(new InetSocketAddress(server.host(), server.effectivePort()),
                    millis(timeouts.connectTimeout()));
        } catch (UnknownHostException e) {
            closeQuietly(plain);
            throw new SmtpException("unknown SMTP host " + server.host(), null, true, e);
        } catch (SocketTimeoutException e) {
            closeQuietly(plain);
            throw new SmtpException("cannot connect to " + server.address() + ": no answer within "
                                    + timeouts.connectTimeout().toMillis() + " ms", null, true, e);
        } catch (IOException e) {
            closeQuietly(plain);
            throw new SmtpException("cannot connect to " + server.address() + ": " + e.getMessage(), null, true, e);
        }
        return ch;
    }

    /**
     * Looks, without blocking, for anything received on an idle connection: buffered bytes, or one byte (or the end
     * of the stream) on the channel. Under TLS the channel shows the raw bytes, where anything at all (an alert, a
     * 421) also means the session cannot go on. A byte may be taken off the stream.
     *
     * @param  in          the session's buffered input
     * @param  channel     the TCP channel, or {@code null}
     * @return             {@code null} when nothing arrived, else what did
     * @throws IOException when the check itself fails
     */
    static String unsolicited(InputStream in, SocketChannel channel) throws IOException {
        if (in.available() > 0) {
            return "unsolicited data from the server";
        }
        if (channel == null) {
            return null;
        }
        synchronized (channel.blockingLock()) {
            channel.configureBlocking(false);
            try {
                int n = channel.read(ByteBuffer.allocate(1));
                return n == 0 ? null : n < 0 ? "connection closed by the server" : "unsolicited data from the server";
            } finally {
                channel.configureBlocking(true);
            }
        }
    }

    /**
     * Wraps a network failure with the server and what was going on; retryable.
     *
     * @param  endpoint    {@code host:port}
     * @param  doing       what the session was doing, e.g. "during connection setup"
     * @param  e           the failure
     * @param  readTimeout the read timeout, named when a reply did not come in time
     * @return             the exception to throw
     */
    static SmtpException problem(String endpoint, String doing, IOException e, Duration readTimeout) {
        if (e instanceof SmtpException se) {
            return se;
        }
        String what = e instanceof EOFException ? "connection closed by the server"
                : e instanceof WriteWatchdog.WriteTimeoutException
                  || e instanceof DeadlineInputStream.ReplyTimeoutException ? e.getMessage()
                          : e instanceof SocketTimeoutException ? "no reply within " + readTimeout.toMillis() + " ms"
                                  : e instanceof ConnectException ? e.getMessage()
                                          : e.toString();
        return new SmtpException("SMTP " + endpoint + " " + doing + ": " + what, null, true, e);
    }

    /** @return the duration in milliseconds for a socket option: at least 1, at most {@code Integer.MAX_VALUE} */
    static int millis(Duration d) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, d.toMillis()));
    }

    static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }
}
