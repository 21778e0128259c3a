package io.github.smtpletter.smtp;

/** The SMTP reply codes (RFC 5321 section 4.2.3) the client acts on by number. */
final class ReplyCode {

    /** 250: requested mail action okay, completed. */
    static final int OK = 250;
    /** 354: start mail input, end with {@code <CRLF>.<CRLF>}. */
    static final int START_MAIL_INPUT = 354;
    /** 421: service not available, the server is closing the connection. */
    static final int SERVICE_CLOSING = 421;

    private ReplyCode() {
    }
}
