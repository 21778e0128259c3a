package io.github.smtpletter.smtp;

import java.util.ArrayList;
import java.util.List;

import io.github.smtpletter.letter.MailAddress;

/**
 * How far one mail transaction got: the server's replies so far (to MAIL, to each RCPT, to DATA, at the end of the
 * message, and a 421 that closed the connection) and whether the end of the message was sent. The
 * {@link OutcomeRules} judge the letter from it.
 */
final class TransactionProgress {

    /** The envelope recipients as they go in RCPT TO (no display name), in order. */
    private List<MailAddress> recipients;
    private final SmtpReply[] rcptReplies;
    private SmtpReply mailReply;
    private SmtpReply dataReply;
    private SmtpReply finalReply;
    private SmtpReply closingReply;
    private boolean endSent;

    TransactionProgress(List<MailAddress> recipients) {
        this.recipients = recipients;
        this.rcptReplies = new SmtpReply[recipients.size()];
    }

    /**
     * @param envelopeRecipients the recipients exactly as they go in RCPT TO, same number and order as given to the
     *                           constructor: results name them so
     */
    void sentAs(List<MailAddress> envelopeRecipients) {
        if (envelopeRecipients.size() != rcptReplies.length) {
            throw new IllegalArgumentException("expected " + rcptReplies.length + " envelope recipients, got "
                                               + envelopeRecipients.size());
        }
        this.recipients = envelopeRecipients;
    }

    void mailReply(SmtpReply reply) {
        mailReply = reply;
    }

    /** @return the reply to MAIL FROM, or {@code null} when none was read */
    SmtpReply mailReply() {
        return mailReply;
    }

    void rcptReply(int index, SmtpReply reply) {
        rcptReplies[index] = reply;
    }

    /** @return the reply to the last RCPT TO, or {@code null} when none was read or there is no recipient */
    SmtpReply lastRcptReply() {
        return rcptReplies.length == 0 ? null : rcptReplies[rcptReplies.length - 1];
    }

    void dataReply(SmtpReply reply) {
        dataReply = reply;
    }

    /** @return the reply to DATA (354 to go on), or {@code null} when none was read */
    SmtpReply dataReply() {
        return dataReply;
    }

    void finalReply(SmtpReply reply) {
        finalReply = reply;
    }

    /** @return the reply to the end of the message, or {@code null} when none was read */
    SmtpReply finalReply() {
        return finalReply;
    }

    void closingReply(SmtpReply reply) {
        closingReply = reply;
    }

    /** @return a 421 the server sent in place of a reply after MAIL, or {@code null} */
    SmtpReply closingReply() {
        return closingReply;
    }

    void endSent() {
        endSent = true;
    }

    /** @return whether the end of the message was sent and its reply not read: the server may have taken it */
    boolean awaitingFinalReply() {
        return endSent && finalReply == null;
    }

    boolean mailAccepted() {
        return mailReply != null && mailReply.isPositiveCompletion();
    }

    /** @return whether MAIL was accepted and some recipient too: the message can be sent */
    boolean envelopeAccepted() {
        return mailAccepted() && !accepted().isEmpty();
    }

    /** @return the recipients accepted at RCPT TO */
    List<MailAddress> accepted() {
        List<MailAddress> ok = new ArrayList<>();
        for (int i = 0; i < rcptReplies.length; i++) {
            if (rcptReplies[i] != null && rcptReplies[i].isPositiveCompletion()) {
                ok.add(recipients.get(i));
            }
        }
        return ok;
    }

    /** Recipients refused at RCPT TO; none when MAIL itself was refused (their replies then say nothing). */
    List<RecipientFailure> recipientFailures() {
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

    boolean allRecipientsAnswered() {
        for (SmtpReply r : rcptReplies) {
            if (r == null) {
                return false;
            }
        }
        return true;
    }
}
