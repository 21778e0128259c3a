package io.github.smtpletter.letter;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The rules a {@link Letter.Builder} enforces: addresses parsed and reported under the builder field they were
 * given to, extra headers that cannot smuggle or override anything, attachments, the Message-ID, and the parts
 * every letter needs. Every failure is an {@link InvalidLetterException} naming the field.
 */
final class LetterChecks {

    /** Longest accepted Message-ID (without angle brackets). */
    private static final int MAX_MESSAGE_ID = 250;

    /**
     * Longest extra header name: with {@code ": "} it fills the 78 characters RFC 5322 recommends for a line, so the
     * value can always start on the first line and be folded from there. (Registered field names are far shorter.)
     */
    static final int MAX_HEADER_NAME = 76;

    /** Header names set from typed letter fields; they cannot be given as extra headers (lower case). */
    private static final Set<String> RESERVED_HEADERS = Set.of(
            "from", "to", "cc", "bcc", "subject", "date", "message-id", "mime-version", "reply-to");

    private LetterChecks() {
    }

    /** One address parsed with {@link MailAddress#parse(String)}, a failure reported under {@code field}. */
    static MailAddress address(String field, String text) {
        try {
            return MailAddress.parse(text);
        } catch (InvalidLetterException e) {
            throw new InvalidLetterException(field, e.reason());
        }
    }

    /** Address lists parsed with {@link MailAddress#parseList(String)}, a failure reported under {@code field}. */
    static List<MailAddress> addresses(String field, String[] texts) {
        if (texts == null) {
            throw new InvalidLetterException(field, "addresses must not be null");
        }
        List<MailAddress> result = new ArrayList<>();
        for (String text : texts) {
            if (text == null) {
                throw new InvalidLetterException(field, "address must not be null");
            }
            try {
                result.addAll(MailAddress.parseList(text));
            } catch (InvalidLetterException e) {
                throw new InvalidLetterException(field, e.reason());
            }
        }
        return result;
    }

    /** The addresses, none of them null. */
    static Collection<MailAddress> addresses(String field, Collection<MailAddress> addresses) {
        if (addresses == null) {
            throw new InvalidLetterException(field, "addresses must not be null");
        }
        for (MailAddress a : addresses) {
            if (a == null) {
                throw new InvalidLetterException(field, "address must not be null");
            }
        }
        return addresses;
    }

    /** A sender and at least one recipient. */
    static void envelope(MailAddress from, List<MailAddress> to, List<MailAddress> cc, List<MailAddress> bcc) {
        if (from == null) {
            throw new InvalidLetterException("from", "a sender is required");
        }
        if (to.isEmpty() && cc.isEmpty() && bcc.isEmpty()) {
            throw new InvalidLetterException("to", "at least one recipient (to, cc or bcc) is required");
        }
    }

    /** Each attachment valid (a file attachment's file readable), content ids of inline parts unique. */
    static void attachments(List<Attachment> attachments) {
        for (Attachment a : attachments) {
            a.validateForBuild();
        }
        Set<String> contentIds = new LinkedHashSet<>();
        for (Attachment a : attachments) {
            if (a.isInline() && !contentIds.add(a.contentId())) {
                throw new InvalidLetterException("attachments", "duplicate content id: " + Checks.quote(a.contentId()));
            }
        }
    }

    /**
     * An extra header: an RFC 5322 field name of at most {@value #MAX_HEADER_NAME} characters not set from typed
     * fields, a value without line breaks or control characters (TAB allowed).
     */
    static void header(String name, String value) {
        if (name == null || name.isEmpty()) {
            throw new InvalidLetterException("headers", "header name must not be empty");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 33 || c > 126 || c == ':') {
                throw new InvalidLetterException("headers", "header name must be printable ASCII without "
                                                            + "spaces or ':': " + Checks.quote(name));
            }
        }
        if (name.length() > MAX_HEADER_NAME) {
            throw new InvalidLetterException("headers", "header name longer than " + MAX_HEADER_NAME + " characters: "
                                                        + Checks.quote(name));
        }
        String lower = name.toLowerCase(Locale.ROOT);
        if (RESERVED_HEADERS.contains(lower) || lower.startsWith("content-")) {
            throw new InvalidLetterException("headers", "header " + Checks.quote(name)
                                                        + " is reserved: set it through the letter's own field");
        }
        if (value == null) {
            throw new InvalidLetterException("headers", "value of header " + Checks.quote(name) + " must not be null");
        }
        Checks.noControl("headers", "value of header " + Checks.quote(name), value, true);
    }

    /** A Message-ID without angle brackets: {@code local@domain}, printable ASCII without separators. */
    static String messageId(String id) {
        if (id.length() > MAX_MESSAGE_ID) {
            throw new InvalidLetterException("messageId", "longer than " + MAX_MESSAGE_ID + " characters: "
                                                          + Checks.quote(id));
        }
        int at = id.lastIndexOf('@');
        if (at <= 0 || at == id.length() - 1) {
            throw new InvalidLetterException("messageId", "must be local@domain without angle brackets: "
                                                          + Checks.quote(id));
        }
        if (!Checks.isPrintableAscii(id, "<>\"\\(),;:")) {
            throw new InvalidLetterException("messageId", "must be printable ASCII without spaces, quotes, "
                                                          + "brackets or separators: " + Checks.quote(id));
        }
        return id;
    }
}
