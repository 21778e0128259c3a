package io.github.smtpletter.letter;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * Delivery status notification options (RFC 3461), used when the server offers {@code DSN}.
 * <p>
 * The first component is named {@code notifyOn}, not {@code notify}: Java forbids a record component named
 * {@code notify} (it would clash with the final {@link Object#notify()}).
 *
 * @param notifyOn   when to notify (the {@code NOTIFY} parameter of every {@code RCPT TO}); a {@code null}
 *                   argument becomes an empty set, meaning "server default". {@link DsnNotify#NEVER} cannot be
 *                   combined with other values. The set held is unmodifiable.
 * @param ret        what to return ({@code RET} parameter of {@code MAIL FROM}); {@code null} for server default
 * @param envelopeId the envelope id ({@code ENVID} parameter of {@code MAIL FROM}); {@code null} for none;
 *                   printable ASCII without spaces, at most 100 characters
 */
public record DsnOptions(Set<DsnNotify> notifyOn, DsnReturn ret, String envelopeId) {

    /** Longest ENVID allowed by RFC 3461. */
    private static final int MAX_ENVID = 100;

    /**
     * Validates and normalizes the options.
     *
     * @param notifyOn   when to notify; {@code null} or empty for the server default
     * @param ret        what to return; {@code null} for the server default
     * @param envelopeId the envelope id; {@code null} for none
     *
     * @throws InvalidLetterException (field {@code "dsn"}) for invalid options
     */
    public DsnOptions {
        if (notifyOn == null || notifyOn.isEmpty()) {
            notifyOn = Collections.emptySet();
        } else {
            EnumSet<DsnNotify> copy = EnumSet.noneOf(DsnNotify.class);
            for (DsnNotify n : notifyOn) { // not contains(null): immutable sets throw on it
                if (n == null) {
                    throw new InvalidLetterException("dsn", "notify must not contain null");
                }
                copy.add(n);
            }
            if (copy.contains(DsnNotify.NEVER) && copy.size() > 1) {
                throw new InvalidLetterException("dsn", "notify NEVER cannot be combined with other values: " + copy);
            }
            notifyOn = Collections.unmodifiableSet(copy);
        }
        if (envelopeId != null) {
            if (envelopeId.isEmpty()) {
                throw new InvalidLetterException("dsn", "envelope id must not be empty");
            }
            if (envelopeId.length() > MAX_ENVID) {
                throw new InvalidLetterException("dsn", "envelope id longer than " + MAX_ENVID + " characters: "
                                                        + Checks.quote(envelopeId));
            }
            if (!Checks.isPrintableAscii(envelopeId, "")) {
                throw new InvalidLetterException("dsn", "envelope id must be printable ASCII without spaces: "
                                                        + Checks.quote(envelopeId));
            }
        }
    }

    /**
     * @param notifyOn when to notify
     * @return options with only {@code NOTIFY} set
     */
    public static DsnOptions of(DsnNotify... notifyOn) {
        return new DsnOptions(notifyOn.length == 0 ? Set.of() : EnumSet.of(notifyOn[0], notifyOn), null, null);
    }
}
