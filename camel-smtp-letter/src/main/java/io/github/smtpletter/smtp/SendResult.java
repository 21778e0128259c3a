package io.github.smtpletter.smtp;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.smtpletter.letter.MailAddress;

/**
 * What happened to one letter handed to {@link SmtpClient#send}. Immutable.
 * <ul>
 * <li>{@link SendStatus#SENT}: the final reply to DATA/BDAT was 2xx and every recipient was accepted.</li>
 * <li>{@link SendStatus#PARTIALLY_SENT}: the message was accepted for {@link #acceptedRecipients()}, the
 * {@link #rejectedRecipients()} were refused at {@code RCPT TO}. A refusal with a 4xx code is transient: sending
 * again to just those recipients may work; 5xx is permanent.</li>
 * <li>{@link SendStatus#REJECTED}: permanently refused (5xx to MAIL, to every RCPT or to the end of data), or the
 * letter cannot be sent to this server (too large for its SIZE, needs SMTPUTF8 it does not offer, content that
 * cannot be produced). Not retryable.</li>
 * <li>{@link SendStatus#FAILED}: not handed over (connection or TLS or authentication problem, a 4xx reply, the
 * connection broke before the end of data was sent). {@link #isRetryable()} tells whether sending again later
 * may work (a 4xx or an I/O problem: yes; a 5xx such as 535 during authentication: no).</li>
 * <li>{@link SendStatus#UNKNOWN}: the connection broke after the end of data was sent and before the server
 * answered: the server may or may not have taken the message. Retrying may deliver it twice.</li>
 * </ul>
 */
public final class SendResult {

    private static final Pattern[] QUEUE_ID = {
            Pattern.compile("queued as ([A-Za-z0-9][A-Za-z0-9._@:+/=-]*)", Pattern.CASE_INSENSITIVE),
            Pattern.compile("\\bid=([A-Za-z0-9][A-Za-z0-9._@:+/=-]*)", Pattern.CASE_INSENSITIVE),
    };

    private final String messageId;
    private final SendStatus status;
    private final List<MailAddress> acceptedRecipients;
    private final List<RecipientFailure> rejectedRecipients;
    private final SmtpReply serverReply;
    private final String queueId;
    private final String error;
    private final boolean retryable;

    private SendResult(String messageId, SendStatus status, List<MailAddress> accepted,
                       List<RecipientFailure> rejected, SmtpReply serverReply, String error, boolean retryable) {
        this.messageId = messageId;
        this.status = Objects.requireNonNull(status, "status");
        this.acceptedRecipients = accepted == null ? List.of() : envelopeAddresses(accepted);
        this.rejectedRecipients = rejected == null ? List.of() : List.copyOf(rejected);
        this.serverReply = serverReply;
        this.queueId = serverReply != null && serverReply.isPositiveCompletion() ? parseQueueId(serverReply) : null;
        this.error = error;
        this.retryable = retryable && status == SendStatus.FAILED;
    }

    /**
     * The message was accepted: {@link SendStatus#SENT} when no recipient was refused, else
     * {@link SendStatus#PARTIALLY_SENT} with an error naming how many recipients were refused.
     *
     * @param messageId the letter's Message-ID
     * @param accepted  recipients the server accepted (not empty)
     * @param rejected  recipients refused at RCPT TO (may be empty)
     * @param reply     the final 2xx reply to DATA/BDAT
     * @return the result
     */
    public static SendResult sent(String messageId, List<MailAddress> accepted, List<RecipientFailure> rejected,
                                  SmtpReply reply) {
        if (rejected == null || rejected.isEmpty()) {
            return new SendResult(messageId, SendStatus.SENT, accepted, List.of(), reply, null, false);
        }
        int total = rejected.size() + (accepted == null ? 0 : accepted.size());
        String error = rejected.size() + " of " + total + " recipients refused: " + describe(rejected);
        return new SendResult(messageId, SendStatus.PARTIALLY_SENT, accepted, rejected, reply, error, false);
    }

    /**
     * The letter was not handed over; {@link SendStatus#FAILED}.
     *
     * @param messageId the letter's Message-ID
     * @param error     why
     * @param retryable whether sending again later may work
     * @return the result
     */
    public static SendResult failed(String messageId, String error, boolean retryable) {
        return failed(messageId, error, retryable, null, List.of());
    }

    /**
     * The letter was not handed over; {@link SendStatus#FAILED}, with the reply that caused it and the recipients
     * the server had already refused.
     *
     * @param messageId the letter's Message-ID
     * @param error     why
     * @param retryable whether sending again later may work
     * @param reply     the reply that stopped the letter, or {@code null}
     * @param rejected  recipients refused at RCPT TO (may be empty)
     * @return the result
     */
    public static SendResult failed(String messageId, String error, boolean retryable, SmtpReply reply,
                                    List<RecipientFailure> rejected) {
        return new SendResult(messageId, SendStatus.FAILED, List.of(), rejected, reply, error, retryable);
    }

