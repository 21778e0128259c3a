/**
 * The SMTP client: {@link io.github.smtpletter.smtp.SmtpClient} with its connection pool, the protocol
 * session (RFC 5321 with STARTTLS, AUTH, PIPELINING, CHUNKING, SIZE, 8BITMIME, SMTPUTF8, DSN and enhanced
 * status codes), the connection parameters and the per-letter {@link io.github.smtpletter.smtp.SendResult}.
 * No Camel.
 */
package io.github.smtpletter.smtp;
