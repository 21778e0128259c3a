package io.github.smtpletter.mime.dkim;

import java.io.IOException;

/**
 * The message written while sending differs from the one that was signed (for example an attachment file changed
 * in between): the transfer must be cancelled before the end of the data, so that no message with a broken
 * signature is delivered. Sending the letter again signs it anew.
 */
public final class DkimContentChangedException extends IOException {

    private static final long serialVersionUID = 1L;

    DkimContentChangedException(String what) {
        super("the message changed between signing and sending (" + what
              + "): not sent, its DKIM signature would not verify");
    }
}
