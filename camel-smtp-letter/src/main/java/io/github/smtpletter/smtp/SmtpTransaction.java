package io.github.smtpletter.smtp;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.smtpletter.letter.DsnNotify;
import io.github.smtpletter.letter.DsnOptions;
import io.github.smtpletter.letter.Letter;
import io.github.smtpletter.letter.MailAddress;

/**
 * One mail transaction (RFC 5321 section 3.3) for one letter on a READY {@link SmtpSession}:
 * {@code MAIL FROM}, one {@code RCPT TO} per envelope recipient, then the message through {@code DATA} (dot-stuffed)
 * or {@code BDAT} chunks (RFC 3030), with PIPELINING (RFC 2920) when offered and enabled.
 * <p>
 * With PIPELINING, {@code MAIL}, every {@code RCPT} and {@code DATA} go in one flight (recipients beyond
 * {@value #MAX_FLIGHT} commands are sent in several flights) and the replies are matched back in order. With
 * BDAT there is no 354 to wait for, so the first chunk joins the flight: a short message goes whole in one flight,
 * one round trip. A reused session is first checked without a round trip ({@link SmtpSession#isQuiet()}: a
 * connection the server closed or announced closing while idle is replaced, the letter resent, nothing lost or
 * doubled). On a reused session whose server has not answered lately (see the constructor) the first flight does not
 * carry {@code LAST} (a short message then ends with {@code BDAT 0 LAST}), so that a connection closed meanwhile
 * is noticed before the message could have been accepted and the letter can be resent safely.
 * <p>
 * When the server announces SIZE, small letters are written into memory once (exact SIZE, same bytes sent) instead
 * of being written twice; bigger ones are measured by a streaming pass, never held in memory.
 * <p>
 * The outcome is classified by what the server said and how far the transaction got, see {@link SendResult}.
 * Broken connections: before the end of data was sent the letter is FAILED (retryable); after it and before the
 * reply it is UNKNOWN. Failures while producing the message content (for example an unreadable attachment) cancel
 * the transfer by closing the connection (never by ending the data, which would deliver a truncated message); the
 * letter is then REJECTED.
 */
final class SmtpTransaction {

    /** Most commands sent before their replies are read, so a huge recipient list cannot deadlock the socket. */
    static final int MAX_FLIGHT = 100;
    /**
     * When the server announces SIZE, letters whose content is known to be at most about this big are written once
     * into memory, which gives both the exact SIZE and the bytes to send (instead of writing them twice).
     */
    static final int RENDER_IN_MEMORY_LIMIT = 256 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(SmtpTransaction.class);

    /**
     * What happened.
     *
     * @param result        the letter's result
     * @param sessionUsable whether the session can run another transaction
     * @param retrySafe     whether nothing of the transaction can have been accepted and the failure was the
     *                      connection's (I/O error or 421): the letter may be sent again on another connection
     */
    record Outcome(SendResult result, boolean sessionUsable, boolean retrySafe, boolean deferred) {

        Outcome(SendResult result, boolean sessionUsable, boolean retrySafe) {
            this(result, sessionUsable, retrySafe, false);
        }

        /** The end of the data is written but not yet flushed; the next transaction reads the final reply. */
        static Outcome deferredEnd() {
            return new Outcome(null, true, false, true);
        }
    }

    private final SmtpSession session;
    private final Letter letter;
    private final MessageWriter writer;
    private final int chunkSize;
    private final long aliveNanos;
    private final String messageId;
    private final String endpoint;
    private final List<MailAddress> recipients;
    private final SmtpReply[] rcptReplies;
    private final ArrayDeque<Consumer<SmtpReply>> pending = new ArrayDeque<>();
    private SmtpReply mailReply;
    private SmtpReply dataReply;
    private SmtpReply finalReply;
    private SmtpReply closingReply;
    private boolean bdat;
    private boolean endSent;
    private Outcome decided;
    private IOException listenerFailure;
    /** The whole message, when precheck() already wrote it into memory; else it is written while sending. */
    private byte[] rendered;
    /** Whether this transaction may leave its final reply to the next one (a next letter follows on the session). */
    private final boolean mayDefer;
    /** A transaction on the same session whose end of data went out ahead of this one and whose reply is unread. */
    private SmtpTransaction previous;
    /** For a transaction that deferred its end: its outcome once the final reply was read (or the connection broke). */
    private Outcome resolved;

