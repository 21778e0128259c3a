package io.github.smtpletter.smtp.auth;

import java.nio.charset.StandardCharsets;

/**
 * {@code ANONYMOUS} (RFC 4505): no credentials; the initial response is an optional trace token that tells the
 * server who is calling, either an e-mail address or an opaque string of 1 to 255 characters without {@code '@'}.
 * An empty trace is sent as {@code "="}. The trace is validated when the mechanism is created.
 */
final class AnonymousMechanism extends SingleMessageMechanism {

    /** The name sent after {@code AUTH}. */
    public static final String NAME = "ANONYMOUS";

    /** The longest opaque trace token RFC 4505 allows, in characters. */
    public static final int MAX_TOKEN_CHARACTERS = 255;

    /** The longest e-mail address we accept as a trace (RFC 5321's path limit less the angle brackets). */
    public static final int MAX_EMAIL_OCTETS = 254;

    private final byte[] trace;

    /**
     * @param anonymousTrace the trace token; {@code null} or empty for none
     * @throws IllegalArgumentException when the trace is not valid per RFC 4505 (the message names the option
     *                                  {@code anonymousTrace})
     */
    public AnonymousMechanism(String anonymousTrace) {
        String t = anonymousTrace == null ? "" : anonymousTrace;
        validate(t);
        this.trace = t.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Checks a trace token against RFC 4505: printable characters only (no control characters); with an
     * {@code '@'} it must look like an e-mail address (one {@code '@'}, text on both sides, no spaces, at most 254
     * octets); without, at most 255 characters.
     *
     * @throws IllegalArgumentException naming {@code anonymousTrace} and the rule broken
     */
    static void validate(String trace) {
        for (int i = 0; i < trace.length(); i++) {
            char c = trace.charAt(i);
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
                throw invalid("it contains a control character at index " + i);
            }
        }
        int at = trace.indexOf('@');
        if (at < 0) {
            int chars = trace.codePointCount(0, trace.length());
            if (chars > MAX_TOKEN_CHARACTERS) {
                throw invalid("an opaque trace token (no '@') may have at most " + MAX_TOKEN_CHARACTERS
                              + " characters, this one has " + chars);
            }
            return;
        }
        if (trace.indexOf('@', at + 1) >= 0 || at == 0 || at == trace.length() - 1) {
            throw invalid("a trace containing '@' must be an e-mail address (local@domain)");
        }
        if (trace.indexOf(' ') >= 0) {
            throw invalid("an e-mail address trace must not contain spaces");
        }
        int octets = trace.getBytes(StandardCharsets.UTF_8).length;
        if (octets > MAX_EMAIL_OCTETS) {
            throw invalid("an e-mail address trace may have at most " + MAX_EMAIL_OCTETS + " octets, this one has "
                          + octets);
        }
    }

    private static IllegalArgumentException invalid(String why) {
        return new IllegalArgumentException("Invalid anonymousTrace for ANONYMOUS authentication (RFC 4505): " + why);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean sendsSecretInClear() {
        return false;
    }

    @Override
    protected byte[] message() {
        return trace.clone();
    }
}
