package io.github.smtpletter.letter;

import java.nio.file.Path;

/**
 * Small validation helpers shared by the letter classes, and the one way this component quotes input in a message:
 * {@link #quote(String)}. Every exception message (and so every log line) that includes a value from outside goes
 * through it, so CR, LF and other control characters in input never reach a log raw.
 */
public final class Checks {

    /** Longest excerpt of offending input quoted in an exception message. */
    private static final int MAX_QUOTED = 120;

    private Checks() {
    }

    /**
     * Quotes a value for an error message: surrounded by double quotes, control characters escaped
     * ({@code \r}, {@code \n}, {@code \t}, {@code \0}, others as {@code \\uXXXX}), quotes and backslashes
     * escaped, long values shortened.
     *
     * @param  value the input, may be null
     * @return       the quoted value, one line without control characters; {@code null} for null
     */
    public static String quote(String value) {
        return quote(value, MAX_QUOTED);
    }

    /** Quotes a file path like {@link #quote(String)}, but never shortened: the end of a path names the file. */
    static String quote(Path path) {
        return quote(path.toString(), Integer.MAX_VALUE);
    }

    private static String quote(String value, int maxQuoted) {
        if (value == null) {
            return "null";
        }
        int n = Math.min(value.length(), maxQuoted);
        StringBuilder sb = new StringBuilder(n + 8).append('"');
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\r' -> sb.append("\\r");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\0' -> sb.append("\\0");
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (isControl(c) || c == '\u2028' || c == '\u2029') {
                        sb.append(String.format("\\u%04X", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
        if (value.length() > n) {
            sb.append("... (").append(value.length()).append(" chars)");
        }
        return sb.toString();
    }

    /** C0 controls, DEL and C1 controls. */
    static boolean isControl(char c) {
        return c < 0x20 || (c >= 0x7F && c <= 0x9F);
    }

    /**
     * Rejects CR, LF, NUL and other control characters (TAB allowed when {@code allowTab}).
     *
     * @param field the letter field reported in the exception
     * @param what  what the value is, for the reason (for example "subject", "display name")
     */
    static void noControl(String field, String what, String value, boolean allowTab) {
        if (value == null) {
            return;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n') {
                throw new InvalidLetterException(field, what + " must not contain a line break (CR/LF): " + quote(
                        value));
            }
            if (c == '\0') {
                throw new InvalidLetterException(field, what + " must not contain NUL: " + quote(value));
            }
            if ((c == '\t' && !allowTab) || (c != '\t' && isControl(c)) || c == '\u2028' || c == '\u2029') {
                throw new InvalidLetterException(field, what + " must not contain control characters: " + quote(value));
            }
        }
    }

    /** Whether every character is printable ASCII (no space) and none is one of {@code excluded}. */
    static boolean isPrintableAscii(String value, String excluded) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 33 || c > 126 || excluded.indexOf(c) >= 0) {
                return false;
            }
        }
        return true;
    }

    static boolean isAscii(CharSequence s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 0x7F) {
                return false;
            }
        }
        return true;
    }
}
