package io.github.smtpletter.smtp;

import io.github.smtpletter.letter.MailAddress;

/**
 * One recipient the server refused at {@code RCPT TO}.
 * A 4xx code means the refusal was transient (trying that recipient again later may work), 5xx permanent.
 *
 * @param recipient    the refused envelope recipient as sent in {@code RCPT TO}: a display name given is dropped
 * @param code         the SMTP reply code (4xx or 5xx)
 * @param enhancedCode the enhanced status code (RFC 3463), or {@code null}
 * @param text         the server's reply text
 */
public record RecipientFailure(MailAddress recipient, int code, String enhancedCode, String text) {

    /** Drops a display name: the server was told the bare address. */
    public RecipientFailure {
        if (recipient != null && recipient.displayName() != null) {
            recipient = recipient.withDisplayName(null);
        }
    }

    /**
     * Builds a failure from the server's reply to {@code RCPT TO}.
     *
     * @param recipient the refused recipient
     * @param reply     the negative reply
     * @return the failure
     */
    public static RecipientFailure of(MailAddress recipient, SmtpReply reply) {
        return new RecipientFailure(recipient, reply.code(), reply.enhancedCode(), reply.text());
    }

    /** @return whether the refusal was transient (4xx): the recipient may be tried again later */
    public boolean isTransient() {
        return code >= 400 && code < 500;
    }

    /** @return {@code "a@b: 550 5.1.1 No such user"} */
    @Override
    public String toString() {
        return recipient.address() + ": " + code + (enhancedCode != null ? " " + enhancedCode : "")
               + (text != null && !text.isEmpty() ? " " + text : "");
    }
}
