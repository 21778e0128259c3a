package io.github.smtpletter.camel;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

import io.github.smtpletter.letter.Attachment;
import io.github.smtpletter.letter.Importance;
import io.github.smtpletter.letter.InvalidLetterException;
import io.github.smtpletter.letter.Letter;
import io.github.smtpletter.letter.MailAddress;
import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.apache.camel.Converter;
import org.apache.camel.Exchange;
import org.apache.camel.component.mail.MailMessage;

/**
 * Type converters that turn what a route carries into {@link Letter}s, and results into text.
 * <p>
 * To {@code Letter} from: a {@code String} (the text; addressing and subject from the {@code CamelLetter*} headers,
 * then the endpoint's options), a {@code Map} (keys from, to, cc, bcc, replyTo, subject, text, html, importance,
 * messageId, headers, attachments), a Jakarta {@code MimeMessage}, camel-mail's {@code MailMessage}, and raw RFC 5322
 * {@code byte[]} or {@code InputStream} (sent verbatim, envelope from its headers). A collection or array of any of
 * these is handled by the producer element by element ({@link #toLetters(Object, Exchange)}); it is not registered as
 * a converter, so that Camel's own collection conversions stay untouched.
 */
@Converter(generateLoader = true)
public final class LetterConverters {

    private static final Session MIME_SESSION = Session.getInstance(new Properties());

    private LetterConverters() {
    }

    /** A String body becomes the text of a letter; addressing from headers, then endpoint defaults. */
    @Converter
    public static Letter toLetter(String text, Exchange exchange) {
        Letter.Builder b = addressed(null, exchange);
        String contentType = header(exchange, LetterSmtpConstants.CONTENT_TYPE);
        if (contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("text/html")) {
            b.html(text);
        } else {
            b.text(text);
        }
        Object importance = exchange == null ? null : exchange.getIn().getHeader(LetterSmtpConstants.IMPORTANCE);
        if (importance != null) {
            b.importance(importance(importance.toString(), "header " + LetterSmtpConstants.IMPORTANCE));
        }
        return b.build();
    }

    /**
     * A Map becomes a letter. Keys: from, to, cc, bcc, replyTo (a String, comma separated, or a collection),
     * subject, text, html, importance (LOW, NORMAL, HIGH), messageId, readReceiptTo, headers (a Map of extra
     * headers) and attachments (a list of maps with name, contentType and one of content (byte[] or String),
     * base64 (String) or path). Missing addressing and subject fall back to headers and endpoint defaults.
     */
    @Converter
    public static Letter toLetter(Map<?, ?> map, Exchange exchange) {
        Letter.Builder b = addressed(map, exchange);
        Object v;
        if ((v = map.get("text")) != null) {
            b.text(v.toString());
        }
        if ((v = map.get("html")) != null) {
            b.html(v.toString());
        }
        if ((v = map.get("importance")) != null) {
            b.importance(importance(v.toString(), "importance"));
        }
        if ((v = map.get("messageId")) != null) {
            b.messageId(v.toString());
        }
        if ((v = map.get("readReceiptTo")) != null) {
            b.readReceiptTo(v.toString());
        }
        if ((v = map.get("headers")) != null) {
            if (!(v instanceof Map<?, ?> headers)) {
                throw new InvalidLetterException("headers", "expected a map of header names to values, got "
                                                            + v.getClass().getName());
            }
            headers.forEach((k, val) -> b.header(String.valueOf(k), val == null ? "" : val.toString()));
        }
        if ((v = map.get("attachments")) != null) {
            if (!(v instanceof Collection<?> list)) {
                throw new InvalidLetterException("attachments", "expected a list of attachment maps, got "
                                                                + v.getClass().getName());
            }
            for (Object a : list) {
                b.attach(toAttachment(a));
            }
        }
        return b.build();
    }

    private static Attachment toAttachment(Object a) {
        if (a instanceof Attachment att) {
            return att;
        }
        if (!(a instanceof Map<?, ?> m)) {
            throw new InvalidLetterException("attachments", "expected an attachment map, got "
                                                            + (a == null ? "null" : a.getClass().getName()));
        }
        String name = m.get("name") == null ? null : m.get("name").toString();
        String type = m.get("contentType") == null ? null : m.get("contentType").toString();
        Attachment att;
        if (m.get("path") != null) {
            Path p = io.github.smtpletter.camel.json.AttachmentPaths.resolve(m.get("path").toString());
            att = Attachment.of(p, name != null ? name : String.valueOf(p.getFileName()), type);
        } else {
            if (name == null) {
                throw new InvalidLetterException("attachments", "an attachment needs a name");
            }
            byte[] data;
            Object content = m.get("content");
            if (m.get("base64") != null) {
                try {
                    data = Base64.getMimeDecoder().decode(m.get("base64").toString());
                } catch (IllegalArgumentException e) {
                    throw new InvalidLetterException("attachments", "attachment '" + name + "': base64 is invalid");
                }
            } else if (content instanceof byte[] bytes) {
                data = bytes;
            } else if (content != null) {
                data = content.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            } else {
                throw new InvalidLetterException("attachments", "attachment '" + name
                                                                + "' has no content, base64 or path");
            }
            att = type == null ? Attachment.of(name, data) : Attachment.of(name, data, type);
        }
        Object cid = m.get("contentId");
        return cid == null ? att : att.inline(cid.toString());
    }

