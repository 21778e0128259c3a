package io.github.smtpletter.smtp;

import java.util.Locale;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs one session's dialogue at DEBUG without its secrets: a command line that carries one is shown as
 * {@code AUTH <mechanism> ****} or {@code ****}, and from an {@code AUTH} command until its final reply the server's
 * reply texts (challenges, the outcome) are shown as {@code ****} after the code.
 */
final class SmtpWireLog {

    private static final Logger LOG = LoggerFactory.getLogger(SmtpSession.class);

    private final String id;
    private boolean inAuth;

    /** @param id the session id shown in brackets */
    SmtpWireLog(String id) {
        this.id = id;
    }

    /**
     * Logs a command about to be written.
     *
     * @param line      the command, without CRLF
     * @param sensitive whether it carries a secret
     */
    void command(String line, boolean sensitive) {
        if (line.regionMatches(true, 0, "AUTH ", 0, 5)) {
            inAuth = true;
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("[{}] C: {}", id, sensitive ? mask(line) : line);
        }
    }

    /**
     * Logs a reply read.
     *
     * @param reply the reply
     */
    void reply(SmtpReply reply) {
        if (inAuth) {
            // challenges (334) may carry secrets, and so may the text of AUTH's final reply: log the code only
            LOG.debug("[{}] S: {} ****", id, reply.code());
            inAuth = reply.code() == 334;
        } else if (LOG.isDebugEnabled()) {
            LOG.debug("[{}] S: {}", id, reply);
        }
    }

    /**
     * @param  line a command carrying a secret
     * @return      what may be shown of it: the {@code AUTH} verb and mechanism, or nothing
     */
    static String mask(String line) {
        String upper = line.toUpperCase(Locale.ROOT);
        if (upper.startsWith("AUTH ")) {
            int sp = line.indexOf(' ', 5);
            return (sp < 0 ? line : line.substring(0, sp)) + " ****";
        }
        return "****";
    }
}