    /**
     * @param aliveNanos a reused session whose server replied less than this long ago, and which is
     *                   {@link SmtpSession#isQuiet() quiet}, counts as alive: a short BDAT message then goes whole
     *                   in the first flight (the client passes its NOOP threshold: the pool checks sessions idle
     *                   longer with NOOP)
     */
    SmtpTransaction(SmtpSession session, Letter letter, MessageWriter writer, int chunkSize, long aliveNanos) {
        this(session, letter, writer, chunkSize, aliveNanos, null, false);
    }

    /**
     * A transaction in a stream of letters on one session (RFC 2920 section 3.1): with {@code mayDefer} and
     * PIPELINING, a DATA transaction writes the end of its data without flushing it or waiting for the reply and
     * returns a {@link Outcome#deferred() deferred} outcome; the next transaction, given it as {@code previous},
     * sends its MAIL, RCPT and DATA in the same flight and reads the previous final reply first, so a steady stream
     * costs one round trip per letter. The previous outcome is then {@link #resolvedOutcome()}.
     *
     * @param previous a deferred transaction on the same session, or {@code null}
     * @param mayDefer whether another letter follows on this session
     */
    SmtpTransaction(SmtpSession session, Letter letter, MessageWriter writer, int chunkSize, long aliveNanos,
                    SmtpTransaction previous, boolean mayDefer) {
        this.previous = previous;
        this.mayDefer = mayDefer;
        this.session = session;
        this.letter = letter;
        this.writer = writer;
        this.chunkSize = chunkSize;
        this.aliveNanos = aliveNanos;
        this.messageId = letter.messageId();
        this.endpoint = session.endpoint();
        this.recipients = letter.recipients();
        this.rcptReplies = new SmtpReply[recipients.size()];
    }

    /**
     * Runs the transaction. Never throws for the letter's own failure; leaves the session READY when
     * {@link Outcome#sessionUsable()}, else closed.
     */
    Outcome run() {
        Outcome o;
        try {
            o = precheck();
            if (o == null) {
                session.beginTransaction();
                if (previous == null && session.isReused() && !session.isQuiet()) {
                    // closed (or closing: 421) while idle: nothing was sent, another connection may take the letter
                    o = new Outcome(SendResult.failed(messageId, "connection to " + endpoint + " was closed by the "
                            + "server while idle; nothing was sent", true), false, true);
                } else {
                    o = bdat ? bdatTransaction() : dataTransaction();
                }
            }
        } catch (IOException e) {
            o = broken(e);
        } catch (RuntimeException e) {
            LOG.warn("unexpected failure sending {} via {}", messageId, endpoint, e);
            o = endSent && finalReply == null
                    // the end of the message went out: the server may have accepted it
                    ? new Outcome(SendResult.unknown(messageId, "internal error after the end of the message was "
                            + "sent, before the server's reply: " + e, accepted(), recipientFailures()), false, false)
                    : new Outcome(SendResult.failed(messageId, "internal error while sending: " + e, false),
                            false, false);
        }
        if (previous != null) {
            // this letter ended before reading any reply (refused before MAIL, content problem, a failed flush):
            // the previous letter's end may still be waiting in the buffer
            SmtpTransaction p = previous;
            try {
                session.flush();
                resolvePrevious();
            } catch (IOException | RuntimeException e) {
                if (p.resolved == null) {
                    p.resolved = p.broken(e instanceof IOException io ? io : new IOException(e));
                }
                o = new Outcome(o.result(), false, o.retrySafe());
            }
        }
        if (o.sessionUsable()) {
            session.endTransaction();
        } else {
            session.abort();
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("[{}] {}", session.id(), o.deferred() ? "end of " + messageId + " sent, reply pending"
                    : o.result());
        }
        return o;
    }

