package io.github.smtpletter.testsupport;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;

import static org.awaitility.Awaitility.await;

/**
 * A tiny SMTP peer for tests, listening on 127.0.0.1 (on a free port unless one is given). Each accepted connection
 * runs the next {@link Script} (the n-th connection the n-th script; connections beyond the list run the fallback
 * script when there is one); a script sends replies and expects exact lines or bytes, and can drop the connection at
 * any point. Every byte received is kept per connection. Failed expectations are collected and reported by
 * {@link #assertNoErrors()}. Every socket has a read timeout. Shared by the smtp and camel tests; see also
 * {@link SmtpResponder} for a lenient server loop.
 */
public final class ScriptedSmtpPeer implements AutoCloseable {

    /** What the peer does on one connection. */
    @FunctionalInterface
    public interface Script {
        void run(Conn c) throws Exception;
    }

    private final ServerSocket server;
    private final List<Script> scripts;
    private final Script fallback;
    private final List<Throwable> errors = new CopyOnWriteArrayList<>();
    private final List<Conn> connections = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private final Thread acceptor;
    private final Duration readTimeout;
    private volatile boolean closed;

    public ScriptedSmtpPeer(Script... scripts) throws IOException {
        this(Duration.ofSeconds(10), scripts);
    }

    public ScriptedSmtpPeer(Duration readTimeout, Script... scripts) throws IOException {
        this(0, readTimeout, null, List.of(scripts));
    }

