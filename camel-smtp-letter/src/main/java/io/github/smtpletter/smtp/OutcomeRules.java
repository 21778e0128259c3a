package io.github.smtpletter.smtp;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.List;

import io.github.smtpletter.letter.Letter;
import io.github.smtpletter.letter.MailAddress;
import io.github.smtpletter.mime.dkim.DkimContentChangedException;
import io.github.smtpletter.smtp.SmtpTransaction.Outcome;

/**
 * The outcome rules of one mail transaction, all in one place: the letter's {@link SendResult}, whether the session
 * can run another transaction, and whether the letter may go again on another connection, from what the server said
 * and how far the transaction got ({@link TransactionProgress}).
 * <ul>
 * <li>A 2xx reply at the end of the message: SENT, or PARTIALLY_SENT when some recipients were refused.</li>
 * <li>A negative reply to MAIL, DATA, a BDAT chunk or the end of the message: REJECTED for 5xx, FAILED (retryable)
 * for 4xx. Every recipient refused: REJECTED, or FAILED (retryable) when any refusal was transient. The session is
 * reset (RSET) and kept unless the server is closing it (421).</li>
 * <li>What the letter asks for and the server does not offer (SMTPUTF8, its SIZE), or content that cannot be
 * produced: REJECTED.</li>
 * <li>The connection broke before the end of the message was sent: FAILED (retryable); after it and before the
 * reply, or when the reply to the end of the message is no proper 2xx/4xx/5xx reply: UNKNOWN (not retryable), the
 * server may have taken the message. The letter may be sent again on another connection only
 * when nothing of it can have been accepted: before MAIL was accepted, and the failure was the connection's.</li>
 * </ul>
 */
final class OutcomeRules {

    private final SmtpSession session;
    private final Letter letter;
    private final TransactionProgress progress;
    private final String messageId;
    private final String endpoint;

    OutcomeRules(SmtpSession session, Letter letter, TransactionProgress progress) {
        this.session = session;
        this.letter = letter;
        this.progress = progress;
        this.messageId = letter.messageId();
        this.endpoint = session.endpoint();
    }

    // ------------------------------------------------------------------------------------------ before MAIL

    /**
     * The letter needs SMTPUTF8, which the server does not offer.
     *
     * @param where the address with a non-ASCII local part and where it is, safe to show
     */
    Outcome smtpUtf8NotOffered(String where) {
        return new Outcome(SendResult.rejected(messageId, "letter needs SMTPUTF8 (" + where
                                                          + " has a non-ASCII local part) but the server " + endpoint
                                                          + " does not offer SMTPUTF8; nothing was sent"), true, false);
    }

    /** The letter is bigger than the server's SIZE limit. */
    Outcome tooBig(long size, long limit) {
        return new Outcome(SendResult.rejected(messageId, "letter is " + size + " bytes, server "
                                                          + endpoint + " accepts at most " + limit + " (SIZE)"), true,
                false);
    }

    /** The message could not be produced (for example an unreadable attachment). */
    Outcome contentProblem(Exception e, boolean sessionUsable) {
        if (e instanceof DkimContentChangedException) {
            // the content changed under a signature: not a problem of the letter, sending it again signs it anew
            return new Outcome(SendResult.failed(messageId, "letter " + messageId + " not sent: " + e.getMessage(),
                    true), sessionUsable, false);
        }
        return new Outcome(SendResult.rejected(messageId, "cannot produce the message of letter " + messageId + ": "
                                                          + (e.getMessage() != null ? e.getMessage() : e.toString())),
                sessionUsable, false);
    }

    /** A reused connection was closed (or announced closing) by the server while idle. */
    Outcome closedWhileIdle() {
        return new Outcome(SendResult.failed(messageId, "connection to " + endpoint + " was closed by the "
                                                        + "server while idle; nothing was sent", true), false, true);
    }

    // ------------------------------------------------------------------------------------------ refusals