    /** @return for a deferred transaction, its outcome once the next transaction read the final reply, else null */
    Outcome resolvedOutcome() {
        return resolved;
    }

    /**
     * For a deferred transaction whose end (and whatever followed) was flushed by the next one: reads the final
     * reply. A broken connection makes the letter UNKNOWN (its end was sent) and is rethrown for the next one.
     */
    private void readDeferredReply() throws IOException {
        try {
            finalReply = session.readReply();
            resolved = finalOutcome();
        } catch (IOException e) {
            resolved = broken(e);
            throw e;
        } catch (RuntimeException e) {
            resolved = broken(new IOException(e));
            throw e;
        } finally {
            if (LOG.isDebugEnabled() && resolved != null) {
                LOG.debug("[{}] {}", session.id(), resolved.result());
            }
        }
    }

    /** Reads the final reply of the previous (deferred) transaction; the flight must have been flushed. */
    private void resolvePrevious() throws IOException {
        if (previous != null) {
            SmtpTransaction p = previous;
            previous = null;
            p.readDeferredReply();
        }
    }

    // ------------------------------------------------------------------------------------------ before MAIL

    private String mailCommand;
    private final List<String> rcptCommands = new ArrayList<>();

    /** Letter-level checks against the server's extensions, and the envelope commands; nothing is sent. */
    private Outcome precheck() throws IOException {
        SmtpCapabilities caps = session.capabilities();
        SmtpConnectionParameters p = session.params();
        boolean utf8 = letter.needsSmtpUtf8();
        if (utf8 && !caps.has(SmtpCapabilities.SMTPUTF8)) {
            return new Outcome(SendResult.rejected(messageId, "letter needs SMTPUTF8 (an envelope address has a "
                    + "non-ASCII local part: " + internationalAddress() + ") but the server " + endpoint
                    + " does not offer SMTPUTF8; nothing was sent"), true, false);
        }
        if (previous != null && ((caps.sizeLimit() > 0 && !smallContent(letter))
                || (caps.has(SmtpCapabilities.EIGHT_BIT_MIME) && letter.isRaw()))) {
            // a pass over the content (possibly big or slow) comes next: do not hold the previous letter's end
            // unflushed meanwhile; its reply is still read after this letter's commands
            session.flush();
        }
        long size = -1;
        if (caps.sizeLimit() > 0) {
            try {
                if (smallContent(letter)) {
                    ByteArrayOutputStream buffer = new ByteArrayOutputStream(8 * 1024);
                    writer.write(letter, buffer);
                    rendered = buffer.toByteArray();
                    size = rendered.length;
                } else {
                    size = writer.size(letter);
                }
            } catch (IOException | RuntimeException e) {
                return new Outcome(contentProblem(e), true, false);
            }
            if (size > caps.sizeLimit()) {
                return new Outcome(SendResult.rejected(messageId, "letter is " + size + " bytes, server "
                        + endpoint + " accepts at most " + caps.sizeLimit() + " (SIZE)"), true, false);
            }
        }
        boolean eightBit = false;
        if (caps.has(SmtpCapabilities.EIGHT_BIT_MIME)) {
            try {
                eightBit = utf8 || (letter.isRaw() && has8bit(letter));
            } catch (IOException | RuntimeException e) {
                return new Outcome(contentProblem(e), true, false);
            }
        }
        DsnOptions dsn = caps.has(SmtpCapabilities.DSN) ? letter.dsn() : null;

        StringBuilder mail = new StringBuilder("MAIL FROM:<").append(envelope(letter.from(), utf8)).append('>');
        if (size >= 0) {
            mail.append(" SIZE=").append(size);
        }
        if (eightBit) {
            mail.append(" BODY=8BITMIME");
        }
        if (utf8) {
            mail.append(" SMTPUTF8");
        }
        if (dsn != null && dsn.ret() != null) {
            mail.append(" RET=").append(dsn.ret() == io.github.smtpletter.letter.DsnReturn.FULL ? "FULL" : "HDRS");
        }
        if (dsn != null && dsn.envelopeId() != null) {
            mail.append(" ENVID=").append(xtext(dsn.envelopeId()));
        }
        mailCommand = mail.toString();
        String notify = null;
        if (dsn != null && !dsn.notifyOn().isEmpty()) {
            StringBuilder n = new StringBuilder();
            for (DsnNotify d : DsnNotify.values()) {
                if (dsn.notifyOn().contains(d)) {
                    n.append(n.length() == 0 ? "" : ",").append(d.name());
                }
            }
            notify = n.toString();
        }
        for (MailAddress r : recipients) {
            rcptCommands.add("RCPT TO:<" + envelope(r, utf8) + ">" + (notify != null ? " NOTIFY=" + notify : ""));
        }
        bdat = p.pool().chunking() && caps.has(SmtpCapabilities.CHUNKING);
        return null;
    }

