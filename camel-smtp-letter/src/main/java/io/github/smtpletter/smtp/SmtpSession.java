package io.github.smtpletter.smtp;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

import io.github.smtpletter.smtp.auth.Authenticator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SMTP connection (RFC 5321), driven as an explicit state machine:
 * <pre>
 *   NEW --connect--&gt; CONNECTED --220--&gt; GREETED --EHLO/HELO [STARTTLS, EHLO] [AUTH]--&gt; READY
 *   READY --MAIL..DATA/BDAT (SmtpTransaction)--&gt; READY          any state --QUIT/failure--&gt; CLOSED
 * </pre>
 * {@link #open} takes a session all the way to READY (greeting, EHLO with HELO fallback, STARTTLS when required,
 * implicit TLS for SMTPS, AUTH through {@link Authenticator}); transactions run in {@link SmtpTransaction}.
 * Commands are logged at DEBUG (sensitive ones masked), replies at DEBUG. Not thread-safe: one user at a time
 * (the pool hands a session to one caller).
 */
final class SmtpSession implements SmtpCommandChannel, Closeable {

    /** Where the session is in its life. */
    enum State {
        NEW, CONNECTED, GREETED, READY, IN_TRANSACTION, CLOSED
    }

    private static final Logger LOG = LoggerFactory.getLogger(SmtpSession.class);
    private static final AtomicLong IDS = new AtomicLong();
    private static final int OUT_BUFFER = 16 * 1024;
    private static final Duration QUIT_TIMEOUT = Duration.ofSeconds(2);
    /** How long a quiet check holds for a session not used since: the pool's check before a lease serves the letter. */
    private static final long QUIET_FRESH_NANOS = 1_000_000;

    private final SmtpConnectionParameters params;
    private final WriteWatchdog watchdog;
    private final String id = "smtp-" + IDS.incrementAndGet();
    private final String endpoint;
    private final SmtpWireLog wireLog = new SmtpWireLog(id);
    private Socket socket;
    /** The plain TCP channel under {@link #socket} (also under TLS), for the non-blocking {@link #isQuiet()} check. */
    private SocketChannel channel;
    private Socket rawSocket; // the TCP socket under any TLS layer: closing it fails a blocked write
    private InputStream in;
    /** Under {@link #in}: bounds each reply as a whole. */
    private DeadlineInputStream deadlineIn;
    private OutputStream out;
    private TrackingOutputStream socketOut;
    private SmtpReplyReader reader;
    private SmtpCapabilities capabilities = SmtpCapabilities.none();
    private boolean tls;
    private boolean serverClosing;
    /** Commands written whose reply has not been read yet. */
    private int unanswered;
    /** A reply could not be read, or the stream cannot be trusted: the dialogue is out of step. */
    private boolean outOfStep;
    private State state = State.NEW;
    private long lastUsedNanos = System.nanoTime();
    private long lastReplyNanos = lastUsedNanos;
    private int transactions;
    private int leases;
    /** When {@link #isQuiet()} last found the connection quiet. */
    private long quietAtNanos = lastUsedNanos - QUIET_FRESH_NANOS;

    private SmtpSession(SmtpConnectionParameters params, WriteWatchdog watchdog) {
        this.params = params;
        this.watchdog = watchdog;
        this.endpoint = params.server().address();
    }

    /**
     * Connects and prepares a session for transactions: TCP (or implicit TLS), greeting, EHLO (HELO when EHLO is
     * refused with 5xx), STARTTLS + EHLO when required, then AUTH.
     *
     * @param  watchdog          bounds the session's socket writes
     * @throws SmtpException     for a refusal or protocol problem, with the reply when there is one
     * @throws SmtpAuthException when authentication fails
     * @throws IOException       for network problems (wrapped as SmtpException with the endpoint in the message)
     */
    static SmtpSession open(SmtpConnectionParameters params, WriteWatchdog watchdog) throws IOException {
        SmtpSession s = new SmtpSession(params, watchdog);
        try {
            s.connect();
            s.greeting();
            s.hello();
            if (params.server().security() == SmtpSecurity.STARTTLS) {
                s.startTls();
                s.hello();
            }
            Authenticator.authenticate(s, s.capabilities.authMechanisms(), s.tls, params);
            s.state = State.READY;
            LOG.debug("[{}] ready: {} tls={} extensions={}", s.id, s.endpoint, s.tls, s.capabilities);
            return s;
        } catch (SmtpException e) {
            // a refusal (greeting, EHLO, STARTTLS, AUTH) or our own (the TLS rule ...): the dialogue is intact, so
            // end it with QUIT (RFC 5321 section 4.1.1.10: no closing without QUIT); otherwise just close
            if (s.inStep()) {
                s.close();
            } else {
                s.abort();
            }
            throw e;
        } catch (IOException e) {
            s.abort();
            throw SocketSupport.problem(s.endpoint, "during connection setup", e, params.timeouts().readTimeout());
        } catch (RuntimeException e) {
            s.abort();
            throw e;
        }
    }

