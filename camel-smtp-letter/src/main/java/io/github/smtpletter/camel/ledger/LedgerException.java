package io.github.smtpletter.camel.ledger;

/**
 * A {@link LetterLedger} could not answer: its store is unreachable or failed. Nothing is sent for a letter whose
 * claim threw this; its result is FAILED and retryable, with this message as the reason.
 */
public class LedgerException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, without secrets
     * @param cause   the store's exception, or {@code null}
     */
    public LedgerException(String message, Throwable cause) {
        super(message, cause);
    }
}
