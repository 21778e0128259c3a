package io.github.smtpletter.smtp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * The commands of one mail transaction whose replies are still to be read. With PIPELINING (RFC 2920) commands are
 * written without waiting and their replies are matched back in order when the flight is drained; without it every
 * command is answered before the next one. The first drain first reads the final reply of the previous letter on the
 * session whose end of data went out unflushed ahead of this transaction's commands.
 */
final class CommandFlight {

    /** Most commands sent before their replies are read, so a huge recipient list cannot deadlock the socket. */
    static final int MAX_FLIGHT = 100;

    private final SmtpSession session;
    private final TransactionProgress progress;
    private final ArrayDeque<Consumer<SmtpReply>> pending = new ArrayDeque<>();
    /** A transaction whose end of data went out ahead of this flight and whose final reply is still unread. */
    private SmtpTransaction previous;

    CommandFlight(SmtpSession session, TransactionProgress progress, SmtpTransaction previous) {
        this.session = session;
        this.progress = progress;
        this.previous = previous;
    }

    /** Writes a command whose reply goes to {@code slot}; reads the replies now unless pipelining. */
    void queue(String command, Consumer<SmtpReply> slot, boolean pipe) throws IOException {
        session.writeCommand(command);
        pending.add(slot);
        if (!pipe || pending.size() >= MAX_FLIGHT) {
            drain();
        }
    }

    /**
     * Flushes and reads the replies of every command sent so far, in order (after the previous letter's final reply).
     *
     * @throws SmtpException when the server answers 421: it is closing the connection, no further replies will come
     */
    void drain() throws IOException {
        if (pending.isEmpty() && previous == null) {
            return;
        }
        session.flush();
        readPrevious();
        while (!pending.isEmpty()) {
            SmtpReply r = session.readReply();
            if (r.code() == ReplyCode.SERVICE_CLOSING) {
                pending.clear();
                if (progress.mailReply() == null) {
                    progress.mailReply(r); // MAIL comes first in every flight
                } else {
                    progress.closingReply(r);
                }
                throw new SmtpException("server " + session.endpoint() + " is closing the connection: " + r, r);
            }
            pending.poll().accept(r);
        }
        SmtpReply data = progress.dataReply();
        if (data != null && data.code() == ReplyCode.START_MAIL_INPUT && !progress.envelopeAccepted()) {
            // a server that says 354 without a valid envelope: end the (empty) data at once
            session.dataStream().write(".\r\n".getBytes(StandardCharsets.US_ASCII));
            session.flush();
            session.readReply();
        }
    }

    /** @return whether replies of commands of this flight are still unread */
    boolean hasPending() {
        return !pending.isEmpty();
    }

    /** @return whether the previous letter's final reply is still unread */
    boolean previousUnread() {
        return previous != null;
    }

    /** Reads the final reply of the previous (deferred) transaction, once; the flight must have been flushed. */
    void readPrevious() throws IOException {
        if (previous != null) {
            SmtpTransaction p = previous;
            previous = null;
            p.readDeferredReply();
        }
    }
}
