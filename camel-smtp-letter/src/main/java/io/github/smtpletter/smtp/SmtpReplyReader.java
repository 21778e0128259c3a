package io.github.smtpletter.smtp;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads SMTP replies (RFC 5321 section 4.2): {@code NNN-text} continuation lines ending with a {@code NNN text}
 * line, all with the same code. When enhanced status codes are enabled (the server announced ENHANCEDSTATUSCODES,
 * RFC 2034) the {@code x.y.z} prefix of each line is split off into {@link SmtpReply#enhancedCode()}.
 * Lines are decoded as UTF-8 (servers speaking SMTPUTF8 may send it); bare LF is tolerated.
 * Not thread-safe; the stream should be buffered.
 */
final class SmtpReplyReader {

    /** Longest reply line accepted (RFC 5321 allows 512 octets; be lenient but bounded). */
    static final int MAX_LINE = 8192;
    /** Most lines accepted in one reply (a sane bound against a misbehaving peer). */
    static final int MAX_LINES = 1000;

    private static final Pattern ENHANCED = Pattern.compile("^([245])\\.(\\d{1,3})\\.(\\d{1,3})(?: |$)");

    private final InputStream in;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(128);
    private boolean enhancedStatusCodes;

    SmtpReplyReader(InputStream in) {
        this.in = in;
    }

    /** Whether to split RFC 3463 enhanced status codes off the reply text. */
    void enhancedStatusCodes(boolean enabled) {
        this.enhancedStatusCodes = enabled;
    }

    /**
     * Reads one complete reply.
     *
     * @throws EOFException  when the connection closes before a complete reply
     * @throws SmtpException when the peer does not speak SMTP (malformed line, inconsistent codes)
     */
    SmtpReply read() throws IOException {
        List<String> texts = new ArrayList<>(2);
        int code = -1;
        while (true) {
            String raw = readLine();
            if (raw.length() < 3 || !isDigits(raw) || (raw.length() > 3 && raw.charAt(3) != ' ' && raw.charAt(
                    3) != '-')) {
                throw new SmtpException("malformed SMTP reply line: " + abbreviate(raw), null, true);
            }
            int lineCode = Integer.parseInt(raw.substring(0, 3));
            if (lineCode < 200 || lineCode > 599) {
                throw new SmtpException("SMTP reply code out of range: " + abbreviate(raw), null, true);
            }
            if (code == -1) {
                code = lineCode;
            } else if (code != lineCode) {
                throw new SmtpException("inconsistent codes in multi-line SMTP reply: " + code + " then " + lineCode,
                        null, true);
            }
            texts.add(raw.length() > 4 ? raw.substring(4) : "");
            if (texts.size() > MAX_LINES) {
                throw new SmtpException("SMTP reply has more than " + MAX_LINES + " lines", null, true);
            }
            if (raw.length() == 3 || raw.charAt(3) == ' ') {
                break;
            }
        }
        return build(code, texts);
    }

    private SmtpReply build(int code, List<String> texts) {
        if (!enhancedStatusCodes) {
            return new SmtpReply(code, null, texts);
        }
        Matcher m = ENHANCED.matcher(texts.get(0));
        if (!m.find() || m.group(1).charAt(0) - '0' != code / 100) {
            return new SmtpReply(code, null, texts);
        }
        String enhanced = m.group(1) + '.' + m.group(2) + '.' + m.group(3);
        List<String> stripped = new ArrayList<>(texts.size());
        for (String t : texts) {
            if (t.startsWith(enhanced) && (t.length() == enhanced.length() || t.charAt(enhanced.length()) == ' ')) {
                t = t.length() == enhanced.length() ? "" : t.substring(enhanced.length() + 1);
            }
            stripped.add(t);
        }
        return new SmtpReply(code, enhanced, stripped);
    }

    private String readLine() throws IOException {
        line.reset();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException(line.size() == 0
                        ? "connection closed by the server"
                        : "connection closed by the server in the middle of a reply line");
            }
            if (b == '\n') {
                break;
            }
            if (line.size() >= MAX_LINE) {
                throw new SmtpException("SMTP reply line longer than " + MAX_LINE + " bytes", null, true);
            }
            line.write(b);
        }
        byte[] bytes = line.toByteArray();
        int len = bytes.length;
        if (len > 0 && bytes[len - 1] == '\r') {
            len--;
        }
        return new String(bytes, 0, len, StandardCharsets.UTF_8);
    }

    private static boolean isDigits(String raw) {
        for (int i = 0; i < 3; i++) {
            char c = raw.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static String abbreviate(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && i < 80; i++) {
            char c = s.charAt(i);
            sb.append(c < ' ' || c == 127 ? '?' : c);
        }
        return '"' + (s.length() > 80 ? sb + "..." : sb.toString()) + '"';
    }
}