    Outcome mailRefused() {
        return refused(mailRefusedMessage(), progress.mailReply(), true);
    }

    /** Every recipient was refused: RSET and report (FAILED when any refusal was transient, else REJECTED). */
    Outcome noRecipient() {
        boolean usable = !session.isServerClosing() && session.reset();
        return new Outcome(noRecipientResult(), usable, false);
    }

    /**
     * The envelope of a letter that went whole in one flight (BDAT LAST) ahead of the next letter was refused; the
     * next letter's RSET, already sent, closes the transaction.
     */
    Outcome envelopeRefusedAhead() {
        boolean usable = !session.isServerClosing();
        if (!progress.mailAccepted()) {
            return new Outcome(negative(mailRefusedMessage(), progress.mailReply(), progress.recipientFailures()),
                    usable, false);
        }
        return new Outcome(noRecipientResult(), usable, false);
    }

    Outcome dataRefused() {
        return refused("server " + endpoint + " refused DATA: " + progress.dataReply(), progress.dataReply(), false);
    }

    /** @param index 0 for the first chunk */
    Outcome chunkRefused(int index, SmtpReply reply) {
        return refused("server " + endpoint + " refused BDAT chunk " + (index + 1) + ": " + reply, reply, false);
    }

    /** The server's reply at the end of the message decides. */
    Outcome finalReply() {
        SmtpReply r = progress.finalReply();
        List<RecipientFailure> failures = progress.recipientFailures();
        if (r.isPositiveCompletion()) {
            return new Outcome(SendResult.sent(messageId, progress.accepted(), failures, r), true, false);
        }
        int kind = r.code() / 100;
        if (kind != 4 && kind != 5) {
            // neither accepted nor refused (354 more please, 334 ...): the whole message went over and the server
            // may have taken it; the dialogue is out of step, the connection is dropped, the letter never resent
            return new Outcome(SendResult.unknown(messageId, "server " + endpoint + " answered the end of the "
                                                             + "message with neither acceptance nor refusal (" + r
                                                             + "): the server may have accepted it",
                    progress.accepted(), failures), false, false);
        }
        boolean usable = r.code() != ReplyCode.SERVICE_CLOSING && !session.isServerClosing();
        String msg = "server " + endpoint + " refused the message: " + r;
        return new Outcome(negative(msg, r, failures), usable, false);
    }

    /**
     * A negative reply ended the transaction before the message was sent: 4xx FAILED (retryable), 5xx REJECTED;
     * RSET unless the server is closing.
     */
    private Outcome refused(String msg, SmtpReply reply, boolean onMail) {
        boolean closing = reply.code() == ReplyCode.SERVICE_CLOSING || session.isServerClosing();
        boolean usable = !closing && session.reset();
        return new Outcome(negative(msg, reply, progress.recipientFailures()), usable, onMail && closing);
    }

    private SendResult noRecipientResult() {
        List<RecipientFailure> failures = progress.recipientFailures();
        boolean anyTransient = failures.stream().anyMatch(RecipientFailure::isTransient);
        String msg = "server " + endpoint + " accepted no recipient: " + join(failures);
        SmtpReply last = progress.lastRcptReply();
        return anyTransient
                ? SendResult.failed(messageId, msg, true, last, failures)
                : SendResult.rejected(messageId, msg, last, failures);
    }

    /** 5xx REJECTED, else FAILED (retryable). */
    private SendResult negative(String msg, SmtpReply reply, List<RecipientFailure> failures) {
        return reply.isPermanent()
                ? SendResult.rejected(messageId, msg, reply, failures)
                : SendResult.failed(messageId, msg, true, reply, failures);
    }

    // ------------------------------------------------------------------------------------------ failures

