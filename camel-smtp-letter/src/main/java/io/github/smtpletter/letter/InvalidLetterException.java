package io.github.smtpletter.letter;

/**
 * Thrown when a letter, or one of its parts, is invalid: a bad address, a header that would smuggle
 * CR/LF into the message, a missing sender or recipient, a missing attachment file, ...
 * <p>
 * The message has the form {@code Invalid letter field 'FIELD': REASON}. The reason never contains raw
 * control characters (nor does the field, when input named it): offending input is quoted with CR, LF, NUL and other control characters escaped
 * (for example {@code "a\r\nb"}), so the message is safe to log.
 */
public final class InvalidLetterException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** The letter field at fault. */
    private final String field;
    /** Why it is invalid. */
    private final String reason;

    /**
     * @param field  the name of the letter field at fault (for example {@code "to"}, {@code "subject"})
     * @param reason why it is invalid, human readable
     */
    public InvalidLetterException(String field, String reason) {
        super("Invalid letter field " + fieldText(field) + ": " + reason);
        this.field = field;
        this.reason = reason;
    }

    /** The field in quotes; a field named by input (an unknown member) quoted with its control characters escaped. */
    private static String fieldText(String field) {
        if (field != null) {
            for (int i = 0; i < field.length(); i++) {
                if (Checks.isControl(field.charAt(i)) || field.charAt(i) == '\'' || field.charAt(i) > 0x7E) {
                    return Checks.quote(field);
                }
            }
        }
        return "'" + field + "'";
    }

    /** @return the name of the letter field at fault */
    public String field() {
        return field;
    }

    /** @return why the field is invalid */
    public String reason() {
        return reason;
    }
}
