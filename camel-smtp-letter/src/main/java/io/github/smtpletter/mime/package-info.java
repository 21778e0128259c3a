/**
 * Letters to MIME: {@link io.github.smtpletter.mime.LetterMimeWriter} writes a
 * {@link io.github.smtpletter.letter.Letter} as an RFC 5322 message with Jakarta Mail, streamed, with an exact
 * size known beforehand. No Camel, no network.
 */
package io.github.smtpletter.mime;