    private void connect() throws IOException {
        SocketChannel ch = SocketSupport.connect(params.server(), params.timeouts());
        Socket plain = ch.socket();
        socket = plain;
        channel = ch;
        rawSocket = plain;
        if (params.server().security() == SmtpSecurity.SMTPS) {
            socket = TlsSupport.wrap(plain, params.server());
            tls = true;
        }
        streams();
        state = State.CONNECTED;
        LOG.debug("[{}] connected to {}{}", id, endpoint, tls ? " (TLS)" : "");
    }

    private void streams() throws IOException {
        deadlineIn = new DeadlineInputStream(socket.getInputStream(), socket,
                SocketSupport.millis(params.timeouts().readTimeout()));
        in = new BufferedInputStream(deadlineIn, 8192);
        if (socketOut != null) {
            watchdog.unwatch(socketOut);
        }
        socketOut = new TrackingOutputStream(socket.getOutputStream(), params.timeouts().readTimeout(), id, endpoint,
                rawSocket);
        watchdog.watch(socketOut);
        out = new BufferedOutputStream(socketOut, OUT_BUFFER);
        reader = new SmtpReplyReader(in);
        reader.enhancedStatusCodes(capabilities.has(SmtpCapabilities.ENHANCEDSTATUSCODES));
    }

    private void greeting() throws IOException {
        SmtpReply r = readReply();
        if (r.code() != 220) {
            throw new SmtpException("server " + endpoint + " refused the session: " + r, r);
        }
        state = State.GREETED;
    }

    private void hello() throws IOException {
        String name = EhloName.of(params.server().ehloName(), socket);
        SmtpReply r = exchange("EHLO " + name, false);
        if (r.code() == 250) {
            capabilities = SmtpCapabilities.parse(r);
        } else if (r.isPermanent() && !tls) {
            LOG.debug("[{}] EHLO refused ({}), falling back to HELO", id, r.code());
            SmtpReply helo = exchange("HELO " + name, false);
            if (helo.code() != 250) {
                throw new SmtpException("server " + endpoint + " refused EHLO and HELO: " + helo, helo);
            }
            capabilities = SmtpCapabilities.none();
        } else {
            throw new SmtpException("server " + endpoint + " refused EHLO: " + r, r);
        }
        reader.enhancedStatusCodes(capabilities.has(SmtpCapabilities.ENHANCEDSTATUSCODES));
    }

    private void startTls() throws IOException {
        if (!capabilities.has(SmtpCapabilities.STARTTLS)) {
            throw new SmtpException("server " + endpoint + " does not offer STARTTLS, but security=STARTTLS "
                                    + "requires it (nothing was sent in clear)", null, false);
        }
        SmtpReply r = exchange("STARTTLS", false);
        if (r.code() != 220) {
            throw new SmtpException("server " + endpoint + " refused STARTTLS: " + r, r);
        }
        if (in.available() > 0) {
            // RFC 3207 section 5: anything received before the handshake could have been injected
            outOfStep = true;
            throw new SmtpException("server " + endpoint + " sent unexpected data after the STARTTLS reply", null,
                    false);
        }
        socket = TlsSupport.wrap(socket, params.server());
        tls = true;
        capabilities = SmtpCapabilities.none(); // forget everything learnt before TLS (RFC 3207 section 4.2)
        streams();
        LOG.debug("[{}] TLS established with {} ({})", id, endpoint,
                ((SSLSocket) socket).getSession().getProtocol());
    }

