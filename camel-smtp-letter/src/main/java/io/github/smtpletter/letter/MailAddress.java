package io.github.smtpletter.letter;

import java.net.IDN;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * An e-mail address (RFC 5322 {@code addr-spec}) with an optional display name.
 * <p>
 * The local part is a dot-atom or a quoted string; non-ASCII characters are allowed in it (RFC 6531/6532),
 * such an address {@linkplain #isInternational() is international} and needs {@code SMTPUTF8} on the wire.
 * The domain is a sequence of dot-separated labels, Unicode (IDN) labels kept as given, or an address
 * literal in brackets ({@code [192.0.2.1]}, {@code [IPv6:2001:db8::1]}).
 * <p>
 * Instances are immutable. Two addresses are equal when their addresses are equal: the local part
 * compared exactly, the domain case-insensitively (after IDN conversion); the display name is ignored.
 */
public final class MailAddress {

    private static final String FIELD = "address";
    private static final int MAX_LOCAL_OCTETS = 64;
    private static final int MAX_ADDRESS_OCTETS = 254;
    private static final int MAX_LABEL = 63;
    private static final int MAX_DOMAIN = 253;
    /** RFC 5322 atext specials besides letters and digits. */
    private static final String ATEXT_SPECIALS = "!#$%&'*+-/=?^_`{|}~";
    /** Characters that force a display name into a quoted string (RFC 5322 specials). */
    private static final String PHRASE_SPECIALS = "()<>[]:;@\\,.\"";

    private final String address;
    private final String displayName;
    private final String localPart;
    private final String domain;
    private final String asciiAddress;
    /** Lower-case ASCII domain, the equality key with the local part. */
    private final String domainKey;

    private MailAddress(String localPart, String domain, String asciiDomain, String displayName) {
        this.localPart = localPart;
        this.domain = domain;
        this.address = localPart + "@" + domain;
        this.asciiAddress = localPart + "@" + asciiDomain;
        this.domainKey = asciiDomain.toLowerCase(Locale.ROOT);
        this.displayName = displayName;
    }

    /**
     * Creates an address without a display name.
     *
     * @param address a plain {@code addr-spec}, {@code local@domain}; surrounding spaces are ignored
     * @return the address
     * @throws InvalidLetterException (field {@code "address"}) when it is not a valid address
     */
    public static MailAddress of(String address) {
        return of(address, null);
    }

    /**
     * Creates an address with a display name.
     *
     * @param address     a plain {@code addr-spec}, {@code local@domain}; surrounding spaces are ignored
     * @param displayName the name to show, any text without control characters; {@code null} or blank for none
     * @return the address
     * @throws InvalidLetterException (field {@code "address"}) when the address or the display name is invalid
     */
    public static MailAddress of(String address, String displayName) {
        if (address == null) {
            throw new InvalidLetterException(FIELD, "address must not be null");
        }
        Checks.noControl(FIELD, "address", address, false);
        Checks.noControl(FIELD, "display name", displayName, true);
        String name = displayName == null || displayName.isBlank() ? null : displayName.strip();
        String spec = address.strip();
        if (spec.isEmpty()) {
            throw new InvalidLetterException(FIELD, "address must not be empty");
        }
        int at = spec.lastIndexOf('@');
        if (at < 0) {
            throw new InvalidLetterException(FIELD, "missing '@' in " + Checks.quote(spec));
        }
        String local = spec.substring(0, at);
        String dom = spec.substring(at + 1);
        checkLocalPart(local, spec);
        String asciiDomain = checkDomain(dom, spec);
        if (octets(local) > MAX_LOCAL_OCTETS) {
            throw new InvalidLetterException(FIELD, "local part longer than " + MAX_LOCAL_OCTETS + " octets in "
                                                    + Checks.quote(spec));
        }
        if (octets(spec) > MAX_ADDRESS_OCTETS || (local.length() + 1 + asciiDomain.length()) > MAX_ADDRESS_OCTETS) {
            throw new InvalidLetterException(FIELD, "address longer than " + MAX_ADDRESS_OCTETS + " octets: "
                                                    + Checks.quote(spec));
        }
        return new MailAddress(local, dom, asciiDomain, name);
    }

    /**
     * Parses one address in one of the forms {@code Name <a@b>}, {@code "Last, First" <a@b>}, {@code <a@b>} or
     * {@code a@b}. A quoted display name may contain commas and backslash-escaped quotes.
     *
     * @param text the text to parse
     * @return the address
     * @throws InvalidLetterException (field {@code "address"}) when the text is not one valid address
     */
    public static MailAddress parse(String text) {
        if (text == null) {
            throw new InvalidLetterException(FIELD, "address must not be null");
        }
        Checks.noControl(FIELD, "address", text, true);
        String s = text.strip();
        if (s.isEmpty()) {
            throw new InvalidLetterException(FIELD, "address must not be empty");
        }
        if (!s.endsWith(">")) {
            if (hasAngleOutsideQuotes(s)) {
                throw new InvalidLetterException(FIELD, "unbalanced angle brackets in " + Checks.quote(s));
            }
            return of(s);
        }
        int open = findAngleOpen(s);
        if (open < 0) {
            throw new InvalidLetterException(FIELD, "unbalanced angle brackets in " + Checks.quote(s));
        }
        String spec = s.substring(open + 1, s.length() - 1);
        if (hasAngleOutsideQuotes(spec)) {
            throw new InvalidLetterException(FIELD, "unbalanced angle brackets in " + Checks.quote(s));
        }
        String phrase = s.substring(0, open).strip();
        return of(spec, phrase.isEmpty() ? null : unquotePhrase(phrase, s));
    }

    /**
     * Parses a comma-separated list of addresses (each as for {@link #parse(String)}); commas inside quoted
     * strings and angle brackets do not separate. Empty items are skipped.
     *
     * @param text the list; {@code null} or blank gives an empty list
     * @return the addresses in order, unmodifiable
     * @throws InvalidLetterException (field {@code "address"}) when an item is invalid
     */
    public static List<MailAddress> parseList(String text) {
        if (text == null || text.isBlank()) {
            return Collections.emptyList();
        }
        List<MailAddress> result = new ArrayList<>();
        boolean quoted = false;
        boolean angle = false;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    quoted = false;
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == '<') {
                angle = true;
            } else if (c == '>') {
                angle = false;
            } else if (c == ',' && !angle) {
                addItem(result, text.substring(start, i));
                start = i + 1;
            }
        }
        if (quoted) {
            throw new InvalidLetterException(FIELD, "unterminated quoted string in " + Checks.quote(text));
        }
        addItem(result, text.substring(start));
        return Collections.unmodifiableList(result);
    }

    private static void addItem(List<MailAddress> result, String item) {
        if (!item.isBlank()) {
            result.add(parse(item));
        }
    }

    /**
     * Whether a {@code <} or {@code >} stands outside quoted strings: a structural error. Angle brackets inside a
     * quoted local part are left to {@link #checkLocalPart}, so both ways in refuse them with the same reason.
     */
    private static boolean hasAngleOutsideQuotes(String s) {
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quoted) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    quoted = false;
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == '<' || c == '>') {
                return true;
            }
        }
        return false;
    }

    /** Finds the '<' opening the final angle-addr, ignoring quoted strings; -1 when none. */
    private static int findAngleOpen(String s) {
        boolean quoted = false;
        int open = -1;
        for (int i = 0; i < s.length() - 1; i++) {
            char c = s.charAt(i);
            if (quoted) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    quoted = false;
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == '<') {
                if (open >= 0) {
                    return -1;
                }
                open = i;
            }
        }
        return quoted ? -1 : open;
    }

    /** Display name text: a quoted string is unquoted (escapes resolved), a plain phrase is taken as is. */
    private static String unquotePhrase(String phrase, String whole) {
        if (phrase.length() >= 2 && phrase.startsWith("\"") && phrase.endsWith("\"")) {
            StringBuilder sb = new StringBuilder(phrase.length());
            for (int i = 1; i < phrase.length() - 1; i++) {
                char c = phrase.charAt(i);
                if (c == '\\' && i + 1 < phrase.length() - 1) {
                    sb.append(phrase.charAt(++i));
                } else if (c == '"' || c == '\\') {
                    throw new InvalidLetterException(FIELD, "bad quoting in display name of " + Checks.quote(whole));
                } else {
                    sb.append(c);
                }
            }
            return sb.toString();
        }
        if (phrase.indexOf('"') >= 0) {
            throw new InvalidLetterException(FIELD, "bad quoting in display name of " + Checks.quote(whole));
        }
        return phrase;
    }

    /**
     * The one rule set for local parts, applied by {@link #of(String, String)} and so by every parser here. A
     * quoted local part may hold any printable character (spaces, {@code @}, commas, non-ASCII) except {@code <},
     * {@code >} and control characters, escaped or not: RFC 5321 allows them, but the address goes into
     * {@code MAIL FROM:<...>} and {@code RCPT TO:<...>}, and a server or filter that cuts the command at the first
     * {@code >} would read the rest as SMTP parameters ({@code NOTIFY=}, {@code ORCPT=}) the sender never set.
     */
    private static void checkLocalPart(String local, String spec) {
        if (local.isEmpty()) {
            throw new InvalidLetterException(FIELD, "empty local part in " + Checks.quote(spec));
        }
        if (local.startsWith("\"")) {
            if (local.length() < 2 || !local.endsWith("\"")) {
                throw new InvalidLetterException(FIELD, "bad quoted local part in " + Checks.quote(spec));
            }
            for (int i = 1; i < local.length() - 1; i++) {
                char c = local.charAt(i);
                if (c == '\\') {
                    if (i + 1 >= local.length() - 1) {
                        throw new InvalidLetterException(FIELD, "bad quoted local part in " + Checks.quote(spec));
                    }
                    c = local.charAt(++i);
                } else if (c == '"') {
                    throw new InvalidLetterException(FIELD, "bad quoted local part in " + Checks.quote(spec));
                }
                if (c == '<' || c == '>' || Checks.isControl(c)) {
                    throw new InvalidLetterException(FIELD, "quoted local part must not contain '<', '>' or control"
                                                            + " characters: " + Checks.quote(spec));
                }
            }
            return;
        }
        if (local.startsWith(".") || local.endsWith(".") || local.contains("..")) {
            throw new InvalidLetterException(FIELD, "misplaced '.' in local part of " + Checks.quote(spec));
        }
        for (int i = 0; i < local.length(); i++) {
            char c = local.charAt(i);
            if (!(isAtext(c) || c == '.')) {
                throw new InvalidLetterException(FIELD, "invalid character " + Checks.quote(String.valueOf(c))
                                                        + " in local part of " + Checks.quote(spec));
            }
        }
    }

    private static boolean isAtext(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
               || ATEXT_SPECIALS.indexOf(c) >= 0
               || (c > 0x7F && !Character.isWhitespace(c) && !Character.isSpaceChar(c) && !Checks.isControl(c));
    }

    /** Validates the domain and returns its ASCII form. */
    private static String checkDomain(String dom, String spec) {
        if (dom.isEmpty()) {
            throw new InvalidLetterException(FIELD, "empty domain in " + Checks.quote(spec));
        }
        if (dom.startsWith("[")) {
            checkAddressLiteral(dom, spec);
            return dom;
        }
        if (dom.startsWith(".") || dom.endsWith(".") || dom.contains("..")) {
            throw new InvalidLetterException(FIELD, "empty label in domain of " + Checks.quote(spec));
        }
        for (String label : dom.split("\\.")) {
            if (label.length() > MAX_LABEL) {
                throw new InvalidLetterException(FIELD, "domain label longer than " + MAX_LABEL + " characters in "
                                                        + Checks.quote(spec));
            }
            if (label.startsWith("-") || label.endsWith("-")) {
                throw new InvalidLetterException(FIELD, "domain label starts or ends with '-' in " + Checks.quote(
                        spec));
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'
                             || (c > 0x7F && Character.isLetterOrDigit(c))
                             || (c > 0x7F && Character.getType(c) == Character.NON_SPACING_MARK);
                if (!ok) {
                    throw new InvalidLetterException(FIELD, "invalid character " + Checks.quote(String.valueOf(c))
                                                            + " in domain of " + Checks.quote(spec));
                }
            }
        }
        String ascii;
        try {
            ascii = IDN.toASCII(dom, IDN.USE_STD3_ASCII_RULES);
        } catch (IllegalArgumentException e) {
            throw new InvalidLetterException(FIELD, "invalid international domain (" + e.getMessage() + ") in "
                                                    + Checks.quote(spec));
        }
        if (ascii.length() > MAX_DOMAIN) {
            throw new InvalidLetterException(FIELD, "domain longer than " + MAX_DOMAIN + " characters in "
                                                    + Checks.quote(spec));
        }
        for (String label : ascii.split("\\.")) {
            if (label.isEmpty() || label.length() > MAX_LABEL) {
                throw new InvalidLetterException(FIELD, "domain label empty or longer than " + MAX_LABEL
                                                        + " characters in " + Checks.quote(spec));
            }
        }
        return ascii;
    }

    private static void checkAddressLiteral(String dom, String spec) {
        if (!dom.endsWith("]") || dom.length() < 3) {
            throw new InvalidLetterException(FIELD, "bad address literal in " + Checks.quote(spec));
        }
        String inner = dom.substring(1, dom.length() - 1);
        boolean ok;
        if (inner.regionMatches(true, 0, "IPv6:", 0, 5)) {
            ok = inner.length() > 5 && inner.substring(5).matches("[0-9A-Fa-f:.]+") && inner.substring(5).contains(":");
        } else {
            ok = isIpv4(inner);
        }
        if (!ok) {
            throw new InvalidLetterException(FIELD, "bad address literal in " + Checks.quote(spec));
        }
    }

    private static boolean isIpv4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(ch -> ch >= '0' && ch <= '9')
                || Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
    }

    private static int octets(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    /** @return the address {@code local@domain} as given, Unicode domain kept */
    public String address() {
        return address;
    }

    /** @return the display name, or {@code null} when none */
    public String displayName() {
        return displayName;
    }

    /** @return the local part, with its quotes if it is a quoted string */
    public String localPart() {
        return localPart;
    }

    /** @return the domain as given (Unicode kept), or the address literal with its brackets */
    public String domain() {
        return domain;
    }

    /** @return the address with the domain converted to ASCII (IDNA, {@code xn--}); the local part unchanged */
    public String asciiAddress() {
        return asciiAddress;
    }

    /** @return the domain converted to ASCII (IDNA); address literals unchanged */
    public String asciiDomain() {
        return asciiAddress.substring(localPart.length() + 1);
    }

    /** @return whether the local part has non-ASCII characters, so sending needs {@code SMTPUTF8} */
    public boolean isInternational() {
        return !Checks.isAscii(localPart);
    }

    /**
     * @param newDisplayName the display name, {@code null} for none
     * @return this address with another display name
     */
    public MailAddress withDisplayName(String newDisplayName) {
        return of(address, newDisplayName);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MailAddress other && localPart.equals(other.localPart) && domainKey.equals(other.domainKey);
    }

    @Override
    public int hashCode() {
        return 31 * localPart.hashCode() + domainKey.hashCode();
    }

    /**
     * @return {@code Name <a@b>} or {@code a@b}; a display name with RFC 5322 specials (comma, dot, ...) is
     *         quoted, so the result parses back with {@link #parse(String)}
     */
    @Override
    public String toString() {
        if (displayName == null) {
            return address;
        }
        return formatDisplayName(displayName) + " <" + address + ">";
    }

    private static String formatDisplayName(String name) {
        boolean needsQuotes = false;
        for (int i = 0; i < name.length() && !needsQuotes; i++) {
            needsQuotes = PHRASE_SPECIALS.indexOf(name.charAt(i)) >= 0;
        }
        if (!needsQuotes) {
            return name;
        }
        StringBuilder sb = new StringBuilder(name.length() + 4).append('"');
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.append('"').toString();
    }
}
