package io.github.smtpletter.camel;

import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

import io.github.smtpletter.smtp.RecipientFailure;
import io.github.smtpletter.smtp.SendResult;
import io.github.smtpletter.smtp.SendStatus;

/**
 * The output body of a {@code letter-smtp} exchange: an unmodifiable {@code List<SendResult>}, one per letter in the
 * letters' order, whose {@link #toString()} is a readable table for logs.
 */
public final class SendResults extends AbstractList<SendResult> implements RandomAccess {

    private final List<SendResult> results;

    public SendResults(List<SendResult> results) {
        this.results = List.copyOf(results);
    }

    @Override
    public SendResult get(int index) {
        return results.get(index);
    }

    @Override
    public int size() {
        return results.size();
    }

    /** How many letters went to all or some of their recipients. */
    public int sentCount() {
        return (int) results.stream().filter(SendResult::isSent).count();
    }

    /** How many letters were not sent (rejected, failed or unknown). */
    public int notSentCount() {
        return size() - sentCount();
    }

    /** Whether every letter went to all its recipients. */
    public boolean allSent() {
        return results.stream().allMatch(r -> r.status() == SendStatus.SENT);
    }

    @Override
    public String toString() {
        return format(results);
    }

    /** A readable multi-line table of results, one line per letter plus one per rejected recipient. */
    public static String format(List<SendResult> results) {
        int idWidth = "MESSAGE-ID".length();
        for (SendResult r : results) {
            idWidth = Math.max(idWidth, r.messageId() == null ? 1 : r.messageId().length());
        }
        String row = "%-3s %-15s %-" + idWidth + "s %s%n";
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(row, "#", "STATUS", "MESSAGE-ID", "DETAIL"));
        int i = 1;
        for (SendResult r : results) {
            String detail;
            if (r.error() != null) {
                detail = r.error();
            } else if (r.serverReply() != null) {
                detail = r.serverReply().toString();
            } else {
                detail = "";
            }
            sb.append(String.format(row, i++, r.status(),
                    r.messageId() == null ? "-" : r.messageId(), detail.replace('\n', ' ')));
            for (RecipientFailure f : r.rejectedRecipients()) {
                sb.append(String.format("    %-15s %-" + idWidth + "s %d %s %s%n", "rejected",
                        f.recipient().address(), f.code(),
                        f.enhancedCode() == null ? "" : f.enhancedCode(), f.text() == null ? "" : f.text()));
            }
        }
        return sb.toString();
    }
}
