package io.github.smtpletter.camel;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

import io.github.smtpletter.json.LetterMapReader;
import io.github.smtpletter.letter.Checks;
import io.github.smtpletter.letter.InvalidLetterException;
import io.github.smtpletter.letter.Letter;
import org.apache.camel.Exchange;
import org.apache.camel.NoTypeConversionAvailableException;
import org.apache.camel.TypeConversionException;
import org.apache.camel.util.ObjectHelper;

/**
 * Turns the body of an exchange into letters for one endpoint, the way camel-mail's {@code MailBinding} does for
 * mail: what the body and its message's {@code CamelLetter*} headers say comes first, and the endpoint's
 * {@code from}, {@code to}, {@code cc}, {@code bcc}, {@code replyTo} and {@code subject} options fill in what they
 * lack. {@code Map} bodies may name {@code path} attachments inside the endpoint's {@code attachmentDirectory}.
 * <p>
 * Bodies of other types go through Camel's type converters ({@link LetterConverters}, {@link MailMessageConverters}
 * or the user's own), which know no endpoint. A body that is already a {@link Letter} is sent as it is.
 */
final class LetterSmtpBinding {

    private final Map<String, String> defaults = new HashMap<>();
    private final LetterMapReader mapReader;

    LetterSmtpBinding(LetterSmtpConfiguration configuration) {
        putDefault("from", configuration.getFrom());
        putDefault("to", configuration.getTo());
        putDefault("cc", configuration.getCc());
        putDefault("bcc", configuration.getBcc());
        putDefault("replyTo", configuration.getReplyTo());
        putDefault("subject", configuration.getSubject());
        String folder = configuration.getAttachmentDirectory();
        mapReader = new LetterMapReader(ObjectHelper.isEmpty(folder) ? null : Path.of(folder), false);
    }

    private void putDefault(String member, String value) {
        if (value != null) {
            defaults.put(member, value);
        }
    }

    /** The elements of a body: those of a collection, array or iterable, else the body itself. */
    static List<Object> elements(Object body) {
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

    /**
     * One element of a body as a letter.
     *
     * @throws InvalidLetterException naming the field at fault, or {@code body} when the element cannot become a
     *                                letter at all
     */
    Letter toLetter(Object element, Exchange exchange) {
        if (element instanceof Letter l) {
            return l;
        }
        if (element == null) {
            throw new InvalidLetterException("body", "a null element cannot become a letter");
        }
        Function<String, Object> fallback = withDefaults(LetterConverters.headers(exchange));
        try {
            if (element instanceof String text) {
                return LetterConverters.fromText(text, exchange, fallback);
            }
            if (element instanceof Map<?, ?> map) {
                return mapReader.read(map, fallback);
            }
            if (element instanceof byte[] bytes) {
                return MimeLetters.fromBytes(bytes, fallback);
            }
            if (element instanceof InputStream in) {
                return MimeLetters.fromStream(in, fallback);
            }
            MimeMessage mime = element instanceof MimeMessage m
                    ? m : exchange.getContext().getTypeConverter().tryConvertTo(MimeMessage.class, exchange, element);
            if (mime != null) {
                return MimeLetters.fromMessage(mime, fallback);
            }
        } catch (InvalidLetterException e) {
            throw e;
        } catch (MessagingException | IOException | RuntimeException e) {
            throw new InvalidLetterException("body", "cannot make a letter from a body of type "
                                                     + element.getClass().getTypeName() + ": "
                                                     + Checks.quote(e.getMessage()));
        }
        return convert(element, exchange);
    }

    private Function<String, Object> withDefaults(Function<String, Object> headers) {
        return member -> {
            Object v = headers.apply(member);
            return v != null ? v : defaults.get(member);
        };
    }

    private static Letter convert(Object element, Exchange exchange) {
        try {
            return exchange.getContext().getTypeConverter().mandatoryConvertTo(Letter.class, exchange, element);
        } catch (NoTypeConversionAvailableException e) {
            throw new InvalidLetterException("body", "cannot make a letter from a body of type "
                                                     + element.getClass().getTypeName()
                                                     + "; supported: Letter, String, Map, MimeMessage, MailMessage,"
                                                     + " byte[] or InputStream (RFC 5322), or a collection of these");
        } catch (TypeConversionException e) {
            Throwable cause = e.getCause();
            while (cause != null) {
                if (cause instanceof InvalidLetterException ile) {
                    throw ile;
                }
                cause = cause.getCause();
            }
            throw new InvalidLetterException("body", "cannot make a letter from a body of type "
                                                     + element.getClass().getTypeName() + ": "
                                                     + Checks.quote(e.getCause() != null
                                                             ? e.getCause().getMessage() : e.getMessage()));
        }
    }
}
