package io.github.smtpletter.camel.ledger;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.github.smtpletter.smtp.SendResult;

/**
 * A durable memory of which letters went, shared by every attempt to send them: other exchanges, restarts, replays
 * of a queue and other instances of the application. Set on the {@code letter-smtp} component or endpoint with
 * {@code ledger=#bean}.
 * <p>
 * Before a letter goes, the producer {@linkplain #claim claims} its key (the letter's Message-ID, or a key the
 * endpoint derives). The answer is one of:
 * <ul>
 * <li>{@link LedgerClaim.State#NEW}: this attempt holds the key until the lease ends and sends the letter; then it
 * either {@linkplain #complete completes} the claim with the result (stored for good: later claims answer DONE) or
 * {@linkplain #release releases} it (a FAILED result, or UNKNOWN under {@link UnknownPolicy#RETRY}), so that a later
 * attempt may send the letter;</li>
 * <li>{@link LedgerClaim.State#IN_PROGRESS}: another attempt holds the key and its lease has not ended; nothing is
 * sent now;</li>
 * <li>{@link LedgerClaim.State#DONE}: the letter's result is stored ({@link LedgerClaim#result()}); nothing is sent,
 * that result is reported again.</li>
 * </ul>
 * A claim whose lease ended with neither a result nor a release (the process died, or hung, in the middle of the
 * send) is never silently sent again: under {@link UnknownPolicy#REPORT} the claim that finds it turns it into a
 * stored {@link io.github.smtpletter.smtp.SendStatus#UNKNOWN UNKNOWN} result ({@link #expiredClaimResult}) and
 * answers DONE with it; under {@link UnknownPolicy#RETRY} that claim takes it over and answers NEW (as it does for a
 * stored UNKNOWN result): the letter may then arrive twice, but is not lost.
 * <p>
 * Implementations are thread-safe, and each operation on one key is atomic across every user of the same store:
 * of any number of concurrent claims of a free key, exactly one answers NEW. An implementation that cannot reach its
 * store throws {@link LedgerException}; the producer then sends nothing and reports the letter FAILED (retryable).
 *
 * @see InMemoryLetterLedger
 * @see JdbcLetterLedger
 */
public interface LetterLedger {

    /**
     * Claims a key for one attempt to send its letter.
     *
     * @param  key             the letter's key: not {@code null}, not blank
     * @param  messageId       the letter's Message-ID, kept with the claim so that an UNKNOWN result made from an
     *                         expired claim names it; may be {@code null}
     * @param  lease           how long the claim holds without a result: after that, it counts as expired (see
     *                         above); positive
     * @param  policy          what an expired claim or a stored UNKNOWN result means: {@link UnknownPolicy#REPORT}
     *                         (stored UNKNOWN, answered DONE) or {@link UnknownPolicy#RETRY} (taken over, answered
     *                         NEW)
     * @return                 NEW with a token, IN_PROGRESS, or DONE with the stored result
     * @throws LedgerException when the store cannot be reached or fails
     */
    LedgerClaim claim(String key, String messageId, Duration lease, UnknownPolicy policy);

    /**
     * Stores the result of the attempt that holds {@code claim}, for good: later claims of its key answer DONE with
     * it. Also overwrites the UNKNOWN result that an expired claim became, when the same claim completes late (the
     * true outcome is worth more than the guess).
     *
     * @param  claim           a claim answered NEW by this ledger
     * @param  result          the letter's result (not FAILED: a FAILED letter is {@linkplain #release released})
     * @return                 {@code true} when stored; {@code false} when the claim was no longer there (taken over
     *                         by another attempt after its lease ended under {@link UnknownPolicy#RETRY})
     * @throws LedgerException when the store cannot be reached or fails
     */
    boolean complete(LedgerClaim claim, SendResult result);

    /**
     * Gives a claim up without a result, so that the next claim of its key answers NEW: the letter was not handed
     * over (FAILED), or its outcome is unknown and the policy is {@link UnknownPolicy#RETRY}. Does nothing when the
     * claim is no longer this attempt's.
     *
     * @param  claim           a claim answered NEW by this ledger
     * @throws LedgerException when the store cannot be reached or fails
     */
    void release(LedgerClaim claim);

    /**
     * The stored result of a key, without claiming it: for operators, tests and applications that want to know
     * whether a letter went.
     *
     * @param  key             the letter's key
     * @return                 the stored result; empty while the key is free or claimed
     * @throws LedgerException when the store cannot be reached or fails
     */
    Optional<SendResult> result(String key);

    /**
     * The result an expired claim becomes under {@link UnknownPolicy#REPORT}: UNKNOWN, with no recipients and an
     * error saying why. Every implementation stores this result, so that its text is the same everywhere.
     *
     * @param  messageId the Message-ID kept with the claim, or {@code null}
     * @param  lease     the lease the claim had, for the message
     * @return           the UNKNOWN result
     */
    static SendResult expiredClaimResult(String messageId, Duration lease) {
        return SendResult.unknown(messageId, "the attempt that claimed this letter recorded no result within its"
                                             + " lease of " + lease + " (the process may have stopped in the middle"
                                             + " of the send): the server may or may not have taken the letter",
                List.of(), List.of());
    }
}