    /** Whether the letter's content is known (from its parts' sizes) to fit {@link #RENDER_IN_MEMORY_LIMIT}. */
    static boolean smallContent(Letter letter) {
        if (letter.raw() != null) {
            long n = letter.raw().size();
            return n >= 0 && n <= RENDER_IN_MEMORY_LIMIT / 2; // bare LFs may become CRLF
        }
        // text: UTF-8 and quoted-printable may triple it; attachments: base64 (4/3 and line ends); headers
        long n = 3L * (length(letter.text()) + length(letter.html())) + 8 * 1024;
        for (var a : letter.attachments()) {
            long size = a.size();
            if (size < 0) {
                return false;
            }
            n += size / 3 * 4 + size / 38 + 1024;
        }
        return n <= RENDER_IN_MEMORY_LIMIT;
    }

    private static long length(String s) {
        return s == null ? 0 : s.length();
    }

    /** Writes the message: the bytes already rendered, or straight from the letter. */
    private void writeContent(java.io.OutputStream out) throws IOException {
        if (rendered != null) {
            out.write(rendered);
        } else {
            writer.write(letter, out);
        }
    }

    private String internationalAddress() {
        if (letter.from().isInternational()) {
            return letter.from().address();
        }
        for (MailAddress r : recipients) {
            if (r.isInternational()) {
                return r.address();
            }
        }
        return "?";
    }

    private static String envelope(MailAddress a, boolean utf8) {
        return utf8 ? a.address() : a.asciiAddress();
    }

    /** xtext (RFC 3461 section 4): '+', '=' and characters outside 33..126 as "+XX". */
    static String xtext(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c < 33 || c > 126 || c == '+' || c == '=') {
                sb.append('+').append(String.format(Locale.ROOT, "%02X", c));
            } else {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }

