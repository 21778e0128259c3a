/**
 * SMTP authentication (RFC 4954): one class per mechanism behind the small {@link
 * io.github.smtpletter.smtp.auth.AuthMechanism} interface, looked up by name in {@link
 * io.github.smtpletter.smtp.auth.AuthMechanisms}, and {@link io.github.smtpletter.smtp.auth.Authenticator}, which
 * runs the {@code AUTH} exchange over the session's {@link io.github.smtpletter.smtp.SmtpCommandChannel}.
 *
 * <p>Mechanisms: {@code PLAIN} (RFC 4616), {@code LOGIN}, {@code CRAM-MD5} (RFC 2195), {@code ANONYMOUS}
 * (RFC 4505), {@code XOAUTH2}, and any mechanism of the JDK's {@code javax.security.sasl} clients through
 * {@code SASL} (e.g. {@code DIGEST-MD5}, {@code EXTERNAL}, {@code NTLM}, {@code GSSAPI}). {@code AUTO} picks the
 * strongest usable one ({@link io.github.smtpletter.smtp.auth.AutoMechanismSelector}); {@code NONE} sends no
 * {@code AUTH}. No Camel; no security provider is registered.
 */
package io.github.smtpletter.smtp.auth;
