/**
 * The SMTP client: {@link io.github.smtpletter.smtp.SmtpClient} with its connection pool, the protocol
 * session (RFC 5321 with STARTTLS, AUTH, PIPELINING, CHUNKING, SIZE, 8BITMIME, SMTPUTF8, DSN and enhanced
 * status codes), the connection parameters and the per-letter {@link io.github.smtpletter.smtp.SendResult}.
 * The parameters are composed of small immutable values: {@link io.github.smtpletter.smtp.SmtpServer},
 * {@link io.github.smtpletter.smtp.SmtpAuthentication}, {@link io.github.smtpletter.smtp.SmtpPoolSettings} and
 * {@link io.github.smtpletter.smtp.SmtpTimeouts}.
 * No Camel.
 */
package io.github.smtpletter.smtp;
