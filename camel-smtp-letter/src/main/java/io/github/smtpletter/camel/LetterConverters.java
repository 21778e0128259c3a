package io.github.smtpletter.camel;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

import io.github.smtpletter.json.LetterMapReader;
import io.github.smtpletter.letter.Letter;
import org.apache.camel.Converter;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Type converters that turn what a route carries into {@link Letter}s, and results into text.
 * <p>
 * They are pure: a body and the {@code CamelLetter*} headers of its message make the letter, whether the conversion
 * happens in a {@code convertBodyTo(Letter.class)} or in the producer. The endpoint's addressing and subject options
 * ({@code from}, {@code to} ...) are not known here: the producer applies them for what the body and headers lack, so
 * an early conversion of a body that relies on them fails, naming the missing field.
 * <p>
 * To {@code Letter} from: a {@code String} (the text, or HTML when {@code CamelLetterContentType} says so;
 * addressing and subject from the {@code CamelLetter*} headers), a {@code Map} (read by {@link LetterMapReader}, the
 * reader the JSON modules use; missing addressing and subject from the headers; {@code path} attachments are refused
 * here, the producer accepts them from its {@code attachmentDirectory}), a Jakarta {@code MimeMessage}, and raw RFC
 * 5322 {@code byte[]} or {@code InputStream} (sent verbatim, envelope from its headers). camel-mail's
 * {@code MailMessage} is converted by {@link MailMessageConverters}. Collections are not converted here: the producer
 * handles them element by element, so that Camel's own collection conversions stay untouched.
 */
@Converter(generateLoader = true)
public final class LetterConverters {

    /** Lenient, and without an attachment directory: file paths are refused. */
    private static final LetterMapReader MAP_READER = new LetterMapReader(null, false);

    private LetterConverters() {
    }

    /** A String body becomes the text of a letter; addressing and subject from the {@code CamelLetter*} headers. */
    @Converter
    public static Letter toLetter(String text, Exchange exchange) {
        return fromText(text, exchange, headers(exchange));
    }

    /** A Map becomes a letter (see {@link LetterMapReader}); missing addressing and subject from the headers. */
    @Converter
    public static Letter toLetter(Map<?, ?> map, Exchange exchange) {
        return MAP_READER.read(map, headers(exchange));
    }

    /**
     * A Jakarta MimeMessage is sent as written; the envelope comes from its From/Sender, To, Cc and Bcc. Like
     * {@code Transport.send}, this saves the message's changes first (so an edited message is sent as edited); a
     * Message-ID set by hand is kept.
     */
    @Converter
    public static Letter toLetter(MimeMessage message, Exchange exchange) throws MessagingException, IOException {
        return MimeLetters.fromMessage(message, headers(exchange));
    }

    /** Raw RFC 5322 bytes are parsed for the envelope and sent verbatim (without any Bcc header). */
    @Converter
    public static Letter toLetter(byte[] rfc5322, Exchange exchange) throws MessagingException, IOException {
        return MimeLetters.fromBytes(rfc5322, headers(exchange));
    }

    /** A raw RFC 5322 stream, as the byte[] form. */
    @Converter
    public static Letter toLetter(InputStream rfc5322, Exchange exchange) throws MessagingException, IOException {
        return MimeLetters.fromStream(rfc5322, headers(exchange));
    }

    /** The results of an exchange as a readable table. */
    @Converter
    public static String toString(SendResults results) {
        return results.toString();
    }

    /**
     * The letter of a String body: its text (HTML when {@code CamelLetterContentType} is {@code text/html}), its
     * importance from {@code CamelLetterImportance}, the rest from {@code fallback}.
     */
    static Letter fromText(String text, Exchange exchange, Function<String, Object> fallback) {
        Message message = exchange == null ? null : exchange.getIn();
        Object contentType = message == null ? null : message.getHeader(LetterSmtpConstants.CONTENT_TYPE);
        boolean html = contentType != null
                       && contentType.toString().toLowerCase(Locale.ROOT).startsWith("text/html");
        Object importance = message == null ? null : message.getHeader(LetterSmtpConstants.IMPORTANCE);
        Map<String, Object> map = importance == null
                ? Map.of(html ? "html" : "text", text)
                : Map.of(html ? "html" : "text", text, "importance", importance);
        return MAP_READER.read(map, fallback);
    }

    /**
     * The addressing and subject headers of the exchange's message, by member name: {@code from} is
     * {@code CamelLetterFrom}, {@code to} is {@code CamelLetterTo} ...
     */
    static Function<String, Object> headers(Exchange exchange) {
        if (exchange == null) {
            return member -> null;
        }
        Message message = exchange.getIn();
        return member -> {
            String header = header(member);
            return header == null ? null : message.getHeader(header);
        };
    }

    private static String header(String member) {
        return switch (member) {
            case "from" -> LetterSmtpConstants.FROM;
            case "to" -> LetterSmtpConstants.TO;
            case "cc" -> LetterSmtpConstants.CC;
            case "bcc" -> LetterSmtpConstants.BCC;
            case "replyTo" -> LetterSmtpConstants.REPLY_TO;
            case "subject" -> LetterSmtpConstants.SUBJECT;
            default -> null;
        };
    }
}
