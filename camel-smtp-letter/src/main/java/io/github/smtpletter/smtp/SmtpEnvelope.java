package io.github.smtpletter.smtp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.github.smtpletter.letter.DsnNotify;
import io.github.smtpletter.letter.DsnOptions;
import io.github.smtpletter.letter.DsnReturn;
import io.github.smtpletter.letter.Letter;
import io.github.smtpletter.letter.MailAddress;

/**
 * The envelope of one letter as SMTP commands, built once before anything is sent and used alike by the DATA and
 * the BDAT path: {@code MAIL FROM} with its parameters ({@code SIZE}, {@code BODY=8BITMIME}, {@code SMTPUTF8},
 * {@code RET}, {@code ENVID}) and one {@code RCPT TO} per envelope recipient, in order (with {@code NOTIFY}).
 *
 * @param mailCommand  the {@code MAIL FROM} command line
 * @param rcptCommands the {@code RCPT TO} command lines, one per recipient of the letter, same order
 * @param recipients   the recipients exactly as in the {@code RCPT TO} commands (no display name; the domain in
 *                     ASCII form unless {@code SMTPUTF8} is used), same order
 */
record SmtpEnvelope(String mailCommand, List<String> rcptCommands, List<MailAddress> recipients) {

    /**
     * @param letter   the letter
     * @param size     the message size to declare (RFC 1870), or -1 for none
     * @param eightBit whether to declare {@code BODY=8BITMIME} (RFC 6152)
     * @param utf8     whether to ask for {@code SMTPUTF8} (RFC 6531): addresses go as they are, else in ASCII form
     * @param dsn      the delivery status notifications asked for (RFC 3461), or {@code null} for none
     * @return the envelope
     */
    static SmtpEnvelope of(Letter letter, long size, boolean eightBit, boolean utf8, DsnOptions dsn) {
        StringBuilder mail = new StringBuilder("MAIL FROM:<").append(address(letter.from(), utf8)).append('>');
        if (size >= 0) {
            mail.append(" SIZE=").append(size);
        }
        if (eightBit) {
            mail.append(" BODY=8BITMIME");
        }
        if (utf8) {
            mail.append(" SMTPUTF8");
        }
        if (dsn != null && dsn.ret() != null) {
            mail.append(" RET=").append(dsn.ret() == DsnReturn.FULL ? "FULL" : "HDRS");
        }
        if (dsn != null && dsn.envelopeId() != null) {
            mail.append(" ENVID=").append(xtext(dsn.envelopeId()));
        }
        String notify = notify(dsn);
        List<String> rcpts = new ArrayList<>();
        List<MailAddress> sent = new ArrayList<>();
        for (MailAddress r : letter.recipients()) {
            String path = address(r, utf8);
            rcpts.add("RCPT TO:<" + path + ">" + (notify != null ? " NOTIFY=" + notify : ""));
            sent.add(path.equals(r.address()) && r.displayName() == null ? r : MailAddress.of(path));
        }
        return new SmtpEnvelope(mail.toString(), List.copyOf(rcpts), List.copyOf(sent));
    }

    /** @return the NOTIFY value (the events asked for, comma-separated, in declaration order), or null for none */
    private static String notify(DsnOptions dsn) {
        if (dsn == null || dsn.notifyOn().isEmpty()) {
            return null;
        }
        StringBuilder n = new StringBuilder();
        for (DsnNotify d : DsnNotify.values()) {
            if (dsn.notifyOn().contains(d)) {
                n.append(n.length() == 0 ? "" : ",").append(d.name());
            }
        }
        return n.toString();
    }

    private static String address(MailAddress a, boolean utf8) {
        return utf8 ? a.address() : a.asciiAddress();
    }

    /** xtext (RFC 3461 section 4): '+', '=' and characters outside 33..126 as "+XX". */
    static String xtext(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c < 33 || c > 126 || c == '+' || c == '=') {
                sb.append('+').append(String.format(Locale.ROOT, "%02X", c));
            } else {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }
}
