package io.github.smtpletter.smtp;

import java.util.List;
import java.util.regex.Pattern;

/**
 * One (possibly multi-line) SMTP reply (RFC 5321 section 4.2).
 *
 * @param code         the three digit reply code
 * @param enhancedCode the enhanced status code (RFC 3463, e.g. {@code "2.0.0"}) when the server sent one, else {@code null}
 * @param lines        the text of each reply line, after the code and separator; the parser removes the enhanced
 *                     status code prefix from each line
 */
public record SmtpReply(int code, String enhancedCode, List<String> lines) {

    private static final Pattern ENHANCED = Pattern.compile("[245]\\.\\d{1,3}\\.\\d{1,3}");

    /**
     * Validates and copies the lines.
     *
     * @param code         the three digit reply code (100..599)
     * @param enhancedCode the enhanced status code {@code class.subject.detail}, or {@code null}
     * @param lines        the text of each line; {@code null} means none
     */
    public SmtpReply {
        if (code < 100 || code > 599) {
            throw new IllegalArgumentException("SMTP reply code out of range: " + code);
        }
        if (enhancedCode != null && !ENHANCED.matcher(enhancedCode).matches()) {
            throw new IllegalArgumentException("not an enhanced status code: " + enhancedCode);
        }
        lines = lines == null ? List.of() : List.copyOf(lines);
    }

    /**
     * A single-line reply without an enhanced code.
     *
     * @param code the reply code
     * @param text the text ({@code null} for none)
     * @return the reply
     */
    public static SmtpReply of(int code, String text) {
        return new SmtpReply(code, null, List.of(text == null ? "" : text));
    }

    /** @return the lines joined with {@code "\n"}, without an enhanced status code prefix */
    public String text() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            if (i > 0) {
                sb.append('\n');
            }
            sb.append(stripEnhanced(lines.get(i)));
        }
        return sb.toString();
    }

    private String stripEnhanced(String line) {
        if (enhancedCode != null && line.startsWith(enhancedCode)) {
            String rest = line.substring(enhancedCode.length());
            if (rest.isEmpty()) {
                return rest;
            }
            if (rest.charAt(0) == ' ') {
                return rest.substring(1);
            }
        }
        return line;
    }

    /** @return {@code true} for positive replies: 2xx (completion) and 3xx (intermediate, e.g. 334, 354) */
    public boolean isPositive() {
        return code >= 200 && code < 400;
    }

    /** @return {@code true} for 2xx (positive completion) replies */
    public boolean isPositiveCompletion() {
        return code >= 200 && code < 300;
    }

    /** @return {@code true} for 3xx (positive intermediate) replies */
    public boolean isIntermediate() {
        return code >= 300 && code < 400;
    }

    /** @return {@code true} for 4xx (transient negative) replies */
    public boolean isTransient() {
        return code >= 400 && code < 500;
    }

    /** @return {@code true} for 5xx (permanent negative) replies */
    public boolean isPermanent() {
        return code >= 500;
    }

    /** @return {@code "250 2.0.0 Ok: queued as X"}; the lines of a multi-line reply joined with {@code "\n"} */
    @Override
    public String toString() {
        String text = text();
        StringBuilder sb = new StringBuilder().append(code);
        if (enhancedCode != null) {
            sb.append(' ').append(enhancedCode);
        }
        if (!text.isEmpty()) {
            sb.append(' ').append(text);
        }
        return sb.toString();
    }
}
