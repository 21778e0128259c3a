package io.github.smtpletter.camel;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import io.github.smtpletter.letter.Letter;
import io.github.smtpletter.smtp.SendResult;
import io.github.smtpletter.smtp.SendStatus;
import org.apache.camel.CamelExchangeException;
import org.apache.camel.Exchange;

/**
 * Set on the exchange when one or more of its letters were not sent to all their recipients (and the endpoint's
 * {@code failOnNotSent} is on). It carries every result of the exchange, the sent ones too (the exchange body holds
 * the same list), and the letters that FAILED, so that a dead letter channel can keep them for a later attempt.
 */
public class LetterSendException extends CamelExchangeException {

    private static final long serialVersionUID = 1L;

    private final transient List<SendResult> results;
    private final transient List<Letter> failedLetters;
    private final boolean retryUnknown;

    /**
     * @param exchange the exchange
     * @param results  every result of the exchange, in the letters' order
     * @param letters  the exchange's letters in the same order ({@code null} for a letter that could not be made, or
     *                 for all of them when unknown)
     */
    public LetterSendException(Exchange exchange, List<SendResult> results, List<Letter> letters) {
        this(exchange, results, letters, false);
    }

    /**
     * @param exchange     the exchange
     * @param results      every result of the exchange, in the letters' order
     * @param letters      the exchange's letters in the same order ({@code null} for a letter that could not be made,
     *                     or for all of them when unknown)
     * @param retryUnknown whether UNKNOWN letters count as FAILED ones ({@code unknownPolicy=retry}): then they are
     *                     among {@link #getFailedLetters()} and make the exception {@link #isRetryable()}
     */
    public LetterSendException(Exchange exchange, List<SendResult> results, List<Letter> letters,
                               boolean retryUnknown) {
        super(describe(results), exchange);
        this.results = List.copyOf(results);
        this.retryUnknown = retryUnknown;
        List<Letter> failed = new ArrayList<>();
        if (letters != null) {
            for (int i = 0; i < results.size() && i < letters.size(); i++) {
                if (letters.get(i) != null && (results.get(i).status() == SendStatus.FAILED
                                               || retryUnknown && results.get(i).status() == SendStatus.UNKNOWN)) {
                    failed.add(letters.get(i));
                }
            }
        }
        this.failedLetters = Collections.unmodifiableList(failed);
    }

    /** @return every result of the exchange, in the letters' order */
    public List<SendResult> getResults() {
        return results;
    }

    /** @return the results whose letter was not sent to all its recipients */
    public List<SendResult> getNotSent() {
        return results.stream().filter(r -> r.status() != SendStatus.SENT).toList();
    }

    /**
     * The letters whose result is FAILED: nothing of them was handed over, so sending them again (later, or once the
     * cause is fixed) cannot deliver them twice. Sent, partially sent, rejected and unknown letters are not here
     * (unknown ones are, under {@code unknownPolicy=retry}: they may then arrive twice).
     *
     * @return those letters, in the order of the results
     */
    public List<Letter> getFailedLetters() {
        return failedLetters;
    }

    /**
     * @return whether sending again may help: some letter failed in a way that is safe to retry (or, under
     *         {@code unknownPolicy=retry}, some letter's outcome is UNKNOWN)
     */
    public boolean isRetryable() {
        return results.stream().anyMatch(r -> r.isRetryable() || retryUnknown && r.status() == SendStatus.UNKNOWN);
    }

    private static String describe(List<SendResult> results) {
        long notSent = results.stream().filter(r -> r.status() != SendStatus.SENT).count();
        StringBuilder sb = new StringBuilder();
        sb.append(notSent).append(" of ").append(results.size()).append(" letter(s) not sent to all recipients");
        results.stream().filter(r -> r.status() != SendStatus.SENT).limit(5).forEach(r -> {
            sb.append("; ").append(r.messageId() == null ? "(invalid letter)" : r.messageId()).append(": ")
                    .append(r.status());
            if (r.error() != null) {
                sb.append(" - ").append(r.error());
            }
        });
        if (notSent > 5) {
            sb.append("; ...");
        }
        return sb.toString();
    }
}
