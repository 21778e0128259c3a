package io.github.smtpletter.mime;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import jakarta.activation.DataHandler;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimePart;

import io.github.smtpletter.letter.Attachment;
import io.github.smtpletter.letter.Letter;

/**
 * Builds the Jakarta Mail message tree of a composed (not raw) {@link Letter}: its headers, and its parts nested as
 * described on {@link LetterMimeWriter}. Attachments stay lazy: their sources are opened when the message is
 * written, not here.
 */
final class MimeTreeBuilder {

    /** For ASCII headers. */
    private static final Session SESSION = Session.getInstance(new Properties());
    /** For letters with non-ASCII local parts: headers in UTF-8 (RFC 6532). */
    private static final Session UTF8_SESSION;

    static {
        Properties utf8 = new Properties();
        utf8.setProperty("mail.mime.allowutf8", "true");
        UTF8_SESSION = Session.getInstance(utf8);
    }

    private MimeTreeBuilder() {
    }

    /**
     * The letter as a message with all headers set and {@code saveChanges()} done.
     *
     * @param letter a letter that is not raw
     * @return the message, written with {@link JakartaMailFastPath#write}
     * @throws MessagingException when Jakarta Mail refuses a value
     */
    static MimeMessage build(Letter letter) throws MessagingException {
        LetterMessage m = new LetterMessage(sessionFor(letter), letter.messageId());
        m.setSentDate(Date.from(letter.createdAt()));
        m.setFrom(HeaderEncoding.address(letter.from()));
        if (!letter.replyTo().isEmpty()) {
            m.setReplyTo(HeaderEncoding.addresses(letter.replyTo()));
        }
        if (!letter.to().isEmpty()) {
            m.setRecipients(Message.RecipientType.TO, HeaderEncoding.addresses(letter.to()));
        }
        if (!letter.cc().isEmpty()) {
            m.setRecipients(Message.RecipientType.CC, HeaderEncoding.addresses(letter.cc()));
        }
        if (letter.subject() != null) {
            m.setHeader("Subject", HeaderEncoding.unstructured("Subject", letter.subject()));
        }
        switch (letter.importance()) {
            case HIGH -> {
                m.setHeader("X-Priority", "1 (Highest)");
                m.setHeader("Importance", "High");
            }
            case LOW -> {
                m.setHeader("X-Priority", "5 (Lowest)");
                m.setHeader("Importance", "Low");
            }
            default -> {
                // NORMAL: no headers
            }
        }
        if (letter.readReceiptTo() != null) {
            m.setHeader("Disposition-Notification-To",
                    HeaderEncoding.addressValue("Disposition-Notification-To", letter.readReceiptTo()));
        }
        for (Map.Entry<String, String> h : letter.headers().entrySet()) {
            m.setHeader(h.getKey(), HeaderEncoding.unstructured(h.getKey(), h.getValue()));
        }
        fillContent(m, letter, new Boundaries(letter.messageId()));
        m.saveChanges();
        return m;
    }

    private static Session sessionFor(Letter letter) {
        return letter.needsSmtpUtf8() ? UTF8_SESSION : SESSION;
    }

    /** Fills the message (or part) with the outermost shape: mixed when there are regular attachments. */
    private static void fillContent(MimePart target, Letter letter, Boundaries boundaries) throws MessagingException {
        List<Attachment> inline = new ArrayList<>();
        List<Attachment> regular = new ArrayList<>();
        for (Attachment a : letter.attachments()) {
            // inline parts only make sense next to HTML that can reference them
            (a.isInline() && letter.html() != null ? inline : regular).add(a);
        }
        if (regular.isEmpty()) {
            fillBody(target, letter, inline, boundaries);
            return;
        }
        MimeMultipart mixed = multipart("mixed", boundaries);
        MimeBodyPart body = JakartaMailFastPath.newBodyPart();
        fillBody(body, letter, inline, boundaries);
        mixed.addBodyPart(body);
        for (Attachment a : regular) {
            mixed.addBodyPart(attachmentPart(a));
        }
        setMultipart(target, mixed);
    }

    /** The body: related around the HTML when there are inline parts. */
    private static void fillBody(MimePart target, Letter letter, List<Attachment> inline, Boundaries boundaries)
            throws MessagingException {
        if (inline.isEmpty()) {
            fillText(target, letter, boundaries);
            return;
        }
        MimeMultipart related = multipart("related", boundaries);
        MimeBodyPart root = JakartaMailFastPath.newBodyPart();
        fillText(root, letter, boundaries);
        related.addBodyPart(root);
        for (Attachment a : inline) {
            related.addBodyPart(attachmentPart(a));
        }
        setMultipart(target, related);
    }

