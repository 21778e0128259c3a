package io.github.smtpletter.camel.ledger;

import java.util.ArrayList;
import java.util.List;

import io.github.smtpletter.letter.MailAddress;
import io.github.smtpletter.smtp.RecipientFailure;
import io.github.smtpletter.smtp.SendResult;
import io.github.smtpletter.smtp.SendStatus;
import io.github.smtpletter.smtp.SmtpReply;

/**
 * A {@link SendResult} as the plain column values {@link JdbcLetterLedger} stores: status, Message-ID, accepted
 * recipients (one address a line), refused recipients (one a line: address, code, enhanced code, text, separated
 * by tabs), the server's reply (code, enhanced code, text), the error and whether it is retryable. Text is escaped
 * ({@code \\}, {@code \n}, {@code \r}, {@code \t}) so that no value can break a line or a field. Reading builds the
 * result through {@link SendResult}'s factories, which derive the queue id as they do for a fresh result.
 */
final class ResultColumns {

    final String status;
    final String messageId;
    final String accepted;
    final String rejected;
    final Integer replyCode;
    final String replyEnhancedCode;
    final String replyText;
    final String error;
    final boolean retryable;

    ResultColumns(String status, String messageId, String accepted, String rejected, Integer replyCode,
                  String replyEnhancedCode, String replyText, String error, boolean retryable) {
        this.status = status;
        this.messageId = messageId;
        this.accepted = accepted;
        this.rejected = rejected;
        this.replyCode = replyCode;
        this.replyEnhancedCode = replyEnhancedCode;
        this.replyText = replyText;
        this.error = error;
        this.retryable = retryable;
    }

    static ResultColumns of(SendResult r) {
        StringBuilder accepted = new StringBuilder();
        for (MailAddress a : r.acceptedRecipients()) {
            line(accepted).append(escape(a.address()));
        }
        StringBuilder rejected = new StringBuilder();
        for (RecipientFailure f : r.rejectedRecipients()) {
            line(rejected).append(escape(f.recipient().address())).append('\t').append(f.code()).append('\t')
                    .append(f.enhancedCode() == null ? "" : f.enhancedCode()).append('\t')
                    .append(f.text() == null ? "" : escape(f.text()));
        }
        SmtpReply reply = r.serverReply();
        return new ResultColumns(r.status().name(), r.messageId(), accepted.toString(), rejected.toString(),
                reply == null ? null : reply.code(), reply == null ? null : reply.enhancedCode(),
                reply == null ? null : reply.text(), r.error(), r.isRetryable());
    }

    SendResult toResult() {
        SendStatus s = SendStatus.valueOf(status);
        List<MailAddress> acceptedList = new ArrayList<>();
        for (String line : lines(accepted)) {
            acceptedList.add(MailAddress.of(unescape(line)));
        }
        List<RecipientFailure> rejectedList = new ArrayList<>();
        for (String line : lines(rejected)) {
            String[] f = line.split("\t", 4);
            if (f.length != 4) {
                throw new IllegalStateException("a stored refused recipient has " + f.length + " fields, not 4");
            }
            rejectedList.add(new RecipientFailure(MailAddress.of(unescape(f[0])), Integer.parseInt(f[1]),
                    f[2].isEmpty() ? null : f[2], f[3].isEmpty() ? null : unescape(f[3])));
        }
        SmtpReply reply = replyCode == null ? null
                : new SmtpReply(replyCode, replyEnhancedCode, replyText == null ? null : List.of(replyText.split("\n",
                        -1)));
        return switch (s) {
            case SENT, PARTIALLY_SENT -> SendResult.sent(messageId, acceptedList, rejectedList, reply);
            case REJECTED -> SendResult.rejected(messageId, error, reply, rejectedList);
            case FAILED -> SendResult.failed(messageId, error, retryable, reply, rejectedList);
            case UNKNOWN -> SendResult.unknown(messageId, error, acceptedList, rejectedList);
        };
    }

    private static StringBuilder line(StringBuilder sb) {
        return sb.length() > 0 ? sb.append('\n') : sb;
    }

    private static List<String> lines(String text) {
        return text == null || text.isEmpty() ? List.of() : List.of(text.split("\n", -1));
    }

    static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    static String unescape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                sb.append(switch (n) {
                    case 'n' -> '\n';
                    case 'r' -> '\r';
                    case 't' -> '\t';
                    default -> n;
                });
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
