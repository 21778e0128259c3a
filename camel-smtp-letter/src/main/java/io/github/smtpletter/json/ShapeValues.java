package io.github.smtpletter.json;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.github.smtpletter.letter.Checks;
import io.github.smtpletter.letter.InvalidLetterException;
import io.github.smtpletter.letter.MailAddress;

/** Reading and writing the values inside the map shapes: strings, addresses, enums, base64. */
final class ShapeValues {

    private ShapeValues() {
    }

    /** A string member; numbers, booleans and enum constants are taken as their text. */
    static String string(Map<?, ?> map, String key) {
        return string(map, key, key);
    }

    static String string(Map<?, ?> map, String key, String field) {
        return string(map.get(key), key, field);
    }

    static String string(Object v, String key, String field) {
        if (v == null || v instanceof String) {
            return (String) v;
        }
        if (v instanceof CharSequence || v instanceof Number || v instanceof Boolean || v instanceof Character
            || v instanceof Enum<?>) {
            return v.toString();
        }
        throw new InvalidLetterException(field, (field.equals(key) ? "" : key + ": ") + "expected a string, got "
                                                + kind(v));
    }

    static int integer(Map<?, ?> map, String key, String field) {
        Object v = map.get(key);
        if (v instanceof Integer || v instanceof Short || v instanceof Long l && l == l.intValue()) {
            return ((Number) v).intValue();
        }
        throw new InvalidLetterException(field, key + ": expected an integer, got " + kind(v));
    }

    static <E extends Enum<E>> E enumValue(Class<E> type, Object value, String field) {
        if (type.isInstance(value)) {
            return type.cast(value);
        }
        String text = string(value, field, field);
        try {
            return Enum.valueOf(type, text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidLetterException(field, Checks.quote(text) + " is not one of "
                                                    + Arrays.toString(type.getEnumConstants()));
        }
    }

    /** One address: a {@code MailAddress}, or text such as {@code "Name <a@b>"} or {@code "a@b"}. */
    static MailAddress address(Object value, String field) {
        if (value instanceof MailAddress a) {
            return a;
        }
        try {
            return MailAddress.parse(string(value, field, field));
        } catch (InvalidLetterException e) {
            throw new InvalidLetterException(field, e.reason());
        }
    }

    /**
     * An address list: {@code null} (none), a comma separated string, a {@code MailAddress}, or a collection (a JSON
     * array) of addresses as strings or {@code MailAddress}.
     */
    static List<MailAddress> addressList(Object v, String field) {
        if (v == null) {
            return List.of();
        }
        if (v instanceof MailAddress a) {
            return List.of(a);
        }
        if (v instanceof Collection<?> c) {
            List<MailAddress> out = new ArrayList<>(c.size());
            for (Object o : c) {
                if (!(o instanceof MailAddress) && !(o instanceof String)) {
                    throw new InvalidLetterException(field, "expected an address string such as \"Name <a@b>\", got "
                                                            + kind(o));
                }
                out.add(address(o, field));
            }
            return out;
        }
        if (!(v instanceof String s)) {
            throw new InvalidLetterException(field, "expected an array of addresses, got " + kind(v));
        }
        try {
            return MailAddress.parseList(s);
        } catch (InvalidLetterException e) {
            throw new InvalidLetterException(field, e.reason());
        }
    }

    static void checkKnown(Map<?, ?> map, Set<String> known, String what) {
        for (Object k : map.keySet()) {
            if (!known.contains(String.valueOf(k))) {
                throw new InvalidLetterException(String.valueOf(k), "unknown " + what + " member; known: "
                                                                    + new TreeSet<>(known));
            }
        }
    }

    static byte[] decodeBase64(String text, String field, String what) {
        try {
            return Base64.getMimeDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidLetterException(field, what + ": base64 is invalid");
        }
    }

    /** How a value reads in an error message: "an object", "an array", "a string" ... */
    static String kind(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof Map) {
            return "an object";
        }
        if (v instanceof Collection) {
            return "an array";
        }
        if (v instanceof String) {
            return "a string";
        }
        if (v instanceof Number) {
            return "a number";
        }
        if (v instanceof Boolean) {
            return "a boolean";
        }
        return v.getClass().getSimpleName();
    }

    static List<Object> addresses(List<MailAddress> list) {
        List<Object> out = new ArrayList<>(list.size());
        list.forEach(a -> out.add(a.toString()));
        return out;
    }

    static void putIfNotNull(Map<String, Object> m, String key, Object value) {
        if (value != null) {
            m.put(key, value);
        }
    }

    /** Opens a content to be read once. */
    @FunctionalInterface
    interface Opener {
        InputStream open() throws IOException;
    }

    static String base64(Opener opener, String what) {
        try (InputStream in = opener.open()) {
            return Base64.getEncoder().encodeToString(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the content of " + what + ": " + e.getMessage(), e);
        }
    }
}
