package io.github.smtpletter.camel;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.smtpletter.camel.ledger.LedgerClaim;
import io.github.smtpletter.camel.ledger.LedgerException;
import io.github.smtpletter.camel.ledger.LetterLedger;
import io.github.smtpletter.camel.ledger.UnknownPolicy;
import io.github.smtpletter.letter.Letter;
import io.github.smtpletter.smtp.SendResult;
import io.github.smtpletter.smtp.SendStatus;
import org.apache.camel.Exchange;
import org.apache.camel.Expression;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the producer asks the endpoint's {@link LetterLedger} around a send: before it, {@link #claim} decides for each
 * letter whether it goes (the claim is NEW) or what its result is instead (stored, held by another attempt, no key,
 * ledger unreachable); after it, {@link #record} completes or releases each claim with the letter's result.
 */
final class LedgerGate {

    private static final Logger LOG = LoggerFactory.getLogger(LedgerGate.class);

    private final LetterLedger ledger;
    private final Expression key;
    private final String keyText;
    private final Duration lease;
    private final UnknownPolicy policy;

    /**
     * @param ledger  the ledger
     * @param key     the ledgerKey expression, or {@code null} to key letters by their own Message-ID
     * @param keyText the ledgerKey option as given, for messages
     * @param lease   the claims' lease
     * @param policy  the unknownPolicy
     */
    LedgerGate(LetterLedger ledger, Expression key, String keyText, Duration lease, UnknownPolicy policy) {
        this.ledger = ledger;
        this.key = key;
        this.keyText = keyText;
        this.lease = lease;
        this.policy = policy;
    }

    /**
     * Claims the letters at {@code indexes}. For each one that must not go now, sets its result in {@code results}
     * (stored result, FAILED because another attempt holds it or the ledger is unreachable, REJECTED for want of a
     * key) and leaves it out of the answer.
     *
     * @return the NEW claims by letter index: exactly the letters to send
     */
    Map<Integer, LedgerClaim> claim(Exchange exchange, Letter[] letters, List<Integer> indexes, SendResult[] results) {
        Map<Integer, LedgerClaim> claims = new LinkedHashMap<>();
        String base = null;
        if (key != null && !indexes.isEmpty()) {
            base = exchange.getContext().getTypeConverter().convertTo(String.class, exchange,
                    key.evaluate(exchange, Object.class));
        }
        for (int i : indexes) {
            Letter letter = letters[i];
            String k;
            if (key != null) {
                if (base == null || base.isBlank()) {
                    results[i] = SendResult.rejected(letter.messageId(), "the ledger key (ledgerKey=" + keyText
                                                                         + ") is empty for this exchange: the"
                                                                         + " letter cannot be recognized again, so"
                                                                         + " it is not sent");
                    continue;
                }
                k = letters.length > 1 ? base + "#" + (i + 1) : base;
            } else if (letter.hasGeneratedMessageId()) {
                results[i] = SendResult.rejected(letter.messageId(), "the letter has no Message-ID of its own (one"
                                                                     + " was generated when it was built, so a"
                                                                     + " replay would look new) and the endpoint"
                                                                     + " has no ledgerKey: give the letter a"
                                                                     + " Message-ID or set ledgerKey");
                continue;
            } else {
                k = letter.messageId();
            }
            try {
                LedgerClaim claim = ledger.claim(k, letter.messageId(), lease, policy);
                switch (claim.state()) {
                    case NEW -> claims.put(i, claim);
                    case DONE -> {
                        LOG.debug("Letter <{}>: ledger key {} has a stored result {}: not sent again",
                                letter.messageId(), k, claim.result().status());
                        results[i] = claim.result();
                    }
                    case IN_PROGRESS -> results[i] = SendResult.failed(letter.messageId(),
                            "another attempt holds the ledger claim of this letter (key " + k + "): not sent now",
                            true);
                }
            } catch (LedgerException | IllegalArgumentException e) {
                LOG.warn("Letter <{}> not sent: the ledger cannot be used: {}", letter.messageId(), e.getMessage());
                results[i] = SendResult.failed(letter.messageId(),
                        "the ledger cannot be used, so the letter was not sent: " + e.getMessage(), true);
            }
        }
        return claims;
    }

    /**
     * Records the results of the letters sent under {@code claims}: FAILED (and UNKNOWN under the retry policy)
     * releases the claim, anything else completes it. A ledger failure here is logged: the letter's result stays what
     * the server said, and its claim expires after the lease.
     */
    void record(Map<Integer, LedgerClaim> claims, SendResult[] results) {
        for (Map.Entry<Integer, LedgerClaim> e : claims.entrySet()) {
            SendResult r = results[e.getKey()];
            LedgerClaim claim = e.getValue();
            try {
                if (r == null || r.status() == SendStatus.FAILED
                    || r.status() == SendStatus.UNKNOWN && policy == UnknownPolicy.RETRY) {
                    ledger.release(claim);
                } else if (!ledger.complete(claim, r)) {
                    LOG.warn("Letter <{}>: its ledger claim (key {}) was taken over before its result {} was"
                             + " recorded (the send outlasted ledgerLease={})",
                            r.messageId(), claim.key(), r.status(), lease);
                }
            } catch (LedgerException ex) {
                LOG.warn("Letter <{}>: result {} not recorded in the ledger (key {}); the claim expires after {}: {}",
                        r == null ? null : r.messageId(), r == null ? null : r.status(), claim.key(), lease,
                        ex.getMessage());
            }
        }
    }
}
