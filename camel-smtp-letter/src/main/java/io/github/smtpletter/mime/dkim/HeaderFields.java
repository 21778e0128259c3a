package io.github.smtpletter.mime.dkim;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The header fields of a message's header section, and their "relaxed" canonical form (RFC 6376 section 3.4.2):
 * the name lower-cased, the value unfolded, runs of spaces and tabs turned into one space, whitespace around the
 * colon and at the end removed.
 */
final class HeaderFields {

    /** One field as it stands in the message: its name and its raw bytes (with folding, without the final CRLF). */
    record Field(String name, byte[] raw) {
    }

    private final List<Field> fields;

    private HeaderFields(List<Field> fields) {
        this.fields = fields;
    }

    /** Splits a header section (CRLF line ends) into fields; a line starting with space or tab continues a field. */
    static HeaderFields parse(byte[] section) {
        List<Field> fields = new ArrayList<>();
        int start = 0;
        int n = section.length;
        int i = 0;
        while (i < n) {
            // find the end of this line
            int eol = i;
            while (eol < n && section[eol] != '\n') {
                eol++;
            }
            int next = Math.min(n, eol + 1);
            boolean continues = next < n && (section[next] == ' ' || section[next] == '\t');
            if (!continues) {
                int end = eol > start && section[eol - 1] == '\r' ? eol - 1 : eol;
                add(fields, section, start, end);
                start = next;
            }
            i = next;
        }
        return new HeaderFields(fields);
    }

    private static void add(List<Field> fields, byte[] section, int from, int to) {
        if (to <= from) {
            return;
        }
        int colon = from;
        while (colon < to && section[colon] != ':') {
            colon++;
        }
        String name = new String(section, from, colon - from, StandardCharsets.ISO_8859_1).strip();
        byte[] raw = new byte[to - from];
        System.arraycopy(section, from, raw, 0, raw.length);
        fields.add(new Field(name, raw));
    }

    /** @return the fields, top to bottom */
    List<Field> fields() {
        return fields;
    }

    /** @return how many fields are named {@code name} (case-insensitive) */
    int count(String name) {
        int c = 0;
        for (Field f : fields) {
            if (f.name().equalsIgnoreCase(name)) {
                c++;
            }
        }
        return c;
    }

    /**
     * The fields to sign in the order of the names, bottom-up for a repeated name (RFC 6376 section 5.4.2): the
     * k-th mention of a name takes the k-th field of that name counted from the bottom; a mention with no field left
     * (over-signing) adds nothing.
     */
    void canonicalise(List<String> names, ByteArrayOutputStream out) {
        Map<String, Integer> used = new HashMap<>();
        for (String name : names) {
            String key = name.toLowerCase(Locale.ROOT);
            int skip = used.merge(key, 1, Integer::sum) - 1;
            for (int i = fields.size() - 1; i >= 0; i--) {
                if (fields.get(i).name().equalsIgnoreCase(key) && skip-- == 0) {
                    relaxed(fields.get(i).raw(), out);
                    out.write('\r');
                    out.write('\n');
                    break;
                }
            }
        }
    }

    /** Writes the relaxed canonical form of one raw field, without a final CRLF. */
    static void relaxed(byte[] raw, ByteArrayOutputStream out) {
        int colon = 0;
        while (colon < raw.length && raw[colon] != ':') {
            colon++;
        }
        String name = new String(raw, 0, colon, StandardCharsets.ISO_8859_1).strip().toLowerCase(Locale.ROOT);
        out.writeBytes(name.getBytes(StandardCharsets.ISO_8859_1));
        out.write(':');
        boolean space = false;
        boolean started = false;
        for (int i = colon + 1; i < raw.length; i++) {
            byte c = raw[i];
            if (c == '\r' || c == '\n') {
                continue; // unfold
            }
            if (c == ' ' || c == '\t') {
                space = true;
                continue;
            }
            if (space && started) {
                out.write(' ');
            }
            space = false;
            started = true;
            out.write(c);
        }
    }
}