    /**
     * A Jakarta MimeMessage is sent as written; the envelope comes from its From/Sender, To, Cc and Bcc. Like
     * {@code Transport.send}, this saves the message's changes first (so an edited message is sent as edited); a
     * Message-ID set by hand is kept.
     */
    @Converter
    public static Letter toLetter(MimeMessage message, Exchange exchange) throws MessagingException, IOException {
        return fromMime(message, exchange, false);
    }

    private static Letter fromMime(MimeMessage message, Exchange exchange, boolean parsed)
            throws MessagingException, IOException {
        Letter.Builder b = Letter.builder();
        Address[] from = addressHeader(message, null, "from");
        if (from != null && from.length > 0) {
            b.sender(toMailAddress(from[0], "from"));
        } else {
            String def = defaultOrHeader(exchange, LetterSmtpConstants.FROM, LetterDefaults::from);
            if (def != null) {
                b.sender(def);
            }
        }
        boolean any = false;
        any |= addRecipients(b, addressHeader(message, Message.RecipientType.TO, "to"), 'T');
        any |= addRecipients(b, addressHeader(message, Message.RecipientType.CC, "cc"), 'C');
        any |= addRecipients(b, addressHeader(message, Message.RecipientType.BCC, "bcc"), 'B');
        if (!any) {
            String def = defaultOrHeader(exchange, LetterSmtpConstants.TO, LetterDefaults::to);
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
            } catch (jakarta.mail.IllegalWriteException readOnly) {
                // a received message (IMAP, POP3) cannot be changed: it is sent as it is
            }
        }
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        message.writeTo(content, new String[] { "Bcc", "Message-ID" });
        String id = userId != null ? userId : message.getMessageID();
        if (userId == null && !parsed) {
            try { // leave no generated Message-ID behind: the next conversion of this message gets a new one
                message.removeHeader("Message-ID");
            } catch (jakarta.mail.IllegalWriteException readOnly) {
                // a received message keeps what it has
            }
        }
        if (id == null) { // a parsed message without a Message-ID: give it one
            id = "<" + java.util.UUID.randomUUID() + "@letter-smtp>";
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

    /** camel-mail's MailMessage: its MimeMessage is sent as written. */
    @Converter
    public static Letter toLetter(MailMessage message, Exchange exchange) throws MessagingException, IOException {
        Message m = message.getMessage();
        if (!(m instanceof MimeMessage mime)) {
            throw new IllegalArgumentException("letter-smtp: camel-mail MailMessage holds no MimeMessage but "
                                               + (m == null ? "null" : m.getClass().getName()));
        }
        return toLetter(mime, exchange);
    }

    /** Raw RFC 5322 bytes are parsed for the envelope and sent verbatim (without any Bcc header). */
    @Converter
    public static Letter toLetter(byte[] rfc5322, Exchange exchange) throws MessagingException, IOException {
        return fromMime(new MimeMessage(MIME_SESSION, new ByteArrayInputStream(rfc5322)), exchange, true);
    }

    /** A raw RFC 5322 stream, as the byte[] form. */
    @Converter
    public static Letter toLetter(InputStream rfc5322, Exchange exchange) throws MessagingException, IOException {
        return fromMime(new MimeMessage(MIME_SESSION, rfc5322), exchange, true);
    }

    /** The results of an exchange as a readable table. */
    @Converter
    public static String toString(SendResults results) {
        return results.toString();
    }

    /**
     * Converts a body into letters: a Letter, a collection, array or iterable of convertible elements, or any one
     * convertible value. Elements that cannot be converted throw (the producer catches per element).
     */
    public static List<Object> toLetters(Object body, Exchange exchange) {
        List<Object> out = new ArrayList<>();
        if (body instanceof Collection<?> c) {
            out.addAll(c);
        } else if (body instanceof Object[] array) {
            out.addAll(List.of(array));
        } else if (body instanceof Iterable<?> it) {
            it.forEach(out::add);
        } else {
            out.add(body);
        }
        return out;
    }

    // ---------------------------------------------------------------------------------------------------------

    private static Letter.Builder addressed(Map<?, ?> map, Exchange exchange) {
        Letter.Builder b = Letter.builder();
        String from = pick(map, "from", exchange, LetterSmtpConstants.FROM, LetterDefaults::from);
        if (from != null) {
            b.sender(from);
        }
        List<MailAddress> to = addresses(map, "to", exchange, LetterSmtpConstants.TO, LetterDefaults::to);
        List<MailAddress> cc = addresses(map, "cc", exchange, LetterSmtpConstants.CC, LetterDefaults::cc);
        List<MailAddress> bcc = addresses(map, "bcc", exchange, LetterSmtpConstants.BCC, LetterDefaults::bcc);
        List<MailAddress> replyTo = addresses(map, "replyTo", exchange, LetterSmtpConstants.REPLY_TO,
                LetterDefaults::replyTo);
        if (!to.isEmpty()) {
            b.to(to);
        }
        if (!cc.isEmpty()) {
            b.cc(cc);
        }
        if (!bcc.isEmpty()) {
            b.bcc(bcc);
        }
        if (!replyTo.isEmpty()) {
            b.replyTo(replyTo);
        }
        String subject = pick(map, "subject", exchange, LetterSmtpConstants.SUBJECT, LetterDefaults::subject);
        if (subject != null) {
            b.subject(subject);
        }
        return b;
    }

    private static String pick(Map<?, ?> map, String key, Exchange exchange, String header,
                               java.util.function.Function<LetterDefaults, String> def) {
        if (map != null && map.get(key) != null) {
            return join(map.get(key), key);
        }
        return defaultOrHeader(exchange, header, def);
    }

    private static List<MailAddress> addresses(Map<?, ?> map, String key, Exchange exchange, String header,
                                               java.util.function.Function<LetterDefaults, String> def) {
        Object v = map == null ? null : map.get(key);
        if (v == null && exchange != null) {
            v = exchange.getIn().getHeader(header);
        }
        if (v == null) {
            v = def.apply(defaults(exchange));
        }
        if (v == null) {
            return List.of();
        }
        List<MailAddress> out = new ArrayList<>();
        if (v instanceof Collection<?> c) {
            for (Object o : c) {
                out.add(o instanceof MailAddress a ? a : parseOne(String.valueOf(o), key));
            }
        } else if (v instanceof MailAddress a) {
            out.add(a);
        } else {
            try {
                out.addAll(MailAddress.parseList(v.toString()));
            } catch (InvalidLetterException e) {
                throw new InvalidLetterException(key, e.reason());
            }
        }
        return out;
    }

    private static MailAddress parseOne(String s, String field) {
        try {
            return MailAddress.parse(s);
        } catch (InvalidLetterException e) {
            throw new InvalidLetterException(field, e.reason());
        }
    }

    private static String join(Object v, String key) {
        if (v instanceof Collection<?> c) {
            return String.join(", ", c.stream().map(String::valueOf).toList());
        }
        return v.toString();
    }

    private static String defaultOrHeader(Exchange exchange, String header,
                                          java.util.function.Function<LetterDefaults, String> def) {
        String h = header(exchange, header);
        return h != null ? h : def.apply(defaults(exchange));
    }

    private static String header(Exchange exchange, String name) {
        if (exchange == null) {
            return null;
        }
        Object v = exchange.getIn().getHeader(name);
        return v == null ? null : join(v, name);
    }

    private static LetterDefaults defaults(Exchange exchange) {
        if (exchange == null) {
            return LetterDefaults.NONE;
        }
        LetterDefaults d = exchange.getProperty(LetterSmtpConstants.PROPERTY_DEFAULTS, LetterDefaults.class);
        return d == null ? LetterDefaults.NONE : d;
    }

    private static Importance importance(String value, String field) {
        try {
            return Importance.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidLetterException(field, "expected LOW, NORMAL or HIGH, got '" + value + "'");
        }
    }

    private static boolean addRecipients(Letter.Builder b, Address[] addresses, char kind) {
        if (addresses == null || addresses.length == 0) {
            return false;
        }
        String field = kind == 'T' ? "to" : kind == 'C' ? "cc" : "bcc";
        List<MailAddress> list = new ArrayList<>();
        for (Address a : addresses) {
            list.add(toMailAddress(a, field));
        }
        switch (kind) {
            case 'T' -> b.to(list);
            case 'C' -> b.cc(list);
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
                                                    + " valid address list: " + oneLine(e.getMessage())
                                                    + (e.getRef() == null ? "" : " in \"" + oneLine(e.getRef()) + "\""));
        }
    }

    /** Text for an error message: control characters (CR, LF ...) escaped, so it stays one safe line. */
    static String oneLine(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\r' -> sb.append("\\r");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (Character.isISOControl(c)) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }

}
