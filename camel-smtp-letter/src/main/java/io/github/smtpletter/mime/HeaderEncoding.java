package io.github.smtpletter.mime;

import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.ContentDisposition;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeUtility;
import jakarta.mail.internet.ParameterList;

import io.github.smtpletter.letter.MailAddress;

/**
 * Header values for non-ASCII text: RFC 2047 encoded words (subject, display names, extra headers, attachment
 * names in {@code Content-Type; name=}) and RFC 2231 parameters (attachment names in
 * {@code Content-Disposition; filename=}). Every value is folded with CRLF so no line exceeds 998 characters.
 */
final class HeaderEncoding {

    static final String UTF_8 = "UTF-8";
    static final int MAX_LINE = 998;

    /** Longest RFC 2047 word payload: 45 UTF-8 bytes give 60 base64 characters, 75 with the word's frame. */
    private static final int MAX_WORD_BYTES = 45;
    /** Longest display name, and longest word of a longer one, written as Jakarta Mail writes it. */
    private static final int MAX_NAME_WORD = 60;
    /** Characters that make Jakarta Mail quote a display name (RFC 5322 specials). */
    private static final String PHRASE_SPECIALS = "()<>[]:;@\\,.\"";
    /** Longest RFC 2231 continuation value, so a folded parameter line stays short. */
    private static final int MAX_SEGMENT = 60;

    private HeaderEncoding() {
    }

    /**
     * The address for a header: Unicode local parts as UTF-8, else the domain in ASCII (IDNA). Jakarta Mail folds an
     * address at any white space, also inside a quoted display name, and cannot fold a long word at all; so a display
     * name that could not be written within short lines (a word longer than {@value #MAX_NAME_WORD} octets, or a long name that
     * needs quotes) is written as RFC 2047 encoded words of at most 75 characters each, folded between the words.
     */
    static InternetAddress address(MailAddress a) throws MessagingException {
        // Unicode local parts go as UTF-8 (the message then needs SMTPUTF8); otherwise the domain in ASCII (IDNA)
        String spec = a.isInternational() ? a.address() : a.asciiAddress();
        if (a.displayName() != null && !fitsShortLines(a.displayName())) {
            return new EncodedNameAddress(spec, a.displayName(), forceEncodedWords(a.displayName()));
        }
        InternetAddress ia = new InternetAddress();
        ia.setAddress(spec);
        if (a.displayName() != null) {
            try {
                ia.setPersonal(a.displayName(), UTF_8);
            } catch (UnsupportedEncodingException e) {
                throw new MessagingException("UTF-8 unsupported", e);
            }
        }
        return ia;
    }

    /**
     * A single-address header value ({@code Disposition-Notification-To}), folded at white space.
     *
     * @param name the header name, for the space it takes on the first line
     */
    static String addressValue(String name, MailAddress a) throws MessagingException {
        return MimeUtility.fold(name.length() + 2, address(a).toString());
    }

