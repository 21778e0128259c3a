/**
 * DKIM signing (RFC 6376, relaxed/relaxed; Ed25519 per RFC 8463) over the JDK's own signatures, streamed at constant
 * memory: {@link io.github.smtpletter.mime.dkim.DkimSettings} says how,
 * {@link io.github.smtpletter.mime.dkim.DkimSigner} signs in a first pass over a message and
 * {@link io.github.smtpletter.mime.dkim.DkimSignedMessage} writes the {@code DKIM-Signature} field and the message
 * in a second, checking that it is still the message signed. {@link io.github.smtpletter.mime.dkim.DkimKeys} reads
 * PEM keys. No Camel, no network.
 * <p>
 * Behind them, one job per class: the relaxed body canonicalisation as a stream into a digest, the split of a message
 * into its kept header section and its hashed body, and the header fields with their relaxed form.
 */
package io.github.smtpletter.mime.dkim;
