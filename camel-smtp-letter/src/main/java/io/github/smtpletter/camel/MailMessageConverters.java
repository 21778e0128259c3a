package io.github.smtpletter.camel;

import java.io.IOException;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

import io.github.smtpletter.letter.Letter;
import org.apache.camel.Converter;
import org.apache.camel.Exchange;
import org.apache.camel.component.mail.MailMessage;

/**
 * Converters for camel-mail's {@code MailMessage}, apart from {@link LetterConverters} because camel-mail is an
 * optional dependency: without it on the class path, Camel skips this class when it loads the converters.
 */
@Converter(generateLoader = true, ignoreOnLoadError = true)
public final class MailMessageConverters {

    private MailMessageConverters() {
    }

    /** camel-mail's MailMessage holds a MimeMessage (what camel-mail consumers receive): that message. */
    @Converter
    public static MimeMessage toMimeMessage(MailMessage message) {
        Message m = message.getMessage();
        if (!(m instanceof MimeMessage mime)) {
            throw new IllegalArgumentException("letter-smtp: camel-mail MailMessage holds no MimeMessage but "
                                               + (m == null ? "null" : m.getClass().getName()));
        }
        return mime;
    }

    /** camel-mail's MailMessage: its MimeMessage is sent as written (see {@link LetterConverters}). */
    @Converter
    public static Letter toLetter(MailMessage message, Exchange exchange) throws MessagingException, IOException {
        return LetterConverters.toLetter(toMimeMessage(message), exchange);
    }
}