    // ---------------------------------------------------------------------------------------- command channel

    @Override
    public SmtpReply exchange(String line, boolean sensitive) throws IOException {
        writeCommand(line, sensitive);
        flush();
        return readReply();
    }

    @Override
    public SSLSession tlsSession() {
        return tls && socket instanceof SSLSocket ssl ? ssl.getSession() : null;
    }

    /** Writes one command line (CRLF added) into the output buffer without flushing. */
    void writeCommand(String line) throws IOException {
        writeCommand(line, false);
    }

    private void writeCommand(String line, boolean sensitive) throws IOException {
        ensureOpen();
        if (line.indexOf('\r') >= 0 || line.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("SMTP command must not contain CR or LF");
        }
        wireLog.command(line, sensitive);
        out.write(line.getBytes(StandardCharsets.UTF_8));
        out.write('\r');
        out.write('\n');
        unanswered++;
    }

    /** Flushes buffered commands/data to the socket. */
    void flush() throws IOException {
        ensureOpen();
        out.flush();
    }

    /**
     * Reads one reply, complete within the read timeout however slowly it arrives; a 421 marks the session as
     * closing (the server is about to hang up).
     */
    SmtpReply readReply() throws IOException {
        return readReply(params.timeouts().readTimeout());
    }

    /**
     * Reads the reply to the end of the message (the final dot, or {@code BDAT ... LAST}), complete within the data
     * timeout.
     */
    SmtpReply readFinalReply() throws IOException {
        return readReply(params.timeouts().dataTimeout());
    }

    private SmtpReply readReply(Duration within) throws IOException {
        ensureOpen();
        SmtpReply r;
        try {
            deadlineIn.arm(within);
            r = reader.read();
            deadlineIn.disarm();
        } catch (IOException | RuntimeException e) {
            outOfStep = true;
            throw e;
        }
        lastReplyNanos = System.nanoTime();
        if (unanswered > 0) {
            unanswered--;
        }
        wireLog.reply(r);
        if (r.code() == 421) {
            serverClosing = true;
        }
        return r;
    }

    // ---------------------------------------------------------------------------------------- transactions

    /** The buffered stream to the server, for message data. Bytes written here are not logged. */
    OutputStream dataStream() {
        return out;
    }

    /** @return the first I/O failure of the socket's output stream, or {@code null} */
    IOException socketWriteFailure() {
        return socketOut == null ? null : socketOut.failure();
    }

    /** @return the bytes written to the socket since the last (re)start of its streams; read by the sending thread */
    long bytesWritten() {
        return socketOut == null ? 0 : socketOut.written();
    }

    /** Marks the start of a mail transaction (counted for maxMessagesPerConnection). */
    void beginTransaction() {
        if (state != State.READY) {
            throw new IllegalStateException("session " + id + " not ready: " + state);
        }
        state = State.IN_TRANSACTION;
        transactions++;
    }

    /** Marks the end of a mail transaction: the session is READY again. */
    void endTransaction() {
        if (state == State.IN_TRANSACTION) {
            state = State.READY;
        }
        lastUsedNanos = System.nanoTime();
    }

    /**
     * Cheap liveness check before reusing an idle session.
     *
     * @return {@code true} when the server answered NOOP with 250
     */
    boolean isAlive() {
        if (state != State.READY || serverClosing) {
            return false;
        }
        try {
            SmtpReply r = exchange("NOOP", false);
            lastUsedNanos = System.nanoTime();
            return r.code() == 250;
        } catch (IOException | RuntimeException e) {
            LOG.debug("[{}] NOOP failed: {}", id, e.toString());
            return false;
        }
    }

