package io.github.smtpletter.camel;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Function;

import jakarta.mail.Address;
import jakarta.mail.IllegalWriteException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import io.github.smtpletter.letter.Checks;
import io.github.smtpletter.letter.InvalidLetterException;
import io.github.smtpletter.letter.Letter;
import io.github.smtpletter.letter.MailAddress;

/**
 * Letters from written messages: a Jakarta {@code MimeMessage} or raw RFC 5322 bytes is sent as written; the envelope
 * comes from its From/Sender, To, Cc and Bcc, and only when the message has no sender (or no recipient at all) from
 * the {@code from} (or {@code to}) member of a fallback.
 */
final class MimeLetters {

    private static final Session MIME_SESSION = Session.getInstance(new Properties());

    private MimeLetters() {
    }

    /**
     * Like {@code Transport.send}, this saves the message's changes first (so an edited message is sent as edited); a
     * Message-ID set by hand is kept.
     */
    static Letter fromMessage(MimeMessage message, Function<String, Object> fallback)
            throws MessagingException, IOException {
        return fromMime(message, fallback, false);
    }

    /** Raw RFC 5322 bytes, parsed for the envelope and sent verbatim (without any Bcc header). */
    static Letter fromBytes(byte[] rfc5322, Function<String, Object> fallback) throws MessagingException, IOException {
        return fromMime(new MimeMessage(MIME_SESSION, new ByteArrayInputStream(rfc5322)), fallback, true);
    }

    /** A raw RFC 5322 stream, as {@link #fromBytes}. */
    static Letter fromStream(InputStream rfc5322, Function<String, Object> fallback)
            throws MessagingException, IOException {
        return fromMime(new MimeMessage(MIME_SESSION, rfc5322), fallback, true);
    }

    private static Letter fromMime(MimeMessage message, Function<String, Object> fallback, boolean parsed)
            throws MessagingException, IOException {
        Letter.Builder b = Letter.builder();
        Address[] from = addressHeader(message, null, "from");
        if (from != null && from.length > 0) {
            b.sender(toMailAddress(from[0], "from"));
        } else {
            String def = text(fallback.apply("from"));
            if (def != null) {
                b.sender(def);
            }
        }
        boolean any = false;
        any |= addRecipients(b, addressHeader(message, Message.RecipientType.TO, "to"), "to");
        any |= addRecipients(b, addressHeader(message, Message.RecipientType.CC, "cc"), "cc");
        any |= addRecipients(b, addressHeader(message, Message.RecipientType.BCC, "bcc"), "bcc");
        if (!any) {
            String def = text(fallback.apply("to"));
            if (def != null) {
                b.to(MailAddress.parseList(def).toArray(new MailAddress[0]));
            }
        }
        // the subject is not set: a raw letter is sent as written, its own Subject header included
        // saving changes replaces a Message-ID set by hand: keep the one the user set
        String[] ids = message.getHeader("Message-ID");
        String userId = ids == null || ids.length == 0 ? null : ids[0].trim();
        if (!parsed) {
            try {
                message.saveChanges();
                if (userId != null) {
                    message.setHeader("Message-ID", userId);
                }
            } catch (IllegalWriteException readOnly) {
                // a received message (IMAP, POP3) cannot be changed: it is sent as it is
            }
        }
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        String id = userId != null ? userId : message.getMessageID();
        try {
            if (!parsed) {
                WrittenHeaders.check(message); // after saving, so the Content-Type names a multipart set in code
            }
            message.writeTo(content, new String[] { "Bcc", "Message-ID" });
        } finally {
            if (userId == null && !parsed) {
                try { // leave no generated Message-ID behind: the next conversion of this message gets a new one
                    message.removeHeader("Message-ID");
                } catch (IllegalWriteException readOnly) {
                    // a received message keeps what it has
                }
            }
        }
        if (id == null) { // a parsed message without a Message-ID: give it one
            id = "<" + UUID.randomUUID() + "@letter-smtp>";
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.size() + 128);
        out.writeBytes(("Message-ID: " + id + "\r\n").getBytes(StandardCharsets.US_ASCII));
        content.writeTo(out);
        byte[] bytes = out.toByteArray();
        int lt = id.indexOf('<');
        int gt = id.indexOf('>', lt + 1);
        b.messageId(lt >= 0 && gt > lt ? id.substring(lt + 1, gt) : id); // "<id> (comment)" -> id
        b.raw(() -> new ByteArrayInputStream(bytes));
        return b.build();
    }

    /** A fallback value as text: a collection of addresses is joined with commas. */
    private static String text(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Iterable<?> values) {
            List<String> parts = new ArrayList<>();
            values.forEach(v -> parts.add(String.valueOf(v)));
            return String.join(", ", parts);
        }
        return value.toString();
    }

    private static boolean addRecipients(Letter.Builder b, Address[] addresses, String field) {
        if (addresses == null || addresses.length == 0) {
            return false;
        }
        List<MailAddress> list = new ArrayList<>();
        for (Address a : addresses) {
            list.add(toMailAddress(a, field));
        }
        switch (field) {
            case "to" -> b.to(list);
            case "cc" -> b.cc(list);
            default -> b.bcc(list);
        }
        return true;
    }

    private static MailAddress toMailAddress(Address a, String field) {
        try {
            if (a instanceof InternetAddress ia) {
                return MailAddress.of(ia.getAddress(), ia.getPersonal());
            }
            return MailAddress.parse(a.toString());
        } catch (InvalidLetterException e) {
            throw new InvalidLetterException(field, e.reason());
        }
    }

    /** The From header (type null) or a recipient header; an unparseable one is an invalid letter naming the field. */
    private static Address[] addressHeader(MimeMessage message, Message.RecipientType type, String field)
            throws MessagingException {
        try {
            return type == null ? message.getFrom() : message.getRecipients(type);
        } catch (AddressException e) {
            throw new InvalidLetterException(field, "the " + (type == null ? "From" : type) + " header is not a"
                                                    + " valid address list: " + Checks.quote(e.getMessage())
                                                    + (e.getRef() == null ? "" : " in " + Checks.quote(e.getRef())));
        }
    }
}
