package io.github.smtpletter.camel;

/**
 * Addressing and subject defaults of an endpoint, applied to letters built from a String body or a Map that lack
 * them. Values are unparsed (comma separated address lists); {@code null} means no default.
 */
public record LetterDefaults(String from, String to, String cc, String bcc, String replyTo, String subject) {

    /** No defaults at all. */
    public static final LetterDefaults NONE = new LetterDefaults(null, null, null, null, null, null);
}
