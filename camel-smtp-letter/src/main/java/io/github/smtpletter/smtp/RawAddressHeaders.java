package io.github.smtpletter.smtp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/**
 * Reads the header section of a raw message and finds an address whose local part has a byte outside US-ASCII: such
 * a message needs {@code SMTPUTF8} (RFC 6531, RFC 6532) whatever its envelope. An address is a word (cut at white
 * space and {@code <>,;:()}) with an {@code @} after its first non-ASCII byte; display names are not addresses.
 */
final class RawAddressHeaders {

    /** Header fields that carry addresses, lower case. */
    private static final Set<String> ADDRESS_FIELDS = Set.of("from", "sender", "to", "cc", "bcc", "reply-to",
            "disposition-notification-to", "return-receipt-to", "resent-from", "resent-sender", "resent-to",
            "resent-cc", "resent-bcc", "resent-reply-to");
    /** Bytes read at most: a header section longer than this is looked at only so far. */
    private static final int MAX_HEADER_BYTES = 1024 * 1024;
    private static final int MAX_SHOWN = 100;

    private RawAddressHeaders() {
    }

    /**
     * @param  in          the raw message, read up to the end of its header section
     * @return             {@code "<Field> address <address>"} for the first address with a non-ASCII local part
     *                     (control characters replaced by {@code ?}, shortened), or {@code null} when there is none
     * @throws IOException when the message cannot be read
     */
    static String firstInternational(InputStream in) throws IOException {
        ByteArrayOutputStream field = new ByteArrayOutputStream();
        int read = 0;
        int previous = '\n';
        int c;
        while ((c = in.read()) >= 0 && read++ < MAX_HEADER_BYTES) {
            if (previous == '\n' && c != ' ' && c != '\t') {
                // a new line that is no continuation: the field so far is complete
                String found = check(field.toByteArray());
                if (found != null) {
                    return found;
                }
                field.reset();
                if (c == '\r' || c == '\n') {
                    return null; // the empty line: end of the header section
                }
            }
            if (c != '\r' && c != '\n') {
                field.write(c);
            }
            previous = c;
        }
        return check(field.toByteArray());
    }

    private static String check(byte[] field) {
        int colon = indexOf(field, (byte) ':', 0);
        if (colon <= 0) {
            return null;
        }
        String name = new String(field, 0, colon, StandardCharsets.ISO_8859_1).strip();
        if (!ADDRESS_FIELDS.contains(name.toLowerCase(Locale.ROOT))) {
            return null;
        }
        int start = colon + 1;
        for (int i = start; i <= field.length; i++) {
            if (i == field.length || isDelimiter(field[i])) {
                if (isInternationalAddress(field, start, i)) {
                    return shown(name) + " address " + shown(new String(field, start, i - start,
                            StandardCharsets.UTF_8));
                }
                start = i + 1;
            }
        }
        return null;
    }

    private static boolean isDelimiter(byte b) {
        return b == ' ' || b == '\t' || b == '<' || b == '>' || b == ',' || b == ';' || b == ':' || b == '('
               || b == ')';
    }

    /** A word with a byte outside US-ASCII before its last {@code @}. */
    private static boolean isInternationalAddress(byte[] b, int from, int to) {
        int at = -1;
        for (int i = to - 1; i >= from && at < 0; i--) {
            if (b[i] == '@') {
                at = i;
            }
        }
        for (int i = from; i < at; i++) {
            if (b[i] < 0) {
                return true;
            }
        }
        return false;
    }

    private static int indexOf(byte[] b, byte v, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == v) {
                return i;
            }
        }
        return -1;
    }

    /** Control characters as {@code ?}, at most {@value #MAX_SHOWN} characters. */
    private static String shown(String s) {
        StringBuilder sb = new StringBuilder(Math.min(s.length(), MAX_SHOWN + 3));
        for (int i = 0; i < s.length() && i < MAX_SHOWN; i++) {
            char ch = s.charAt(i);
            sb.append(Character.isISOControl(ch) ? '?' : ch);
        }
        return s.length() > MAX_SHOWN ? sb.append("...").toString() : sb.toString();
    }
}
