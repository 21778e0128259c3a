package io.github.smtpletter.mime;

import io.github.smtpletter.letter.Attachment;
import io.github.smtpletter.letter.ContentSource;
import io.github.smtpletter.letter.Letter;
import io.github.smtpletter.letter.MailAddress;

import jakarta.activation.DataHandler;
import jakarta.activation.DataSource;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.ContentDisposition;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimePart;
import jakarta.mail.internet.MimeUtility;
import jakarta.mail.internet.ParameterList;
import jakarta.mail.util.LineOutputStream;
import jakarta.mail.util.StreamProvider;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Writes a {@link Letter} as an RFC 5322 / MIME (RFC 2045-2049) message with Jakarta Mail, streamed.
 * <p>
 * Shapes: text only gives {@code text/plain}; HTML only {@code text/html}; HTML and text
 * {@code multipart/alternative}; inline parts (attachments with a content id) put the HTML (or the alternative)
 * into a {@code multipart/related}; regular attachments make {@code multipart/mixed} the outermost part.
 * Without HTML, inline parts are written like regular attachments (with {@code Content-Disposition: inline}).
 * <p>
 * Encoding: UTF-8 everywhere; subjects, display names and non-ASCII extra header values RFC 2047 encoded;
 * attachment names RFC 2047 encoded in {@code Content-Type; name=} and RFC 2231 encoded in
 * {@code Content-Disposition; filename=}; text parts {@code 7bit} when pure ASCII with lines of at most 998
 * characters, else {@code quoted-printable}; attachments {@code base64}, streamed from their
 * {@link ContentSource} (opened anew on every write, never read whole into memory). An attachment declared
 * {@code message/*} is sent as {@code application/octet-stream}, since MIME forbids base64 for message types.
 * The output is therefore 7-bit ASCII, except headers with addresses whose local part is non-ASCII (letters
 * that {@linkplain Letter#needsSmtpUtf8() need SMTPUTF8}), which are written in UTF-8 (RFC 6532).
 * <p>
 * Headers: Date (from {@link Letter#createdAt()}), From, Reply-To, To, Cc (never Bcc), Message-ID
 * ({@code <letter.messageId()>}), Subject, MIME-Version, X-Priority and Importance (for HIGH and LOW importance),
 * Disposition-Notification-To, then the extra headers (an extra header named like one of the last three replaces
 * it).
 * <p>
 * The output is deterministic for a given letter (multipart boundaries derive from the message id, the date
 * from the creation time), so {@link #size(Letter)} is the exact length of what {@link #write(Letter, OutputStream)}
 * writes. Line ends are CRLF; the output is not dot-stuffed (the SMTP layer does that).
 * <p>
 * Raw letters ({@link Letter#raw()}) are copied verbatim, bare CR and LF turned into CRLF and a final CRLF ensured.
 * <p>
 * Instances are stateless, reusable and thread-safe. No network is used.
 */
public final class LetterMimeWriter {

    private static final String UTF_8 = "UTF-8";
    private static final int MAX_LINE = 998;
    private static final byte CR = '\r';
    private static final byte LF = '\n';
    private static final int BUFFER = 16 * 1024;

    /** For ASCII headers. */
    private static final Session SESSION = Session.getInstance(new Properties());
    /** For letters with non-ASCII local parts: headers in UTF-8 (RFC 6532). */
    private static final Session UTF8_SESSION;

    static {
        Properties utf8 = new Properties();
        utf8.setProperty("mail.mime.allowutf8", "true");
        UTF8_SESSION = Session.getInstance(utf8);
    }

    /** Creates a writer. */
    public LetterMimeWriter() {
        // stateless
    }

    /**
     * Writes the letter as an RFC 5322 message with CRLF line ends, not dot-stuffed. The stream is flushed,
     * not closed.
     *
     * @param letter the letter
     * @param out    where to write
     * @throws IOException when writing fails or an attachment cannot be read
     */
    public void write(Letter letter, OutputStream out) throws IOException {
        BufferedOutputStream buffered = new BufferedOutputStream(new NonClosingOutputStream(out), BUFFER);
        if (letter.raw() != null) {
            copyRaw(letter.raw(), buffered);
        } else {
            try {
                MimeMessage message = compose(letter);
                // hand Jakarta Mail a LineOutputStream: else every MimeBodyPart.writeTo looks its StreamProvider up
                // again through a ServiceLoader scan of the class path (jakartaee/mail-api#861), which cost more
                // than the rest of writing a small letter
                LineOutputStream lines = StreamProviderHolder.PROVIDER.outputLineStream(buffered,
                        message.getSession() == UTF8_SESSION);
                message.writeTo(lines instanceof OutputStream o ? o : buffered);
            } catch (MessagingException e) {
                throw new IOException("cannot write letter " + letter.messageId() + ": " + e.getMessage(), e);
            }
        }
        buffered.flush();
    }

    /**
     * The exact number of bytes {@link #write(Letter, OutputStream)} writes for this letter: the letter is written
     * to a counting stream (attachments are read, nothing is buffered).
     *
     * @param letter the letter
     * @return the size in bytes
     * @throws IOException when an attachment cannot be read
     */
    public long size(Letter letter) throws IOException {
        CountingOutputStream counter = new CountingOutputStream();
        write(letter, counter);
        return counter.count();
    }

    /**
     * The letter as a Jakarta Mail message, for interop and tests. Attachments stay lazy (read when the message is
     * written). A raw letter is parsed from its bytes.
     *
     * @param letter the letter
     * @return a message with all headers set ({@code saveChanges()} done for composed letters)
     * @throws UncheckedIOException  when a raw letter cannot be read
     * @throws IllegalStateException when Jakarta Mail refuses the message
     */
    public MimeMessage toMimeMessage(Letter letter) {
        try {
            if (letter.raw() != null) {
                try (InputStream in = letter.raw().open()) {
                    return new MimeMessage(sessionFor(letter), in);
                }
            }
            return compose(letter);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read raw letter " + letter.messageId(), e);
        } catch (MessagingException e) {
            throw new IllegalStateException("cannot compose letter " + letter.messageId() + ": " + e.getMessage(), e);
        }
    }

    // ------------------------------------------------------------------ composition

    private static Session sessionFor(Letter letter) {
        boolean utf8 = letter.needsSmtpUtf8() || international(letter.replyTo())
                || (letter.readReceiptTo() != null && letter.readReceiptTo().isInternational());
        return utf8 ? UTF8_SESSION : SESSION;
    }

    private static boolean international(List<MailAddress> addresses) {
        return addresses.stream().anyMatch(MailAddress::isInternational);
    }

    private MimeMessage compose(Letter letter) throws MessagingException {
        LetterMessage m = new LetterMessage(sessionFor(letter), letter.messageId());
        m.setSentDate(Date.from(letter.createdAt()));
        m.setFrom(internet(letter.from()));
        if (!letter.replyTo().isEmpty()) {
            m.setReplyTo(internet(letter.replyTo()));
        }
        if (!letter.to().isEmpty()) {
            m.setRecipients(Message.RecipientType.TO, internet(letter.to()));
        }
        if (!letter.cc().isEmpty()) {
            m.setRecipients(Message.RecipientType.CC, internet(letter.cc()));
        }
        if (letter.subject() != null) {
            m.setHeader("Subject", unstructured("Subject", letter.subject()));
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
            m.setHeader("Disposition-Notification-To", internet(letter.readReceiptTo()).toString());
        }
        for (Map.Entry<String, String> h : letter.headers().entrySet()) {
            m.setHeader(h.getKey(), unstructured(h.getKey(), h.getValue()));
        }
        fillContent(m, letter, new Boundaries(letter.messageId()));
        m.saveChanges();
        return m;
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
        MimeBodyPart body = new LetterBodyPart();
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
        MimeBodyPart root = new LetterBodyPart();
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
            MimeBodyPart plain = new LetterBodyPart();
            textPart(plain, letter.text(), "plain");
            alternative.addBodyPart(plain);
            MimeBodyPart html = new LetterBodyPart();
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
        String crlf = toCrlf(text);
        part.setText(crlf, UTF_8, subtype);
        part.setHeader("Content-Type", "text/" + subtype + "; charset=UTF-8");
        part.setHeader("Content-Transfer-Encoding", is7bit(crlf) ? "7bit" : "quoted-printable");
    }

    private static MimeBodyPart attachmentPart(Attachment a) throws MessagingException {
        MimeBodyPart part = new LetterBodyPart();
        part.setDataHandler(new DataHandler(new SourceDataSource(a)));
        ContentType type = new ContentType(a.contentType());
        if (type.getPrimaryType().equalsIgnoreCase("message")) {
            type = new ContentType("application/octet-stream");
        }
        String encodedName = encodeWords(a.name());
        boolean asciiName = encodedName.equals(a.name());
        if (asciiName) {
            type.setParameter("name", a.name());
            part.setHeader("Content-Type", type.toString());
        } else {
            // RFC 2047 words, folded inside the quoted value so a long name never makes an over-long line
            part.setHeader("Content-Type", type + ";\r\n\tname=\"" + encodedName.replace(" ", "\r\n ") + "\"");
        }
        part.setHeader("Content-Transfer-Encoding", "base64");
        String dispositionType = a.isInline() ? "inline" : "attachment";
        if (asciiName) {
            ContentDisposition disposition = new ContentDisposition(dispositionType, null);
            ParameterList params = new ParameterList();
            params.set("filename", a.name());
            disposition.setParameterList(params);
            part.setHeader("Content-Disposition", disposition.toString());
        } else {
            part.setHeader("Content-Disposition", dispositionType + ";" + rfc2231("filename", a.name()));
        }
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

    // ------------------------------------------------------------------ encoding helpers

    private static InternetAddress internet(MailAddress a) throws MessagingException {
        InternetAddress ia = new InternetAddress();
        // Unicode local parts go as UTF-8 (the message then needs SMTPUTF8); otherwise the domain in ASCII (IDNA)
        ia.setAddress(a.isInternational() ? a.address() : a.asciiAddress());
        if (a.displayName() != null) {
            try {
                ia.setPersonal(a.displayName(), UTF_8);
            } catch (UnsupportedEncodingException e) {
                throw new MessagingException("UTF-8 unsupported", e);
            }
        }
        return ia;
    }

    private static InternetAddress[] internet(List<MailAddress> addresses) throws MessagingException {
        InternetAddress[] result = new InternetAddress[addresses.size()];
        for (int i = 0; i < result.length; i++) {
            result[i] = internet(addresses.get(i));
        }
        return result;
    }

    /**
     * An unstructured header value (RFC 2047 encoded when not ASCII, or when a word would not fit on a line),
     * folded with CRLF.
     */
    private static String unstructured(String name, String value) throws MessagingException {
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
     * The whole value as RFC 2047 "B" encoded words of at most 45 UTF-8 bytes each (75 characters encoded),
     * separated by spaces; code points are never split.
     */
    static String forceEncodedWords(String value) {
        StringBuilder out = new StringBuilder(value.length() * 2);
        StringBuilder word = new StringBuilder();
        int wordBytes = 0;
        for (int i = 0; i < value.length(); ) {
            int cp = value.codePointAt(i);
            int n = Character.charCount(cp);
            int bytes = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (wordBytes + bytes > 45) {
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
    static String rfc2231(String name, String value) {
        List<String> segments = new ArrayList<>();
        StringBuilder segment = new StringBuilder();
        for (int i = 0; i < value.length(); ) {
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
            if (segment.length() + encoded.length() > 60) {
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

    /** RFC 2047 encoded words (separated by spaces, no folding) for a non-ASCII parameter value. */
    private static String encodeWords(String value) throws MessagingException {
        try {
            return MimeUtility.encodeText(value, UTF_8, "B");
        } catch (UnsupportedEncodingException e) {
            throw new MessagingException("UTF-8 unsupported", e);
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

    /** Turns every line break (CRLF, bare CR, bare LF) into CRLF. */
    static String toCrlf(String text) {
        StringBuilder sb = null;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            boolean crlf = c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n';
            boolean bare = (c == '\r' || c == '\n') && !crlf;
            if (bare && sb == null) {
                sb = new StringBuilder(n + 16).append(text, 0, i);
            }
            if (sb != null) {
                if (crlf) {
                    sb.append("\r\n");
                } else if (bare) {
                    sb.append("\r\n");
                    continue;
                } else {
                    sb.append(c);
                }
            }
            if (crlf) {
                i++;
            }
        }
        return sb == null ? text : sb.toString();
    }

    /**
     * Whether a CRLF-normalized text can go as {@code 7bit}: printable ASCII, TAB and CRLF only, lines of at most
     * 998 characters, and no {@code "=_"} (which starts every multipart boundary written here, so a 7bit body can
     * never contain a boundary line; quoted-printable and base64 never produce it).
     */
    static boolean is7bit(String text) {
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
            if (++lineLength > MAX_LINE) {
                return false;
            }
        }
        return true;
    }

    // ------------------------------------------------------------------ raw letters

    /** Copies raw bytes, bare CR or LF written as CRLF, a CRLF added at the end when missing. */
    private static void copyRaw(ContentSource source, OutputStream out) throws IOException {
        byte[] buf = new byte[BUFFER];
        boolean pendingCr = false;
        boolean any = false;
        boolean endsWithLf = false;
        try (InputStream in = source.open()) {
            int n;
            while ((n = in.read(buf)) > 0) {
                any = true;
                for (int i = 0; i < n; i++) {
                    byte b = buf[i];
                    if (pendingCr) {
                        out.write(LF);
                        pendingCr = false;
                        endsWithLf = true;
                        if (b == LF) {
                            continue;
                        }
                    }
                    if (b == CR) {
                        out.write(CR);
                        pendingCr = true;
                    } else if (b == LF) {
                        out.write(CR);
                        out.write(LF);
                        endsWithLf = true;
                    } else {
                        out.write(b);
                        endsWithLf = false;
                    }
                }
            }
        }
        if (pendingCr) {
            out.write(LF);
        } else if (any && !endsWithLf) {
            out.write(CR);
            out.write(LF);
        }
    }

    // ------------------------------------------------------------------ helper types

    /** Jakarta Mail's stream provider, looked up once (lazily, so a missing provider fails the write, not the class). */
    private static final class StreamProviderHolder {
        static final StreamProvider PROVIDER = StreamProvider.provider();
    }

    /** Writes a part when Jakarta Mail's own code would be used instead. */
    @FunctionalInterface
    private interface PartWriter {
        void writeTo(OutputStream out, String[] ignoreList) throws IOException, MessagingException;
    }

    /**
     * Writes a part (headers, blank line, encoded content) exactly as {@code MimeBodyPart.writeTo(MimePart,
     * OutputStream, String[])} does, but with the {@link StreamProvider} looked up once: Jakarta Mail 2.1's
     * {@code MimeUtility.encode} looks it up with a ServiceLoader scan for every part (jakartaee/mail-api#861),
     * which was the biggest cost of writing a small letter. Anything unusual (not our line stream, a part parsed
     * from bytes, an encoding other than 7bit/8bit/binary/quoted-printable/base64, an encoded multipart) is left to
     * Jakarta Mail ({@code fallback}).
     */
    private static void writePart(MimePart part, OutputStream out, String[] ignoreList, PartWriter fallback)
            throws IOException, MessagingException {
        DataHandler handler = part.getDataHandler();
        String encoding = part.getEncoding();
        if (!(out instanceof LineOutputStream lines) || handler.getClass() != DataHandler.class
            || !knownEncoding(part, encoding)) {
            fallback.writeTo(out, ignoreList);
            return;
        }
        for (var headers = part.getNonMatchingHeaderLines(ignoreList); headers.hasMoreElements();) {
            lines.writeln(headers.nextElement());
        }
        lines.writeln();
        OutputStream encoded = encoder(out, encoding);
        handler.writeTo(encoded);
        encoded.flush();
    }

    private static boolean knownEncoding(MimePart part, String encoding) throws MessagingException {
        if (encoding == null || encoding.equalsIgnoreCase("7bit") || encoding.equalsIgnoreCase("8bit")
            || encoding.equalsIgnoreCase("binary")) {
            return true;
        }
        if (!encoding.equalsIgnoreCase("base64") && !encoding.equalsIgnoreCase("quoted-printable")) {
            return false;
        }
        String type = part.getContentType();
        // Jakarta Mail ignores an encoding on multipart/* and message/* parts: leave those to it
        return type == null || !(type.regionMatches(true, 0, "multipart/", 0, 10)
                                 || type.regionMatches(true, 0, "message/", 0, 8));
    }

    private static OutputStream encoder(OutputStream out, String encoding) {
        StreamProvider provider = StreamProviderHolder.PROVIDER;
        if (encoding == null) {
            return out;
        }
        if (encoding.equalsIgnoreCase("base64")) {
            return provider.outputBase64(out);
        }
        if (encoding.equalsIgnoreCase("quoted-printable")) {
            return provider.outputQP(out);
        }
        return provider.outputBinary(out); // 7bit, 8bit, binary
    }

    /** A body part written by {@link #writePart}. */
    private static final class LetterBodyPart extends MimeBodyPart {
        @Override
        public void writeTo(OutputStream out) throws IOException, MessagingException {
            writePart(this, out, null, (o, ignored) -> super.writeTo(o));
        }
    }

    /** A message that keeps the letter's Message-ID instead of making one up, written by {@link #writePart}. */
    private static final class LetterMessage extends MimeMessage {
        private final String messageId;

        LetterMessage(Session session, String messageId) {
            super(session);
            this.messageId = messageId;
        }

        @Override
        public void writeTo(OutputStream out, String[] ignoreList) throws IOException, MessagingException {
            if (!saved) {
                saveChanges();
            }
            if (!modified) {
                super.writeTo(out, ignoreList);
                return;
            }
            writePart(this, out, ignoreList, super::writeTo);
        }

        @Override
        protected void updateMessageID() throws MessagingException {
            setHeader("Message-ID", "<" + messageId + ">");
        }
    }

    /** A multipart with a boundary we choose, instead of a random one. */
    private static final class FixedBoundaryMultipart extends MimeMultipart {
        FixedBoundaryMultipart(String subtype, String boundary) {
            super(subtype);
            ContentType type = new ContentType("multipart", subtype, null);
            type.setParameter("boundary", boundary);
            contentType = type.toString();
        }
    }

    /**
     * Deterministic boundaries for one letter: {@code =_Part_N_HASH}, HASH from the message id. They start with
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

    /** Presents an attachment's content source to Jakarta Activation, opening it anew on every read. */
    private static final class SourceDataSource implements DataSource {
        private final Attachment attachment;

        SourceDataSource(Attachment attachment) {
            this.attachment = attachment;
        }

        @Override
        public InputStream getInputStream() throws IOException {
            return attachment.source().open();
        }

        @Override
        public OutputStream getOutputStream() throws IOException {
            throw new IOException("attachment content is read-only");
        }

        @Override
        public String getContentType() {
            return attachment.contentType();
        }

        @Override
        public String getName() {
            return attachment.name();
        }
    }

    /** Counts bytes, keeps none. */
    private static final class CountingOutputStream extends OutputStream {
        private long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }

        long count() {
            return count;
        }
    }

    /** Shields the caller's stream from close(). */
    private static final class NonClosingOutputStream extends FilterOutputStream {
        NonClosingOutputStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
