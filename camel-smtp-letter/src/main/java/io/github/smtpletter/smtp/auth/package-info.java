/**
 * SMTP authentication (RFC 4954): one package-private class per mechanism behind the small {@code AuthMechanism}
 * interface, and {@link io.github.smtpletter.smtp.auth.Authenticator}, which runs the {@code AUTH} exchange over the
 * session's {@link io.github.smtpletter.smtp.SmtpCommandChannel}.
 *
 * <p>Mechanisms: {@code PLAIN} (RFC 4616), {@code LOGIN}, {@code CRAM-MD5} (RFC 2195), {@code ANONYMOUS}
 * (RFC 4505), {@code XOAUTH2}, and any mechanism of the JDK's {@code javax.security.sasl} clients through
 * {@code SASL} (e.g. {@code DIGEST-MD5}, {@code EXTERNAL}, {@code NTLM}, {@code GSSAPI}). {@code AUTO} picks the
 * strongest usable one; {@code NONE} sends no {@code AUTH}. No Camel; no security provider is registered.
 *
 * <p>Why users cannot plug in a mechanism object: what to authenticate with is configured as a closed set of kinds,
 * {@link io.github.smtpletter.smtp.SmtpAuthentication}, so every setting can be checked (and named in an error) when
 * the parameters are built, equal settings share a connection pool, and no user code runs inside the exchange where
 * secrets are masked. Nothing is lost by that: a mechanism this package does not implement is reached through
 * {@link io.github.smtpletter.smtp.SmtpAuthentication.JdkSasl} by name, which uses any {@code SaslClientFactory}
 * installed in the JDK (a security provider on the class path or registered by the application). Hence the
 * mechanism classes are package-private; {@code Authenticator} stays public only because the session that calls it
 * lives in {@code io.github.smtpletter.smtp}.
 */
package io.github.smtpletter.smtp.auth;