    /**
     * The cheapest check that an idle session is still open, without a round trip: nothing has arrived since the
     * last reply (see {@link SocketSupport#unsolicited}). When it returns {@code false} the session must be
     * discarded ({@link #abort()}): a byte may have been taken off the stream.
     *
     * @return {@code true} when the session is READY (or a transaction began but sent nothing yet) and nothing was
     *         received since the last reply
     */
    boolean isQuiet() {
        if ((state != State.READY && state != State.IN_TRANSACTION) || serverClosing) {
            return false;
        }
        long now = System.nanoTime();
        if (now - quietAtNanos < QUIET_FRESH_NANOS && lastUsedNanos - quietAtNanos <= 0) {
            return true; // checked a moment ago and unused since (the pool checks before a lease, the letter before sending)
        }
        try {
            String received = SocketSupport.unsolicited(in, channel);
            if (received != null) {
                LOG.debug("[{}] {} while idle", id, received);
                return false;
            }
            quietAtNanos = now;
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.debug("[{}] idle check failed: {}", id, e.toString());
            return false;
        }
    }

    /**
     * @param nanos a duration
     * @return whether the last reply from the server was read less than {@code nanos} ago
     */
    boolean heardFromWithin(long nanos) {
        return System.nanoTime() - lastReplyNanos < nanos;
    }

    /**
     * Sends RSET after a failed transaction.
     *
     * @return {@code true} when the server answered 250 and the session can be reused
     */
    boolean reset() {
        if (state == State.CLOSED || serverClosing) {
            return false;
        }
        try {
            SmtpReply r = exchange("RSET", false);
            return r.code() == 250;
        } catch (IOException | RuntimeException e) {
            LOG.debug("[{}] RSET failed: {}", id, e.toString());
            return false;
        }
    }

    /** Says QUIT (waiting briefly for the reply) and closes the socket. Never throws. */
    @Override
    public void close() {
        if (state == State.CLOSED) {
            return;
        }
        if (!serverClosing && socket != null && !socket.isClosed() && state != State.NEW
            && socketWriteFailure() == null) {
            try {
                Duration readTimeout = params.timeouts().readTimeout();
                writeCommand("QUIT", false);
                flush();
                readReply(readTimeout.compareTo(QUIT_TIMEOUT) < 0 ? readTimeout : QUIT_TIMEOUT);
            } catch (IOException | RuntimeException e) {
                LOG.debug("[{}] QUIT failed: {}", id, e.toString());
            }
        }
        abort();
    }

    /** @return whether every command sent was answered and nothing went wrong reading: QUIT can be said */
    private boolean inStep() {
        return unanswered == 0 && !outOfStep && !serverClosing && socket != null && !socket.isClosed();
    }

    /** Closes the socket without QUIT (after a failure, or to cancel an unfinished message). Never throws. */
    void abort() {
        if (state != State.CLOSED) {
            state = State.CLOSED;
            if (socketOut != null) {
                watchdog.unwatch(socketOut);
            }
            // the TCP socket first: closing a TLS socket writes close_notify, which could block (no timeout on
            // writes) when the peer stopped reading; with the TCP socket closed that write fails at once
            if (rawSocket != null && rawSocket != socket) {
                SocketSupport.closeQuietly(rawSocket);
            }
            if (socket != null) {
                SocketSupport.closeQuietly(socket);
                LOG.debug("[{}] closed", id);
            }
        }
    }

    // ---------------------------------------------------------------------------------------- accessors

    SmtpCapabilities capabilities() {
        return capabilities;
    }

    SmtpConnectionParameters params() {
        return params;
    }

    /** @return whether the server announced it is closing (421) */
    boolean isServerClosing() {
        return serverClosing;
    }

    /** @return whether the session can run another transaction */
    boolean isUsable() {
        return state == State.READY && !serverClosing;
    }

    /** Counts a hand-out by the pool. */
    void markLeased() {
        leases++;
    }

    /**
     * @return whether this session was used before the current transaction (an earlier transaction, or an earlier
     *         lease): the server may have closed it in the meantime
     */
    boolean isReused() {
        return leases > 1 || transactions > 1;
    }

    /** @return transactions started on this session */
    int transactions() {
        return transactions;
    }

    /** @return nanoTime of the last use */
    long lastUsedNanos() {
        return lastUsedNanos;
    }

    String id() {
        return id;
    }

    String endpoint() {
        return endpoint;
    }

    private void ensureOpen() throws IOException {
        if (state == State.CLOSED) {
            throw new IOException("SMTP session " + id + " is closed");
        }
    }

    @Override
    public String toString() {
        return "SmtpSession[" + id + " " + endpoint + " " + state + (tls ? " tls" : "") + "]";
    }
}