    private static boolean has8bit(Letter letter) throws IOException {
        byte[] buf = new byte[8192];
        try (InputStream in = letter.raw().open()) {
            int n;
            while ((n = in.read(buf)) > 0) {
                for (int i = 0; i < n; i++) {
                    if (buf[i] < 0) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    // ------------------------------------------------------------------------------------------ DATA

    private Outcome dataTransaction() throws IOException {
        boolean pipe = pipelining();
        queue(mailCommand, r -> mailReply = r, pipe);
        if (!pipe && !mailAccepted()) {
            return mailRefused();
        }
        for (int i = 0; i < rcptCommands.size(); i++) {
            int index = i;
            queue(rcptCommands.get(i), r -> rcptReplies[index] = r, pipe);
        }
        if (!pipe && accepted().isEmpty()) {
            return noRecipient();
        }
        queue("DATA", r -> dataReply = r, false);
        Outcome refused = !mailAccepted() ? mailRefused() : accepted().isEmpty() ? noRecipient() : null;
        if (refused != null) {
            return refused; // (a 354 nobody wanted was already answered with an empty message in drain())
        }
        if (dataReply.code() != 354) {
            return refused("server " + endpoint + " refused DATA: " + dataReply, dataReply, false);
        }
        DotStuffingOutputStream data = new DotStuffingOutputStream(session.dataStream());
        Exception writerFailure = null;
        try {
            writeContent(data);
        } catch (IOException | RuntimeException e) {
            writerFailure = e;
        }
        IOException net = session.socketWriteFailure();
        if (net != null) {
            throw net;
        }
        if (writerFailure != null) {
            return new Outcome(contentProblem(writerFailure), false, false);
        }
        boolean defer = mayDefer && pipe;
        data.finish(!defer);
        endSent = true;
        LOG.debug("[{}] C: <{} bytes of message data> .", session.id(), data.count() - 3);
        if (defer) {
            return Outcome.deferredEnd(); // the next letter's commands join this end in one flight
        }
        finalReply = session.readReply();
        return finalOutcome();
    }

    // ------------------------------------------------------------------------------------------ BDAT

    private Outcome bdatTransaction() throws IOException {
        boolean pipe = pipelining();
        queue(mailCommand, r -> mailReply = r, pipe);
        if (!pipe && !mailAccepted()) {
            return mailRefused();
        }
        for (int i = 0; i < rcptCommands.size(); i++) {
            int index = i;
            queue(rcptCommands.get(i), r -> rcptReplies[index] = r, pipe);
        }
        if (!pipe && accepted().isEmpty()) {
            return noRecipient();
        }
        // on a reused session not heard from lately, the first flight does not complete the message, so that a
        // connection the server dropped is noticed before the message could have been taken (the letter can then go
        // again on another connection); a session that answered a moment ago and is quiet gets the whole message
        boolean deferLast = pipe && session.isReused() && !session.heardFromWithin(aliveNanos);
        int chunk = rendered != null ? Math.max(1, Math.min(chunkSize, rendered.length)) : chunkSize;
        BdatOutputStream chunks = new BdatOutputStream(session.dataStream(), chunk, this::chunkSent, deferLast);
        Exception writerFailure = null;
        try {
            writeContent(chunks);
        } catch (IOException | RuntimeException e) {
            writerFailure = e;
        }
        if (decided == null && listenerFailure == null && writerFailure == null
                && session.socketWriteFailure() == null) {
            try {
                chunks.finish();
            } catch (StopTransfer e) {
                // decided below
            }
        }
        if (decided != null) {
            return decided;
        }
        if (listenerFailure != null) {
            throw listenerFailure;
        }
        IOException net = session.socketWriteFailure();
        if (net != null) {
            throw net;
        }
        if (writerFailure != null) {
            boolean usable = false;
            if (chunks.chunks() == 0) {
                // nothing of the message reached the wire: finish the envelope exchange and reset
                try {
                    drain();
                    usable = session.reset();
                } catch (IOException e) {
                    usable = false;
                }
            }
            return new Outcome(contentProblem(writerFailure), usable, false);
        }
        throw new IllegalStateException("BDAT transfer ended without a final reply");
    }

    /** After each chunk: read the pending envelope replies (first chunk when pipelined), then the chunk's reply. */
    private void chunkSent(int index, int size, boolean last) throws IOException {
        if (last) {
            endSent = true;
        }
        LOG.debug("[{}] C: BDAT {}{} <{} bytes of message data>", session.id(), size, last ? " LAST" : "", size);
        try {
            drain();
            if (!mailAccepted() || accepted().isEmpty()) {
                session.readReply(); // the BDAT reply (503/554): the chunk was consumed, the framing is intact
                decided = !mailAccepted() ? mailRefused() : noRecipient();
                throw new StopTransfer();
            }
            SmtpReply r = session.readReply();
            if (last) {
                finalReply = r;
                decided = finalOutcome();
            } else if (r.code() != 250) {
                decided = refused("server " + endpoint + " refused BDAT chunk " + (index + 1) + ": " + r, r, false);
                throw new StopTransfer();
            }
        } catch (StopTransfer e) {
            throw e;
        } catch (IOException e) {
            listenerFailure = e;
            throw e;
        }
    }

    /** Thrown into the message writer to stop a transfer the server refused. */
    private static final class StopTransfer extends IOException {
        private static final long serialVersionUID = 1L;

        StopTransfer() {
            super("transfer stopped: the server refused the transaction");
        }
    }

    // ------------------------------------------------------------------------------------------ replies

    private boolean pipelining() {
        return session.params().pool().pipelining() && session.capabilities().has(SmtpCapabilities.PIPELINING);
    }

    /** Writes a command whose reply goes to {@code slot}; reads the replies now unless pipelining. */
    private void queue(String command, Consumer<SmtpReply> slot, boolean pipe) throws IOException {
        session.writeCommand(command);
        pending.add(slot);
        if (!pipe || pending.size() >= MAX_FLIGHT) {
            drain();
        }
    }

    /** Flushes and reads the replies of every command sent so far, in order. */
    private void drain() throws IOException {
        if (pending.isEmpty() && previous == null) {
            return;
        }
        session.flush();
        resolvePrevious();
        while (!pending.isEmpty()) {
            SmtpReply r = session.readReply();
            if (r.code() == 421) {
                // the server is closing the connection: no further replies will come
                pending.clear();
                if (mailReply == null) {
                    mailReply = r; // MAIL comes first in every flight
                } else {
                    closingReply = r;
                }
                throw new SmtpException("server " + endpoint + " is closing the connection: " + r, r);
            }
            pending.poll().accept(r);
        }
        if (dataReply != null && dataReply.code() == 354 && (!mailAccepted() || accepted().isEmpty())) {
            // a server that says 354 without a valid envelope: end the (empty) data at once
            session.dataStream().write(".\r\n".getBytes(StandardCharsets.US_ASCII));
            session.flush();
            session.readReply();
        }
    }

    private boolean mailAccepted() {
        return mailReply != null && mailReply.isPositiveCompletion();
    }

    private List<MailAddress> accepted() {
        List<MailAddress> ok = new ArrayList<>();
        for (int i = 0; i < rcptReplies.length; i++) {
            if (rcptReplies[i] != null && rcptReplies[i].isPositiveCompletion()) {
                ok.add(recipients.get(i));
            }
        }
        return ok;
    }

    /** Recipients refused at RCPT TO; none when MAIL itself was refused (their replies then say nothing). */
    private List<RecipientFailure> recipientFailures() {
        List<RecipientFailure> failures = new ArrayList<>();
        if (!mailAccepted()) {
            return failures;
        }
        for (int i = 0; i < rcptReplies.length; i++) {
            if (rcptReplies[i] != null && !rcptReplies[i].isPositiveCompletion()) {
                failures.add(RecipientFailure.of(recipients.get(i), rcptReplies[i]));
            }
        }
        return failures;
    }

    private boolean allRecipientsAnswered() {
        for (SmtpReply r : rcptReplies) {
            if (r == null) {
                return false;
            }
        }
        return true;
    }

    // ------------------------------------------------------------------------------------------ outcomes

    private Outcome mailRefused() {
        return refused("server " + endpoint + " refused sender <" + letter.from().address() + ">: " + mailReply,
                mailReply, true);
    }

    /** Every recipient was refused: RSET and report (FAILED when any refusal was transient, else REJECTED). */
    private Outcome noRecipient() {
        boolean usable = !session.isServerClosing() && session.reset();
        return new Outcome(noRecipientResult(), usable, false);
    }

    private SendResult noRecipientResult() {
        List<RecipientFailure> failures = recipientFailures();
        boolean anyTransient = failures.stream().anyMatch(RecipientFailure::isTransient);
        String msg = "server " + endpoint + " accepted no recipient: " + join(failures);
        SmtpReply last = rcptReplies.length == 0 ? null : rcptReplies[rcptReplies.length - 1];
        return anyTransient
                ? SendResult.failed(messageId, msg, true, last, failures)
                : SendResult.rejected(messageId, msg, last, failures);
    }

    /**
     * A negative reply ended the transaction before the message was sent: 4xx FAILED (retryable), 5xx REJECTED;
     * RSET unless the server is closing.
     */
    private Outcome refused(String msg, SmtpReply reply, boolean onMail) {
        boolean closing = reply.code() == 421 || session.isServerClosing();
        boolean usable = !closing && session.reset();
        SendResult r = reply.isPermanent()
                ? SendResult.rejected(messageId, msg, reply, recipientFailures())
                : SendResult.failed(messageId, msg, true, reply, recipientFailures());
        return new Outcome(r, usable, onMail && closing);
    }

    private Outcome finalOutcome() {
        SmtpReply r = finalReply;
        List<RecipientFailure> failures = recipientFailures();
        if (r.isPositiveCompletion()) {
            return new Outcome(SendResult.sent(messageId, accepted(), failures, r), true, false);
        }
        boolean usable = r.code() != 421 && !session.isServerClosing();
        String msg = "server " + endpoint + " refused the message: " + r;
        SendResult result = r.isPermanent()
                ? SendResult.rejected(messageId, msg, r, failures)
                : SendResult.failed(messageId, msg, true, r, failures);
        return new Outcome(result, usable, false);
    }

    /** The connection failed (I/O error, timeout, EOF, protocol violation); the session is discarded. */
    private Outcome broken(IOException e) {
        if (mailReply != null && !mailReply.isPositiveCompletion()) {
            return refusedOnBrokenSession("server " + endpoint + " refused sender <" + letter.from().address()
                    + ">: " + mailReply, mailReply, mailReply.code() == 421);
        }
        if (mailReply != null && allRecipientsAnswered() && accepted().isEmpty()) {
            return new Outcome(noRecipientResult(), false, false);
        }
        if (!bdat && dataReply != null && dataReply.code() != 354) {
            return refusedOnBrokenSession("server " + endpoint + " refused DATA: " + dataReply, dataReply, false);
        }
        String what = closingReply != null ? "server said " + closingReply : describe(e);
        if (endSent && finalReply == null) {
            return new Outcome(SendResult.unknown(messageId, "connection to " + endpoint + " lost after the end of "
                    + "the message was sent, before the server's reply (" + what + "): the server may have accepted "
                    + "it", accepted(), recipientFailures()), false, false);
        }
        return new Outcome(SendResult.failed(messageId, "connection to " + endpoint + " lost before the message "
                + "was sent completely (" + what + ")", true, closingReply, recipientFailures()), false,
                mailReply == null);
    }

    private Outcome refusedOnBrokenSession(String msg, SmtpReply reply, boolean retrySafe) {
        SendResult r = reply.isPermanent()
                ? SendResult.rejected(messageId, msg, reply, recipientFailures())
                : SendResult.failed(messageId, msg, true, reply, recipientFailures());
        return new Outcome(r, false, retrySafe);
    }

    private SendResult contentProblem(Exception e) {
        return SendResult.rejected(messageId, "cannot produce the message of letter " + messageId + ": "
                + (e.getMessage() != null ? e.getMessage() : e.toString()));
    }

    private String describe(IOException e) {
        if (e instanceof EOFException) {
            return "connection closed by the server";
        }
        if (e instanceof WriteWatchdog.WriteTimeoutException) {
            return e.getMessage();
        }
        if (e instanceof SocketTimeoutException) {
            return "no reply within " + session.params().timeouts().readTimeout().toMillis() + " ms";
        }
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }

    private static String join(List<RecipientFailure> failures) {
        StringBuilder sb = new StringBuilder();
        for (RecipientFailure f : failures) {
            sb.append(sb.length() == 0 ? "" : "; ").append(f);
        }
        return sb.toString();
    }
}