    /** The connection failed (I/O error, timeout, EOF, protocol violation); the session is discarded. */
    Outcome broken(IOException e) {
        SmtpReply mail = progress.mailReply();
        if (mail != null && !mail.isPositiveCompletion()) {
            return new Outcome(negative(mailRefusedMessage(), mail, progress.recipientFailures()), false,
                    mail.code() == ReplyCode.SERVICE_CLOSING);
        }
        if (mail != null && progress.allRecipientsAnswered() && progress.accepted().isEmpty()) {
            return new Outcome(noRecipientResult(), false, false);
        }
        SmtpReply data = progress.dataReply();
        if (data != null && data.code() != ReplyCode.START_MAIL_INPUT) {
            return new Outcome(negative("server " + endpoint + " refused DATA: " + data, data,
                    progress.recipientFailures()), false, false);
        }
        SmtpReply closing = progress.closingReply();
        if (mail == null && closing == null && session.isServerClosing()) {
            // the server said 421 to an earlier letter's command: it processes nothing after it, this letter's
            // commands (and its BDAT LAST, sent in the same flight) were never taken
            return new Outcome(SendResult.failed(messageId, "connection to " + endpoint + " was closed by the "
                                                            + "server (421) before this letter's commands were "
                                                            + "answered", true), false, true);
        }
        String what = closing != null ? "server said " + closing : describe(e);
        if (progress.awaitingFinalReply()) {
            return new Outcome(SendResult.unknown(messageId, "connection to " + endpoint + " lost after the end of "
                                                             + "the message was sent, before the server's reply ("
                                                             + what + "): the server may have accepted "
                                                             + "it", progress.accepted(), progress.recipientFailures()),
                    false, false);
        }
        return new Outcome(SendResult.failed(messageId, "connection to " + endpoint + " lost before the message "
                                                        + "was sent completely (" + what + ")", true, closing, progress
                                                                .recipientFailures()), false,
                mail == null);
    }

    /** A bug rather than the letter's or the connection's failure; the session is discarded. */
    Outcome internalError(RuntimeException e) {
        return progress.awaitingFinalReply()
                // the end of the message went out: the server may have accepted it
                ? new Outcome(SendResult.unknown(messageId, "internal error after the end of the message was "
                                                            + "sent, before the server's reply: " + e, progress
                                                                    .accepted(), progress.recipientFailures()),
                        false, false)
                : new Outcome(SendResult.failed(messageId, "internal error while sending: " + e, false), false, false);
    }

    private String mailRefusedMessage() {
        return "server " + endpoint + " refused sender <" + letter.from().address() + ">: " + progress.mailReply();
    }

    private String describe(IOException e) {
        if (e instanceof EOFException) {
            return "connection closed by the server";
        }
        if (e instanceof WriteWatchdog.WriteTimeoutException
            || e instanceof DeadlineInputStream.ReplyTimeoutException) {
            return e.getMessage();
        }
        if (e instanceof SocketTimeoutException) {
            return "no reply within " + session.params().timeouts().readTimeout().toMillis() + " ms";
        }
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }

    /**
     * @return the first address of the letter (not of a raw message's headers) with a non-ASCII local part and where
     *         it is, e.g. {@code "Reply-To address jörg@example.org"}, or {@code null} when none
     */
    String internationalAddress() {
        if (letter.from().isInternational()) {
            return "sender address " + letter.from().address();
        }
        for (MailAddress r : letter.recipients()) {
            if (r.isInternational()) {
                return "recipient address " + r.address();
            }
        }
        for (MailAddress r : letter.replyTo()) {
            if (r.isInternational()) {
                return "Reply-To address " + r.address();
            }
        }
        MailAddress receipt = letter.readReceiptTo();
        if (receipt != null && receipt.isInternational()) {
            return "read-receipt address " + receipt.address();
        }
        return null;
    }

    private static String join(List<RecipientFailure> failures) {
        StringBuilder sb = new StringBuilder();
        for (RecipientFailure f : failures) {
            sb.append(sb.length() == 0 ? "" : "; ").append(f);
        }
        return sb.toString();
    }
}
