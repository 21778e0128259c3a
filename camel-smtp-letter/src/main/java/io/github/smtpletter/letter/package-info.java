/**
 * Letters as plain immutable values: {@link io.github.smtpletter.letter.Letter}, its addresses and attachments.
 * No Camel, no I/O.
 */
package io.github.smtpletter.letter;