    /**
     * @param port        the port to listen on (0: any free port)
     * @param readTimeout the read timeout of every accepted socket
     * @param fallback    the script of connections beyond {@code scripts}, or {@code null} (then they are errors)
     * @param scripts     the scripts of the first connections, in order
     */
    public ScriptedSmtpPeer(int port, Duration readTimeout, Script fallback, List<Script> scripts)
            throws IOException {
        this.readTimeout = readTimeout;
        this.scripts = List.copyOf(scripts);
        this.fallback = fallback;
        this.server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        acceptor = new Thread(this::acceptLoop, "scripted-smtp-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A peer where every connection runs {@code script}. */
    public static ScriptedSmtpPeer serving(Script script) throws IOException {
        return new ScriptedSmtpPeer(0, Duration.ofSeconds(10), script, List.of());
    }

    public int port() {
        return server.getLocalPort();
    }

    /** @return connections accepted so far */
    public int connectionCount() {
        return accepted.get();
    }

    /** @return the connections (in accept order) */
    public List<Conn> connections() {
        return connections;
    }

    /** @return every byte received on every connection so far, in connection order, as UTF-8 text */
    public String transcript() {
        StringBuilder sb = new StringBuilder();
        for (Conn c : connections) {
            sb.append(new String(c.received(), StandardCharsets.UTF_8));
        }
        return sb.toString();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                return;
            }
            int index = accepted.getAndIncrement();
            Conn c = new Conn(s, index);
            connections.add(c);
            Thread t = new Thread(() -> serve(c), "scripted-smtp-" + index);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    private void serve(Conn c) {
        try {
            c.socket.setSoTimeout((int) readTimeout.toMillis());
            if (c.index >= scripts.size() && fallback != null) {
                fallback.run(c);
                return;
            }
            if (c.index >= scripts.size()) {
                throw new AssertionError("unexpected connection #" + (c.index + 1) + " (script has " + scripts.size()
                                         + ")");
            }
            scripts.get(c.index).run(c);
        } catch (Throwable e) {
            if (!(closed && e instanceof SocketException)) {
                errors.add(new AssertionError("connection #" + (c.index + 1) + ": " + e, e));
            }
        } finally {
            try {
                c.socket.close();
            } catch (IOException ignored) {
                // closing
            }
            c.done = true;
        }
    }

    /** Waits (bounded) until every script that started has ended. */
    public void awaitScripts(Duration max) {
        await("every script to end").atMost(max).pollInterval(Duration.ofMillis(10))
                .until(this::runningScripts, List::isEmpty);
    }

    private List<String> runningScripts() {
        return threads.stream().filter(Thread::isAlive).map(Thread::getName).toList();
    }

    /** Waits for the scripts and fails with the first error of any of them. */
    public void assertNoErrors() {
        awaitScripts(Duration.ofSeconds(15));
        if (!errors.isEmpty()) {
            AssertionError e = new AssertionError("scripted SMTP peer: " + errors.size() + " error(s), first: "
                                                  + errors.get(0).getMessage(), errors.get(0));
            throw e;
        }
    }

    public List<Throwable> errors() {
        return Collections.unmodifiableList(errors);
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        for (Conn c : connections) {
            try {
                c.socket.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }

    /** One accepted connection, seen from the server side. */
    public static final class Conn {
        private static final int TLS_HANDSHAKE = 22;

        Socket socket;
        final int index;
        PeekableInputStream in;
        OutputStream out;
        private final ByteArrayOutputStream received = new ByteArrayOutputStream();
        private final List<String> lines = new CopyOnWriteArrayList<>();
        volatile boolean done;

        Conn(Socket socket, int index) {
            this.socket = socket;
            this.index = index;
            try {
                this.in = new PeekableInputStream(socket.getInputStream());
                this.out = socket.getOutputStream();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        /** @return the connection's number, 0 for the first */
        public int index() {
            return index;
        }

        /** Sends reply lines, each followed by CRLF, in one write. */
        public Conn send(String... replyLines) throws IOException {
            StringBuilder sb = new StringBuilder();
            for (String l : replyLines) {
                sb.append(l).append("\r\n");
            }
            out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            return this;
        }

        /** Sends raw bytes. */
        public Conn sendRaw(String raw) throws IOException {
            out.write(raw.getBytes(StandardCharsets.UTF_8));
            out.flush();
            return this;
        }

        /** Sends a multi-line reply: {@code reply(250, "a", "b")} sends "250-a", "250 b". */
        public Conn reply(int code, String... texts) throws IOException {
            String[] lines = new String[texts.length];
            for (int i = 0; i < texts.length; i++) {
                lines[i] = code + (i < texts.length - 1 ? "-" : " ") + texts[i];
            }
            return send(lines);
        }

        /** Reads one line that must end with CRLF, without it. */
        public String readLine() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int prev = -1;
            while (true) {
                int b = in.read();
                if (b < 0) {
                    throw new EOFException("client closed the connection; partial line: "
                                           + line.toString(StandardCharsets.UTF_8));
                }
                received.write(b);
                if (b == '\n') {
                    if (prev != '\r') {
                        throw new AssertionError("bare LF in command line: " + line.toString(StandardCharsets.UTF_8));
                    }
                    byte[] bytes = line.toByteArray();
                    String s = new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
                    lines.add(s);
                    return s;
                }
                line.write(b);
                prev = b;
            }
        }

        /**
         * Reads a line and checks it; {@code expected} ending with {@code "*"} matches any line starting with the
         * rest (case-sensitive).
         */
        public String expect(String expected) throws IOException {
            String line = readLine();
            boolean ok = expected.endsWith("*")
                    ? line.startsWith(expected.substring(0, expected.length() - 1))
                    : line.equals(expected);
            if (!ok) {
                throw new AssertionError("expected \"" + expected + "\" but got \"" + line + "\"");
            }
            return line;
        }

        /** Reads message data up to and including CRLF . CRLF; returns it exactly as received (still stuffed). */
        public byte[] readData() throws IOException {
            ByteArrayOutputStream data = new ByteArrayOutputStream();
            while (true) {
                int b = in.read();
                if (b < 0) {
                    throw new EOFException("client closed the connection in DATA after "
                                           + data.size() + " bytes");
                }
                received.write(b);
                data.write(b);
                byte[] d = data.size() >= 3 ? data.toByteArray() : null;
                if (d != null && endsWithTerminator(d)) {
                    return d;
                }
            }
        }

        private static boolean endsWithTerminator(byte[] d) {
            int n = d.length;
            if (n == 3) {
                return d[0] == '.' && d[1] == '\r' && d[2] == '\n';
            }
            return n >= 5 && d[n - 5] == '\r' && d[n - 4] == '\n' && d[n - 3] == '.' && d[n - 2] == '\r'
                   && d[n - 1] == '\n';
        }

        /** Reads exactly n bytes (BDAT chunk data). */
        public byte[] readBytes(int n) throws IOException {
            byte[] b = in.readNBytes(n);
            received.write(b, 0, b.length);
            if (b.length < n) {
                throw new EOFException("client closed the connection after " + b.length + " of " + n + " bytes");
            }
            return b;
        }

        /** Reads "BDAT n [LAST]" and its n bytes; returns the data. */
        public byte[] expectBdat(boolean last) throws IOException {
            String line = readLine();
            String[] parts = line.split(" ");
            boolean isLast = parts.length == 3 && parts[2].equals("LAST");
            if (!parts[0].equals("BDAT") || parts.length < 2 || parts.length > 3 || isLast != last
                || (parts.length == 3 && !isLast)) {
                throw new AssertionError("expected BDAT" + (last ? " LAST" : "") + " but got \"" + line + "\"");
            }
            return readBytes(Integer.parseInt(parts[1]));
        }

        /** Greets and answers EHLO with the given extension lines. */
        public Conn greetAndEhlo(String... extensions) throws IOException {
            send("220 peer.test ESMTP scripted");
            expect("EHLO *");
            String[] texts = new String[extensions.length + 1];
            texts[0] = "peer.test greets you";
            System.arraycopy(extensions, 0, texts, 1, extensions.length);
            return reply(250, texts);
        }

        /** Expects QUIT, answers 221 and returns (the peer then closes the socket). */
        public void expectQuit() throws IOException {
            expect("QUIT");
            send("221 2.0.0 bye");
        }

        /** Waits until the client closes the connection (reading and keeping whatever it sends). */
        public void awaitClientClose() throws IOException {
            while (in.read() >= 0) {
                // discard
            }
        }

        /**
         * Server side of STARTTLS: performs the TLS handshake on this connection with the given context. Waits for
         * the client's first byte after the reply to STARTTLS; anything but the start of a TLS handshake record
         * (content type 22, version 3.x) is plaintext sent before the handshake and fails the script. Bytes of the
         * ClientHello that were already read are handed to the TLS layer, so it does not matter how late this runs.
         */
        public void startTls(SSLContext context) throws IOException {
            byte[] first = peekRecordStart();
            if (first.length > 0 && !isTlsHandshakeRecord(first)) {
                throw new AssertionError("client sent data before the TLS handshake: \""
                                         + new String(first, StandardCharsets.ISO_8859_1).replace("\r", "\\r").replace(
                                                 "\n", "\\n")
                                         + "\"");
            }
            InputStream consumed = new ByteArrayInputStream(in.takeBuffered());
            SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(socket, consumed, true);
            tls.setUseClientMode(false);
            tls.setSoTimeout(socket.getSoTimeout());
            try {
                tls.startHandshake();
            } catch (SSLException e) {
                tlsFailure = e;
                throw e;
            }
            socket = tls;
            in = new PeekableInputStream(tls.getInputStream());
            out = tls.getOutputStream();
        }

        /** Blocks for the first byte the client sends next; returns it, with the two after it if it may be TLS. */
        private byte[] peekRecordStart() throws IOException {
            in.mark(3);
            int b = in.read();
            if (b < 0) {
                in.reset();
                return new byte[0];
            }
            byte[] head = b == TLS_HANDSHAKE ? new byte[] { (byte) b, (byte) in.read(), (byte) in.read() }
                    : new byte[] { (byte) b };
            in.reset();
            if (b != TLS_HANDSHAKE) {
                // plaintext: keep what the peer saw up to the end of what is already here, for the transcript
                byte[] rest = in.takeBuffered();
                received.write(rest, 0, rest.length);
                return rest;
            }
            return head;
        }

        private static boolean isTlsHandshakeRecord(byte[] head) {
            return head.length == 3 && head[0] == TLS_HANDSHAKE && head[1] == 3 && head[2] >= 0 && head[2] <= 4;
        }

        /** The handshake failure seen by the server, if any. */
        public volatile SSLException tlsFailure;

        /** Drops the connection now, without a reply. */
        public void drop() throws IOException {
            socket.close();
        }

        /**
         * A slow server: sends the pieces one after the other, each followed by a wait of {@code pause} for the
         * client to close the connection. Bytes the client sends meanwhile are kept.
         *
         * @return {@code true} when the client closed the connection before every piece was sent
         */
        public boolean trickle(Duration pause, String... pieces) throws IOException {
            int timeout = socket.getSoTimeout();
            socket.setSoTimeout((int) Math.max(1, pause.toMillis()));
            try {
                for (String piece : pieces) {
                    out.write(piece.getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    if (closedByClientWithin()) {
                        return true;
                    }
                }
                return false;
            } catch (SocketException e) {
                return true; // reset: the client closed while we were writing
            } finally {
                if (!socket.isClosed()) {
                    socket.setSoTimeout(timeout);
                }
            }
        }

        /** @return whether the client closed the connection within the socket's read timeout */
        private boolean closedByClientWithin() throws IOException {
            try {
                while (true) {
                    int b = in.read();
                    if (b < 0) {
                        return true;
                    }
                    received.write(b);
                }
            } catch (SocketTimeoutException e) {
                return false;
            }
        }

        /** @return every byte received on this connection so far */
        public byte[] received() {
            return received.toByteArray();
        }

        /** @return the command lines received so far */
        public List<String> lines() {
            return lines;
        }
    }

    /** A buffered stream that can hand over the bytes it read ahead (to a TLS layer that takes over the socket). */
    static final class PeekableInputStream extends BufferedInputStream {

        PeekableInputStream(InputStream in) {
            super(in);
        }

        /** @return the bytes read from the underlying stream but not yet from this one (they are consumed) */
        synchronized byte[] takeBuffered() {
            byte[] b = Arrays.copyOfRange(buf, pos, count);
            pos = count;
            markpos = -1;
            return b;
        }
    }
}
