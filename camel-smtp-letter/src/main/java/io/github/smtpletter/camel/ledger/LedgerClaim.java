package io.github.smtpletter.camel.ledger;

import java.util.Objects;

import io.github.smtpletter.smtp.SendResult;

/**
 * The answer of {@link LetterLedger#claim}: whether this attempt may send the letter. Immutable.
 */
public final class LedgerClaim {

    /** What a claim found. */
    public enum State {
        /** The key was free (or taken over): this attempt holds it, sends the letter, then completes or releases. */
        NEW,
        /** Another attempt holds the key and its lease has not ended: do not send now. */
        IN_PROGRESS,
        /** The letter's result is stored: do not send; report {@link LedgerClaim#result()}. */
        DONE
    }

    private final String key;
    private final State state;
    private final String token;
    private final SendResult result;

    private LedgerClaim(String key, State state, String token, SendResult result) {
        this.key = Objects.requireNonNull(key, "key");
        this.state = state;
        this.token = token;
        this.result = result;
    }

    /**
     * A claim granted to this attempt.
     *
     * @param  key   the key
     * @param  token what tells this claim from any other claim of the same key (the ledger checks it on
     *               {@link LetterLedger#complete} and {@link LetterLedger#release})
     * @return       a NEW claim
     */
    public static LedgerClaim granted(String key, String token) {
        return new LedgerClaim(key, State.NEW, Objects.requireNonNull(token, "token"), null);
    }

    /**
     * The key is held by another attempt.
     *
     * @param  key the key
     * @return     an IN_PROGRESS answer
     */
    public static LedgerClaim held(String key) {
        return new LedgerClaim(key, State.IN_PROGRESS, null, null);
    }

    /**
     * The key's result is stored.
     *
     * @param  key    the key
     * @param  result the stored result
     * @return        a DONE answer
     */
    public static LedgerClaim done(String key, SendResult result) {
        return new LedgerClaim(key, State.DONE, null, Objects.requireNonNull(result, "result"));
    }

    /** @return the key claimed */
    public String key() {
        return key;
    }

    /** @return what the claim found */
    public State state() {
        return state;
    }

    /** @return the token of a NEW claim; {@code null} otherwise */
    public String token() {
        return token;
    }

    /** @return the stored result of a DONE answer; {@code null} otherwise */
    public SendResult result() {
        return result;
    }

    @Override
    public String toString() {
        return "LedgerClaim[" + state + ", key=" + key + (result != null ? ", " + result.status() : "") + "]";
    }
}