    /** The text: alternative for text and HTML, else a single text part (empty text/plain when neither). */
    private static void fillText(MimePart target, Letter letter, Boundaries boundaries) throws MessagingException {
        if (letter.html() != null && letter.text() != null) {
            MimeMultipart alternative = multipart("alternative", boundaries);
            MimeBodyPart plain = JakartaMailFastPath.newBodyPart();
            textPart(plain, letter.text(), "plain");
            alternative.addBodyPart(plain);
            MimeBodyPart html = JakartaMailFastPath.newBodyPart();
            textPart(html, letter.html(), "html");
            alternative.addBodyPart(html);
            setMultipart(target, alternative);
        } else if (letter.html() != null) {
            textPart(target, letter.html(), "html");
        } else {
            textPart(target, letter.text() == null ? "" : letter.text(), "plain");
        }
    }

    private static void textPart(MimePart part, String text, String subtype) throws MessagingException {
        String crlf = CrlfNormalizer.normalize(text);
        JakartaMailFastPath.setUtf8Text(part, crlf, subtype);
        part.setHeader("Content-Type", "text/" + subtype + "; charset=UTF-8");
        part.setHeader("Content-Transfer-Encoding", is7bit(crlf) ? "7bit" : "quoted-printable");
    }

    /**
     * Whether a CRLF-normalized text can go as {@code 7bit}: printable ASCII, TAB and CRLF only, lines of at most
     * 998 characters, and no {@code "=_"} (which starts every multipart boundary written here, so a 7bit body can
     * never contain a boundary line; quoted-printable and base64 never produce it).
     */
    private static boolean is7bit(String text) {
        int lineLength = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\r' || c == '\n') {
                lineLength = 0;
                continue;
            }
            if ((c < 0x20 && c != '\t') || c > 0x7E) {
                return false;
            }
            if (c == '_' && i > 0 && text.charAt(i - 1) == '=') {
                return false;
            }
            if (++lineLength > HeaderEncoding.MAX_LINE) {
                return false;
            }
        }
        return true;
    }

    /**
     * An attachment or inline part, always base64 so its bytes arrive exactly; a {@code message/*} type is sent as
     * {@code application/octet-stream}, since MIME forbids base64 for message types.
     */
    private static MimeBodyPart attachmentPart(Attachment a) throws MessagingException {
        MimeBodyPart part = JakartaMailFastPath.newBodyPart();
        part.setDataHandler(new DataHandler(new AttachmentDataSource(a)));
        ContentType type = new ContentType(a.contentType());
        if (type.getPrimaryType().equalsIgnoreCase("message")) {
            type = new ContentType("application/octet-stream");
        }
        part.setHeader("Content-Type", HeaderEncoding.contentType(type, a.name()));
        part.setHeader("Content-Transfer-Encoding", "base64");
        part.setHeader("Content-Disposition",
                HeaderEncoding.contentDisposition(a.isInline() ? "inline" : "attachment", a.name()));
        if (a.isInline()) {
            part.setContentID("<" + a.contentId() + ">");
        }
        return part;
    }

    private static void setMultipart(MimePart target, MimeMultipart multipart) throws MessagingException {
        target.setContent(multipart);
        target.setHeader("Content-Type", multipart.getContentType());
    }

    private static MimeMultipart multipart(String subtype, Boundaries boundaries) throws MessagingException {
        return new FixedBoundaryMultipart(subtype, boundaries.next(subtype));
    }

    /**
     * A message that keeps the letter's Message-ID: it overrides the protected {@code MimeMessage.updateMessageID()},
     * which would make one up (and look the local host name up for it).
     */
    private static final class LetterMessage extends JakartaMailFastPath.FastMessage {
        private final String messageId;

        LetterMessage(Session session, String messageId) {
            super(session);
            this.messageId = messageId;
        }

        @Override
        protected void updateMessageID() throws MessagingException {
            setHeader("Message-ID", "<" + messageId + ">");
        }
    }

    /**
     * A multipart with a boundary we choose instead of a random one: it sets the protected
     * {@code MimeMultipart.contentType} field, which holds the boundary.
     */
    private static final class FixedBoundaryMultipart extends MimeMultipart {
        FixedBoundaryMultipart(String subtype, String boundary) {
            super(subtype);
            ContentType type = new ContentType("multipart", subtype, null);
            type.setParameter("boundary", boundary);
            contentType = type.toString();
        }
    }

    /**
     * Deterministic boundaries for one letter: {@code =_SUBTYPE_N_HASH}, HASH from the message id. They start with
     * {@code "=_"}, which neither quoted-printable nor base64 output can contain.
     */
    private static final class Boundaries {
        private final String hash;
        private int counter;

        Boundaries(String messageId) {
            try {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(messageId.getBytes(StandardCharsets.UTF_8));
                this.hash = HexFormat.of().formatHex(digest, 0, 12);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 unavailable", e);
            }
        }

        String next(String subtype) {
            return "=_" + subtype + "_" + (counter++) + "_" + hash;
        }
    }
}
