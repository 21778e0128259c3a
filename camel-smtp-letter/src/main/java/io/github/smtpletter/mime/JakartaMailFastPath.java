package io.github.smtpletter.mime;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import jakarta.activation.DataHandler;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimePart;
import jakarta.mail.util.LineOutputStream;
import jakarta.mail.util.StreamProvider;

/**
 * Writes composed messages with Jakarta Mail's {@link StreamProvider} looked up once, instead of once per part, and
 * with the base64 of attachments encoded in whole blocks ({@link Base64Lines}).
 * <p>
 * Works around jakartaee/mail-api#861: in Jakarta Mail 2.1, {@code MimeMessage.writeTo} and
 * {@code MimeBodyPart.writeTo} look the {@link StreamProvider} up again through a {@code ServiceLoader} scan of the
 * class path for the line stream of every message and the encoder of every part written. That lookup was about
 * 38% of the CPU spent writing a small letter, more than the rest of the writing. When the upstream issue is fixed,
 * this class can go: the message tree is then made of plain {@link MimeMessage} and {@link MimeBodyPart} objects
 * written with {@code MimeMessage.writeTo}.
 * <p>
 * What it relies on in Jakarta Mail, beyond the public API:
 * <ul>
 * <li>the protected fields {@code MimeMessage.saved} and {@code MimeMessage.modified}, read (never written) to take
 * the same decisions as {@code MimeMessage.writeTo(OutputStream, String[])}: save changes first when not saved,
 * and leave a message whose content was not modified (a parsed one) to Jakarta Mail;</li>
 * <li>overrides of the public {@code MimeMessage.writeTo(OutputStream, String[])} and
 * {@code MimeBodyPart.writeTo(OutputStream)}, which write exactly what Jakarta Mail's package-private
 * {@code MimeBodyPart.writeTo(MimePart, OutputStream, String[])} writes: the header lines not ignored, a blank
 * line, then the content through the encoder of the part's {@code Content-Transfer-Encoding};</li>
 * <li>the session property {@code mail.mime.allowutf8}, read like {@code MimeMessage.writeTo} reads it, to
 * write header lines in UTF-8 (RFC 6532).</li>
 * </ul>
 * The message goes through a {@link MimeLineStream}, which passes whole arrays on (Jakarta Mail's line stream
 * passes single bytes). Anything unusual is left to Jakarta Mail's own code: a stream that is not a line stream, a data
 * handler other than a plain {@link DataHandler}, an encoding other than 7bit, 8bit, binary, quoted-printable and
 * base64, an encoded {@code multipart/*} or {@code message/*} part. The output is identical either way
 * ({@code LetterMimeWriterTest} compares the two).
 */
final class JakartaMailFastPath {

    private JakartaMailFastPath() {
    }

    /**
     * Writes the message to {@code out} through a {@link MimeLineStream}, so the parts find the line stream and
     * write through {@link #writePart}.
     */
    static void write(MimeMessage message, OutputStream out) throws IOException, MessagingException {
        message.writeTo(MimeLineStream.writing(out, allowUtf8(message)));
    }

    /**
     * The number of bytes {@link #write} writes for the message, counted without writing: the base64 length of an
     * attachment whose source declares its size follows from that size, and its content is not read; other content
     * is encoded and counted.
     */
    static long size(MimeMessage message) throws IOException, MessagingException {
        MimeLineStream counter = MimeLineStream.measuring(allowUtf8(message));
        message.writeTo(counter);
        return counter.measured();
    }

    /** Like {@code MimeMessage.writeTo}: header lines in UTF-8 when the session allows it. */
    private static boolean allowUtf8(MimeMessage message) {
        return Boolean.parseBoolean(message.getSession().getProperty("mail.mime.allowutf8"));
    }

    /** @return a body part written with the cached provider when given the line stream of {@link #write} */
    static MimeBodyPart newBodyPart() {
        return new FastBodyPart();
    }

    /** Jakarta Mail's stream provider, looked up once (lazily, so a missing provider fails the write, not the class). */
    private static final class Provider {
        static final StreamProvider INSTANCE = StreamProvider.provider();
    }

    /** Writes a part when Jakarta Mail's own code would be used instead. */
    @FunctionalInterface
    private interface PartWriter {
        void writeTo(OutputStream out, String[] ignoreList) throws IOException, MessagingException;
    }

    /**
     * Writes a part (headers, blank line, encoded content) exactly as {@code MimeBodyPart.writeTo(MimePart,
     * OutputStream, String[])} does, with the cached provider; anything unusual goes to {@code fallback}.
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
        if (out instanceof MimeLineStream stream && encoding != null && encoding.equalsIgnoreCase("base64")
            && handler.getDataSource() instanceof AttachmentDataSource attachment) {
            writeBase64(attachment, stream);
            return;
        }
        OutputStream encoded = encoder(out, encoding);
        String text = part instanceof TextPart t ? t.utf8Text() : null;
        if (text != null) {
            // what the text/* content handler writes through an OutputStreamWriter, without its 8 KB buffers
            encoded.write(text.getBytes(StandardCharsets.UTF_8));
        } else {
            handler.writeTo(encoded);
        }
        encoded.flush();
    }

    /**
     * Sets a text part's content as {@code MimePart.setText(text, "UTF-8", subtype)} does; a part of ours also keeps
     * the text, which {@link #writePart} then writes as UTF-8 itself.
     */
    static void setUtf8Text(MimePart part, String text, String subtype) throws MessagingException {
        part.setText(text, "UTF-8", subtype);
        if (part instanceof TextPart t) {
            t.utf8Text(text);
        }
    }

    /** A part that remembers its UTF-8 text content until its content is replaced. */
    private interface TextPart {
        String utf8Text();

        void utf8Text(String text);
    }

    /**
     * An attachment's content in base64, encoded here in whole blocks (Jakarta Mail's encoder writes every line
     * through the stream's single-byte write); when measuring, only its length, when its source declares its size.
     */
    private static void writeBase64(AttachmentDataSource attachment, MimeLineStream out) throws IOException {
        long size = attachment.size();
        if (out.isMeasuring() && size >= 0) {
            out.addMeasured(Base64Lines.encodedLength(size));
            return;
        }
        try (InputStream in = attachment.getInputStream()) {
            Base64Lines.copy(in, out);
        }
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
        StreamProvider provider = Provider.INSTANCE;
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
    private static final class FastBodyPart extends MimeBodyPart implements TextPart {
        private String utf8Text;

        @Override
        public void writeTo(OutputStream out) throws IOException, MessagingException {
            writePart(this, out, null, (o, ignored) -> super.writeTo(o));
        }

        @Override
        public void setDataHandler(DataHandler dh) throws MessagingException {
            utf8Text = null;
            super.setDataHandler(dh);
        }

        @Override
        public String utf8Text() {
            return utf8Text;
        }

        @Override
        public void utf8Text(String text) {
            utf8Text = text;
        }
    }

    /** A message written by {@link #writePart} once its changes are saved. */
    abstract static class FastMessage extends MimeMessage implements TextPart {
        private String utf8Text;

        FastMessage(Session session) {
            super(session);
        }

        @Override
        public void setDataHandler(DataHandler dh) throws MessagingException {
            utf8Text = null;
            super.setDataHandler(dh);
        }

        @Override
        public String utf8Text() {
            return utf8Text;
        }

        @Override
        public void utf8Text(String text) {
            utf8Text = text;
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
    }
}