    /**
     * Permanently refused; {@link SendStatus#REJECTED}.
     *
     * @param messageId the letter's Message-ID
     * @param error     why
     * @return the result
     */
    public static SendResult rejected(String messageId, String error) {
        return rejected(messageId, error, null, List.of());
    }

    /**
     * Permanently refused; {@link SendStatus#REJECTED}, with the reply and the refused recipients.
     *
     * @param messageId the letter's Message-ID
     * @param error     why
     * @param reply     the reply that refused the letter, or {@code null}
     * @param rejected  recipients refused at RCPT TO (may be empty)
     * @return the result
     */
    public static SendResult rejected(String messageId, String error, SmtpReply reply,
                                      List<RecipientFailure> rejected) {
        return new SendResult(messageId, SendStatus.REJECTED, List.of(), rejected, reply, error, false);
    }

    /**
     * The outcome is unknown ({@link SendStatus#UNKNOWN}): the end of data was sent, the reply never came.
     *
     * @param messageId the letter's Message-ID
     * @param error     what broke
     * @param accepted  the recipients accepted at RCPT TO: the server may have delivered to them
     * @param rejected  recipients refused at RCPT TO (may be empty)
     * @return the result
     */
    public static SendResult unknown(String messageId, String error, List<MailAddress> accepted,
                                     List<RecipientFailure> rejected) {
        return new SendResult(messageId, SendStatus.UNKNOWN, accepted, rejected, null, error, false);
    }

    /** @return the Message-ID of the letter (without angle brackets) */
    public String messageId() {
        return messageId;
    }

    /** @return what happened */
    public SendStatus status() {
        return status;
    }

    /** The addresses without display names: a result names what went in RCPT TO. */
    private static List<MailAddress> envelopeAddresses(List<MailAddress> addresses) {
        List<MailAddress> bare = new ArrayList<>(addresses.size());
        for (MailAddress a : addresses) {
            bare.add(a.displayName() == null ? a : a.withDisplayName(null));
        }
        return List.copyOf(bare);
    }

    /**
     * The recipients the server took the message for: all accepted ones for SENT and PARTIALLY_SENT, the ones
     * accepted at {@code RCPT TO} for UNKNOWN (it may have delivered to them), empty otherwise. Each is the envelope
     * address exactly as sent in {@code RCPT TO}: no display name, and the domain in ASCII form ({@code xn--})
     * unless the letter went with {@code SMTPUTF8}.
     *
     * @return the accepted recipients, unmodifiable
     */
    public List<MailAddress> acceptedRecipients() {
        return acceptedRecipients;
    }

    /**
     * @return the recipients refused at {@code RCPT TO}, each with the server's code and text and named like
     *         {@link #acceptedRecipients()}
     */
    public List<RecipientFailure> rejectedRecipients() {
        return rejectedRecipients;
    }

    /**
     * @return the reply that decided the outcome: the final reply to DATA/BDAT when there was one, else the
     *         negative reply that stopped the letter (for example to MAIL FROM), {@code null} when none
     */
    public SmtpReply serverReply() {
        return serverReply;
    }

    /** @return the server's queue id parsed from a positive final reply ("queued as X", "id=X"), else {@code null} */
    public String queueId() {
        return queueId;
    }

    /** @return why the letter was not (fully) sent; {@code null} when SENT */
    public String error() {
        return error;
    }

    /** @return whether sending this letter again later may work: only for some FAILED results */
    public boolean isRetryable() {
        return retryable;
    }

    /** @return whether the server accepted the message for at least one recipient (SENT or PARTIALLY_SENT) */
    public boolean isSent() {
        return status == SendStatus.SENT || status == SendStatus.PARTIALLY_SENT;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("SendResult[").append(status)
                .append(", messageId=").append(messageId);
        if (queueId != null) {
            sb.append(", queueId=").append(queueId);
        }
        if (!acceptedRecipients.isEmpty()) {
            sb.append(", accepted=").append(acceptedRecipients.size());
        }
        if (!rejectedRecipients.isEmpty()) {
            sb.append(", rejected=").append(rejectedRecipients);
        }
        if (error != null) {
            sb.append(", error=").append(error);
        }
        if (status == SendStatus.FAILED) {
            sb.append(", retryable=").append(retryable);
        }
        return sb.append(']').toString();
    }

    static String parseQueueId(SmtpReply reply) {
        String text = reply.text();
        for (Pattern p : QUEUE_ID) {
            Matcher m = p.matcher(text);
            if (m.find()) {
                String id = m.group(1);
                while (id.endsWith(".") || id.endsWith(":")) {
                    id = id.substring(0, id.length() - 1);
                }
                return id.isEmpty() ? null : id;
            }
        }
        return null;
    }

    private static String describe(List<RecipientFailure> rejected) {
        StringBuilder sb = new StringBuilder();
        for (RecipientFailure f : rejected) {
            if (sb.length() > 0) {
                sb.append("; ");
            }
            sb.append(f);
        }
        return sb.toString();
    }
}