    /**
     * Whether a display name can be written as Jakarta Mail writes it and still fold into short lines: short, or
     * ASCII words of at most {@value #MAX_NAME_WORD} characters that need no quoted string (Jakarta Mail quotes
     * non-ASCII names in UTF-8 headers, and folding inside a quoted string is not safe).
     */
    private static boolean fitsShortLines(String name) {
        if (utf8Length(name) <= MAX_NAME_WORD) {
            return true;
        }
        int word = 0;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (PHRASE_SPECIALS.indexOf(c) >= 0 || c > 0x7E) {
                return false;
            }
            word = c == ' ' || c == '\t' ? 0 : word + 1;
            if (word > MAX_NAME_WORD) {
                return false;
            }
        }
        return true;
    }

    private static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    static InternetAddress[] addresses(List<MailAddress> addresses) throws MessagingException {
        InternetAddress[] result = new InternetAddress[addresses.size()];
        for (int i = 0; i < result.length; i++) {
            result[i] = address(addresses.get(i));
        }
        return result;
    }

    /**
     * An unstructured header value (RFC 2047 encoded when not ASCII, or when a word would not fit on a line),
     * folded with CRLF.
     */
    static String unstructured(String name, String value) throws MessagingException {
        int used = name.length() + 2;
        try {
            String folded = MimeUtility.fold(used, MimeUtility.encodeText(value, UTF_8, null));
            if (longestLine(folded, used) > MAX_LINE) {
                // a word too long for a line: encoded words can be split anywhere (Jakarta leaves ASCII unencoded)
                folded = MimeUtility.fold(used, forceEncodedWords(value));
            }
            return folded;
        } catch (UnsupportedEncodingException e) {
            throw new MessagingException("UTF-8 unsupported", e);
        }
    }

    /**
     * The {@code Content-Type} value of an attachment: its type with a {@code name} parameter, the name as RFC 2047
     * words folded inside the quoted value when not ASCII, so a long name never makes an over-long line.
     */
    static String contentType(ContentType type, String fileName) throws MessagingException {
        String encodedName = encodeWords(fileName);
        if (encodedName.equals(fileName)) {
            type.setParameter("name", fileName);
            return type.toString();
        }
        return type + ";\r\n\tname=\"" + encodedName.replace(" ", "\r\n ") + "\"";
    }

    /** The {@code Content-Disposition} value of an attachment, the file name RFC 2231 encoded when not ASCII. */
    static String contentDisposition(String dispositionType, String fileName) throws MessagingException {
        if (encodeWords(fileName).equals(fileName)) {
            ContentDisposition disposition = new ContentDisposition(dispositionType, null);
            ParameterList params = new ParameterList();
            params.set("filename", fileName);
            disposition.setParameterList(params);
            return disposition.toString();
        }
        return dispositionType + ";" + rfc2231("filename", fileName);
    }

    /**
     * The whole value as RFC 2047 "B" encoded words of at most 45 UTF-8 bytes each (75 characters encoded),
     * separated by spaces; code points are never split.
     */
    private static String forceEncodedWords(String value) {
        StringBuilder out = new StringBuilder(value.length() * 2);
        StringBuilder word = new StringBuilder();
        int wordBytes = 0;
        for (int i = 0; i < value.length();) {
            int cp = value.codePointAt(i);
            int n = Character.charCount(cp);
            int bytes = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (wordBytes + bytes > MAX_WORD_BYTES) {
                appendEncodedWord(out, word);
                word.setLength(0);
                wordBytes = 0;
            }
            word.appendCodePoint(cp);
            wordBytes += bytes;
            i += n;
        }
        appendEncodedWord(out, word);
        return out.toString();
    }

    private static void appendEncodedWord(StringBuilder out, CharSequence word) {
        if (word.length() == 0) {
            return;
        }
        if (out.length() > 0) {
            out.append(' ');
        }
        out.append("=?UTF-8?B?")
                .append(Base64.getEncoder().encodeToString(word.toString().getBytes(StandardCharsets.UTF_8)))
                .append("?=");
    }

    /**
     * An RFC 2231 encoded parameter ({@code ;} separated, each on its own folded line): {@code name*=UTF-8''...}
     * when short, else continuations {@code name*0*=UTF-8''...; name*1*=...} of at most 60 characters that never
     * split a character's bytes. (Jakarta Mail does not split encoded values itself.)
     */
    private static String rfc2231(String name, String value) {
        List<String> segments = new ArrayList<>();
        StringBuilder segment = new StringBuilder();
        for (int i = 0; i < value.length();) {
            int cp = value.codePointAt(i);
            i += Character.charCount(cp);
            StringBuilder encoded = new StringBuilder();
            for (byte b : new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8)) {
                int c = b & 0xFF;
                if (isAttributeChar(c)) {
                    encoded.append((char) c);
                } else {
                    encoded.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                            .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
                }
            }
            if (segment.length() + encoded.length() > MAX_SEGMENT) {
                segments.add(segment.toString());
                segment.setLength(0);
            }
            segment.append(encoded);
        }
        segments.add(segment.toString());
        if (segments.size() == 1) {
            return "\r\n\t" + name + "*=UTF-8''" + segments.get(0);
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < segments.size(); i++) {
            sb.append(i == 0 ? "" : ";").append("\r\n\t").append(name).append('*').append(i).append("*=")
                    .append(i == 0 ? "UTF-8''" : "").append(segments.get(i));
        }
        return sb.toString();
    }

    /** RFC 2231 attribute-char: printable ASCII except space, {@code *'%} and the RFC 2045 tspecials. */
    private static boolean isAttributeChar(int c) {
        return c > 32 && c < 127 && "*'%()<>@,;:\\\"/[]?=".indexOf(c) < 0;
    }

    /** RFC 2047 encoded words (separated by spaces, no folding) for a non-ASCII value; ASCII is returned as is. */
    private static String encodeWords(String value) throws MessagingException {
        try {
            return MimeUtility.encodeText(value, UTF_8, "B");
        } catch (UnsupportedEncodingException e) {
            throw new MessagingException("UTF-8 unsupported", e);
        }
    }

    /**
     * An address whose display name is written as given RFC 2047 words, in ASCII and UTF-8 headers alike (it sets
     * the protected {@code encodedPersonal} field, which {@code toString()} writes).
     */
    private static final class EncodedNameAddress extends InternetAddress {
        private static final long serialVersionUID = 1L;

        EncodedNameAddress(String address, String displayName, String encodedWords) {
            setAddress(address);
            personal = displayName;
            encodedPersonal = encodedWords;
        }

        @Override
        public String toUnicodeString() {
            return toString();
        }
    }

    private static int longestLine(String s, int firstLineOffset) {
        int longest = 0;
        int start = -firstLineOffset;
        int i = s.indexOf("\r\n");
        while (i >= 0) {
            longest = Math.max(longest, i - start);
            start = i + 2;
            i = s.indexOf("\r\n", start);
        }
        return Math.max(longest, s.length() - start);
    }
}
