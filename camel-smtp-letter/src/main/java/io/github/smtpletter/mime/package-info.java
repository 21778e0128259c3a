/**
 * Letters to MIME: {@link io.github.smtpletter.mime.LetterMimeWriter} writes a
 * {@link io.github.smtpletter.letter.Letter} as an RFC 5322 message with Jakarta Mail, streamed, with an exact
 * size known beforehand. No Camel, no network.
 * <p>
 * Behind it, one job per class: the MIME tree of a letter, header encoding (RFC 2047, RFC 2231), line ends to
 * CRLF, and a faster way to write the tree with Jakarta Mail kept apart in one class.
 */
package io.github.smtpletter.mime;
