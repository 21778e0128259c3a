package io.github.smtpletter.camel;

import java.io.IOException;
import java.util.Enumeration;

import jakarta.mail.Header;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;

import io.github.smtpletter.letter.Checks;
import io.github.smtpletter.letter.InvalidLetterException;

/**
 * Refuses a message built in code whose headers would write lines of their own: Jakarta Mail writes a header value
 * as it was set, so {@code setHeader("X-A", "v\r\nBcc: victim@example.org")} would put a {@code Bcc:} line on the
 * wire. A line break in a value must be a fold (CRLF followed by a space or a tab); a name must be printable ASCII
 * without {@code ':'}. The headers of the parts of an in-memory multipart are checked the same way.
 */
final class WrittenHeaders {

    /** Deepest multipart nesting looked into. */
    private static final int MAX_DEPTH = 32;

    private WrittenHeaders() {
    }

    /**
     * @param message a message built in code (not parsed from bytes)
     * @throws InvalidLetterException (field {@code "headers"}) naming the header that would break the message
     */
    static void check(Part message) throws MessagingException, IOException {
        check(message, 0);
    }

    private static void check(Part part, int depth) throws MessagingException, IOException {
        Enumeration<Header> headers = part.getAllHeaders();
        while (headers.hasMoreElements()) {
            Header h = headers.nextElement();
            checkName(h.getName());
            checkValue(h.getName(), h.getValue());
        }
        if (depth < MAX_DEPTH && part.isMimeType("multipart/*") && part.getContent() instanceof Multipart multipart) {
            for (int i = 0; i < multipart.getCount(); i++) {
                check(multipart.getBodyPart(i), depth + 1);
            }
        }
    }

    private static void checkName(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 33 || c > 126 || c == ':') {
                throw new InvalidLetterException("headers", "the message has a header name that is not printable"
                                                            + " ASCII without spaces or ':': "
                                                            + Checks.quote(name));
            }
        }
    }

    private static void checkValue(String name, String value) {
        if (value == null) {
            return;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean fold = c == '\r' && i + 2 < value.length() && value.charAt(i + 1) == '\n'
                           && (value.charAt(i + 2) == ' ' || value.charAt(i + 2) == '\t');
            if (fold) {
                i++;
            } else if (c == '\r' || c == '\n' || c == '\0') {
                throw new InvalidLetterException("headers", "value of the message's header "
                                                            + Checks.quote(name) + " has a NUL or a line"
                                                            + " break not followed by a space or tab, which would"
                                                            + " start a line of its own: "
                                                            + Checks.quote(value));
            }
        }
    }
}
