package io.github.smtpletter.camel.ledger;

import io.github.smtpletter.letter.Checks;

/**
 * What an UNKNOWN outcome means for sending again: the end of data went to the server and its reply never came, or
 * a ledger claim expired without a result. The server may or may not have taken the letter; only one of "never
 * twice" and "never lost" can be promised.
 */
public enum UnknownPolicy {

    /**
     * At most once: an UNKNOWN letter is reported UNKNOWN and never sent again, neither by a redelivery of the
     * exchange nor by a later attempt through the ledger. A letter the server had not kept is lost.
     */
    REPORT,

    /**
     * At least once: an UNKNOWN letter is treated like a FAILED one: a redelivery sends it again, the ledger releases
     * it, an expired claim is taken over. A letter the server had kept arrives twice (what MTAs choose, RFC 1047).
     */
    RETRY;

    /**
     * Reads the option value, ignoring case.
     *
     * @param  value                    {@code report} or {@code retry}
     * @return                          the policy
     * @throws IllegalArgumentException naming the option for anything else
     */
    public static UnknownPolicy of(String value) {
        if (value != null) {
            for (UnknownPolicy p : values()) {
                if (p.name().equalsIgnoreCase(value.trim())) {
                    return p;
                }
            }
        }
        throw new IllegalArgumentException("letter-smtp: invalid unknownPolicy "
                                           + (value == null ? "null" : Checks.quote(value))
                                           + ": expected report or retry");
    }
}
