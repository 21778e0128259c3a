package io.github.smtpletter.smtp;

import java.io.IOException;
import java.util.List;

import io.github.smtpletter.letter.DsnOptions;
import io.github.smtpletter.letter.Letter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One mail transaction (RFC 5321 section 3.3) for one letter on a READY {@link SmtpSession}:
 * {@code MAIL FROM}, one {@code RCPT TO} per envelope recipient, then the message through {@code DATA} (dot-stuffed)
 * or {@code BDAT} chunks (RFC 3030), with PIPELINING (RFC 2920) when offered and enabled.
 * <p>
 * {@link #run()} reads top-down: letter-level checks against the server's extensions and the envelope, built once
 * ({@link SmtpEnvelope}); the envelope commands ({@link CommandFlight}); the message ({@link MessageTransfer});
 * the outcome, judged in one place ({@link OutcomeRules}).
 * <p>
 * With PIPELINING, {@code MAIL}, every {@code RCPT} and {@code DATA} go in one flight (recipients beyond
 * {@value CommandFlight#MAX_FLIGHT} commands are sent in several flights) and the replies are matched back in order.
 * With BDAT there is no 354 to wait for, so the first chunk joins the flight: a short message goes whole in one
 * flight, one round trip. A reused session is first checked without a round trip ({@link SmtpSession#isQuiet()}: a
 * connection the server closed or announced closing while idle is replaced, the letter resent, nothing lost or
 * doubled). On a reused session whose server has not answered lately (see the constructor) the first flight does not
 * carry {@code LAST} (a short message then ends with {@code BDAT 0 LAST}), so that a connection closed meanwhile
 * is noticed before the message could have been accepted and the letter can be resent safely.
 * <p>
 * When the server announces SIZE, small letters are written into memory once (exact SIZE, same bytes sent) instead
 * of being written twice; bigger ones are measured by a streaming pass, never held in memory ({@link MessageContent}).
 * <p>
 * The outcome is classified by what the server said and how far the transaction got, see {@link SendResult} and
 * {@link OutcomeRules}. Broken connections: before the end of data was sent the letter is FAILED (retryable); after
 * it and before the reply it is UNKNOWN. Failures while producing the message content (for example an unreadable
 * attachment) cancel the transfer by closing the connection (never by ending the data, which would deliver a
 * truncated message); the letter is then REJECTED.
 */
final class SmtpTransaction {

    private static final Logger LOG = LoggerFactory.getLogger(SmtpTransaction.class);

    /**
     * What happened.
     *
     * @param result        the letter's result
     * @param sessionUsable whether the session can run another transaction
     * @param retrySafe     whether nothing of the transaction can have been accepted and the failure was the
     *                      connection's (I/O error or 421): the letter may be sent again on another connection
     * @param deferred      whether the end of the message is written but neither flushed nor answered yet
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
    private final int chunkSize;
    private final long aliveNanos;
    /** A transaction on the same session whose end of data went out ahead of this one and whose reply is unread. */
    private final SmtpTransaction previous;
    /** Whether this transaction may leave its final reply to the next one (a next letter follows on the session). */
    private final boolean mayDefer;
    private final MessageContent content;
    private final TransactionProgress progress;
    private final OutcomeRules rules;
    private final CommandFlight flight;
    private SmtpEnvelope envelope;
    private boolean bdat;
    /** For a transaction that deferred its end: its outcome once the final reply was read (or the connection broke). */
    private Outcome resolved;
    /** For a transaction that deferred its end: its envelope was refused, its transaction may be open (RSET). */
    private boolean envelopeRefusedAhead;

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
     * costs one round trip per letter. A BDAT transaction likewise writes its {@code BDAT n LAST} unflushed, leaving
     * the replies of its envelope unread too when the message went whole in one flight; it first reads the final
     * reply of the transaction before it, so at most one letter's replies wait. The next transaction then starts
     * with RSET, which closes the transaction a refused envelope may have left open. The previous outcome is then
     * {@link #resolvedOutcome()}.
     *
     * @param previous a deferred transaction on the same session, or {@code null}
     * @param mayDefer whether another letter follows on this session
     */
    SmtpTransaction(SmtpSession session, Letter letter, MessageWriter writer, int chunkSize, long aliveNanos,
                    SmtpTransaction previous, boolean mayDefer) {
        this.session = session;
        this.letter = letter;
        this.chunkSize = chunkSize;
        this.aliveNanos = aliveNanos;
        this.previous = previous;
        this.mayDefer = mayDefer;
        this.content = new MessageContent(letter, writer, session.params().dkim());
        this.progress = new TransactionProgress(letter.recipients());
        this.rules = new OutcomeRules(session, letter, progress);
        this.flight = new CommandFlight(session, progress, previous);
    }

    /**
     * Runs the transaction. Never throws for the letter's own failure; leaves the session READY when
     * {@link Outcome#sessionUsable()}, else closed.
     */
    Outcome run() {
        Outcome o;
        try {
            o = prepare();
            if (o == null) {
                session.beginTransaction();
                if (previous == null && session.isReused() && !session.isQuiet()) {
                    // closed (or closing: 421) while idle: nothing was sent, another connection may take the letter
                    o = rules.closedWhileIdle();
                } else {
                    o = send();
                }
            }
        } catch (IOException e) {
            o = rules.broken(e);
        } catch (RuntimeException e) {
            LOG.warn("unexpected failure sending {} via {}", letter.messageId(), session.endpoint(), e);
            o = rules.internalError(e);
        }
        if (flight.previousUnread()) {
            // this letter ended before reading any reply (refused before MAIL, content problem, a failed flush):
            // the previous letter's end may still be waiting in the buffer
            try {
                session.flush();
                flight.readPrevious();
                if (previous.envelopeRefusedAhead && !session.reset()) {
                    o = new Outcome(o.result(), false, o.retrySafe());
                }
            } catch (IOException | RuntimeException e) {
                previous.deferredReplyLost(e);
                o = new Outcome(o.result(), false, o.retrySafe());
            }
        }
        if (o.sessionUsable()) {
            session.endTransaction();
        } else {
            session.abort();
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("[{}] {}", session.id(), o.deferred() ? "end of " + letter.messageId() + " sent, reply pending"
                    : o.result());
        }
        return o;
    }

    /** @return for a deferred transaction, its outcome once the next transaction read the final reply, else null */
    Outcome resolvedOutcome() {
        return resolved;
    }

    /**
     * Letter-level checks against the server's extensions, and the envelope; nothing is sent.
     *
     * @return the outcome when the letter cannot go to this server, else {@code null}
     */
    private Outcome prepare() throws IOException {
        SmtpCapabilities caps = session.capabilities();
        if (previous != null
            && ((caps.sizeLimit() > 0 && !MessageContent.isSmall(letter)) || letter.isRaw() || content.signs())) {
            // a pass over the content (possibly big or slow) comes next: do not hold the previous letter's end
            // unflushed meanwhile; its reply is still read after this letter's commands
            session.flush();
        }
        // every address the letter carries counts, and those in a raw message's headers
        String international = rules.internationalAddress();
        if (international == null) {
            try {
                international = content.rawInternationalAddress();
            } catch (IOException | RuntimeException e) {
                return rules.contentProblem(e, true);
            }
        }
        boolean utf8 = international != null;
        if (utf8 && !caps.has(SmtpCapabilities.SMTPUTF8)) {
            return rules.smtpUtf8NotOffered(international);
        }
        long size = -1;
        if (caps.sizeLimit() > 0 || content.signs()) {
            try {
                size = content.measure(); // with DKIM: the pass that signs, and the size with the signature
            } catch (IOException | RuntimeException e) {
                return rules.contentProblem(e, true);
            }
            if (caps.sizeLimit() <= 0) {
                size = -1;
            } else if (size > caps.sizeLimit()) {
                return rules.tooBig(size, caps.sizeLimit());
            }
        }
        boolean eightBit = false;
        if (caps.has(SmtpCapabilities.EIGHT_BIT_MIME)) {
            try {
                eightBit = utf8 || content.isRawWith8bit();
            } catch (IOException | RuntimeException e) {
                return rules.contentProblem(e, true);
            }
        }
        DsnOptions dsn = caps.has(SmtpCapabilities.DSN) ? letter.dsn() : null;
        envelope = SmtpEnvelope.of(letter, size, eightBit, utf8, dsn);
        progress.sentAs(envelope.recipients());
        bdat = session.params().pool().chunking() && caps.has(SmtpCapabilities.CHUNKING);
        return null;
    }

    /** The envelope commands, then the message through DATA or BDAT; the same envelope for both. */
    private Outcome send() throws IOException {
        boolean pipe = session.params().pool().pipelining() && session.capabilities().has(SmtpCapabilities.PIPELINING);
        if (previous != null && previous.envelopeUnread()) {
            // the letter before went whole (BDAT LAST) with its envelope's replies unread: should its envelope have
            // been refused, its transaction may still be open at the server; RSET closes it before this MAIL
            flight.queue("RSET", r -> {
            }, pipe);
        }
        flight.queue(envelope.mailCommand(), progress::mailReply, pipe);
        if (!pipe && !progress.mailAccepted()) {
            return rules.mailRefused();
        }
        List<String> rcpts = envelope.rcptCommands();
        for (int i = 0; i < rcpts.size(); i++) {
            int index = i;
            flight.queue(rcpts.get(i), r -> progress.rcptReply(index, r), pipe);
        }
        if (!pipe && progress.accepted().isEmpty()) {
            return rules.noRecipient();
        }
        MessageTransfer transfer = new MessageTransfer(session, content, flight, progress, rules);
        if (!bdat) {
            return transfer.viaData(mayDefer && pipe);
        }
        // on a reused session not heard from lately, the first flight does not complete the message, so that a
        // connection the server dropped is noticed before the message could have been taken (the letter can then go
        // again on another connection); a session that answered a moment ago and is quiet gets the whole message
        boolean lastAlone = pipe && session.isReused() && !session.heardFromWithin(aliveNanos);
        return transfer.viaBdat(content.chunkSize(chunkSize), lastAlone, pipe, mayDefer && pipe);
    }

    // ------------------------------------------------------------------------------------------ a stream of letters

    /**
     * For a deferred transaction whose end (and whatever followed) was flushed by the next one: reads the final
     * reply. A broken connection makes the letter UNKNOWN (its end was sent) and is rethrown for the next one.
     */
    void readDeferredReply() throws IOException {
        try {
            flight.drain(); // BDAT: the envelope's replies, when the message went whole in one flight
            if (!progress.envelopeAccepted()) {
                session.readFinalReply(); // the reply to BDAT LAST (503/554): the message was not taken
                envelopeRefusedAhead = true;
                resolved = rules.envelopeRefusedAhead();
                return;
            }
            progress.finalReply(session.readFinalReply());
            resolved = rules.finalReply();
        } catch (IOException e) {
            resolved = rules.broken(e);
            throw e;
        } catch (RuntimeException e) {
            resolved = rules.broken(new IOException(e));
            throw e;
        } finally {
            if (LOG.isDebugEnabled() && resolved != null) {
                LOG.debug("[{}] {}", session.id(), resolved.result());
            }
        }
    }

    /** @return for a deferred transaction, whether its envelope's replies are still to be read */
    boolean envelopeUnread() {
        return flight.hasPending();
    }

    /** For a deferred transaction: the next one could not flush its end or read its final reply. */
    void deferredReplyLost(Exception e) {
        if (resolved == null) {
            resolved = rules.broken(e instanceof IOException io ? io : new IOException(e));
        }
    }
}
