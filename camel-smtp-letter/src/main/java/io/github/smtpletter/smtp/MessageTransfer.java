package io.github.smtpletter.smtp;

import java.io.IOException;

import io.github.smtpletter.smtp.SmtpTransaction.Outcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the message of one mail transaction once its envelope commands are written: through {@code DATA},
 * dot-stuffed, or in {@code BDAT} chunks (RFC 3030), and reads what is left of the envelope's replies on the way.
 * <p>
 * Failures while producing the message content (for example an unreadable attachment) cancel the transfer by
 * closing the connection, never by ending the data, which would deliver a truncated message; only a BDAT transfer
 * that sent no chunk yet keeps its connection (after RSET).
 */
final class MessageTransfer {

    private static final Logger LOG = LoggerFactory.getLogger(MessageTransfer.class);

    private final SmtpSession session;
    private final MessageContent content;
    private final CommandFlight flight;
    private final TransactionProgress progress;
    private final OutcomeRules rules;
    /** BDAT: the outcome decided by a chunk's reply (the transfer was stopped or is complete). */
    private Outcome decided;
    /** BDAT: the connection failed while reading a chunk's reply. */
    private IOException listenerFailure;

    MessageTransfer(SmtpSession session, MessageContent content, CommandFlight flight, TransactionProgress progress,
                    OutcomeRules rules) {
        this.session = session;
        this.content = content;
        this.flight = flight;
        this.progress = progress;
        this.rules = rules;
    }

    // ------------------------------------------------------------------------------------------ DATA

    /**
     * {@code DATA}, which also reads the envelope's replies, then the message dot-stuffed and its end.
     *
     * @param deferEnd write the end of the message without flushing it or reading the reply, and return
     *                 {@link Outcome#deferredEnd()}: the next letter's commands go in the same flight
     */
    Outcome viaData(boolean deferEnd) throws IOException {
        flight.queue("DATA", progress::dataReply, false);
        Outcome refused = !progress.mailAccepted() ? rules.mailRefused()
                : progress.accepted().isEmpty() ? rules.noRecipient() : null;
        if (refused != null) {
            return refused; // (a 354 nobody wanted was already answered with an empty message by the flight)
        }
        if (progress.dataReply().code() != ReplyCode.START_MAIL_INPUT) {
            return rules.dataRefused();
        }
        DotStuffingOutputStream data = new DotStuffingOutputStream(session.dataStream());
        Exception writerFailure = null;
        try {
            content.writeTo(data);
        } catch (IOException | RuntimeException e) {
            writerFailure = e;
        }
        IOException net = session.socketWriteFailure();
        if (net != null) {
            throw net;
        }
        if (writerFailure != null) {
            return rules.contentProblem(writerFailure, false);
        }
        data.finish(!deferEnd);
        progress.endSent();
        LOG.debug("[{}] C: <{} bytes of message data> .", session.id(), data.count() - 3);
        if (deferEnd) {
            return Outcome.deferredEnd(); // the next letter's commands join this end in one flight
        }
        progress.finalReply(session.readFinalReply());
        return rules.finalReply();
    }

    // ------------------------------------------------------------------------------------------ BDAT

    /**
     * The message in BDAT chunks; the envelope's replies are read after the first chunk (with PIPELINING the first
     * chunk joins the envelope's flight: a short message goes whole in one round trip).
     *
     * @param chunkSize octets per chunk
     * @param lastAlone whether a message that fits one chunk still ends with a separate {@code BDAT 0 LAST}
     */
    Outcome viaBdat(int chunkSize, boolean lastAlone) throws IOException {
        BdatOutputStream chunks = new BdatOutputStream(session.dataStream(), chunkSize, this::chunkSent, lastAlone);
        Exception writerFailure = null;
        try {
            content.writeTo(chunks);
        } catch (IOException | RuntimeException e) {
            writerFailure = e;
        }
        if (decided == null && listenerFailure == null && writerFailure == null
            && session.socketWriteFailure() == null) {
            try {
                chunks.finish();
            } catch (StopTransfer e) {
                // decided below
            }
        }
        if (decided != null) {
            return decided;
        }
        if (listenerFailure != null) {
            throw listenerFailure;
        }
        IOException net = session.socketWriteFailure();
        if (net != null) {
            throw net;
        }
        if (writerFailure != null) {
            boolean usable = false;
            if (chunks.chunks() == 0) {
                // nothing of the message reached the wire: finish the envelope exchange and reset
                try {
                    flight.drain();
                    usable = session.reset();
                } catch (IOException e) {
                    usable = false;
                }
            }
            return rules.contentProblem(writerFailure, usable);
        }
        throw new IllegalStateException("BDAT transfer ended without a final reply");
    }

    /** After each chunk: read the pending envelope replies (first chunk when pipelined), then the chunk's reply. */
    private void chunkSent(int index, int size, boolean last) throws IOException {
        if (last) {
            progress.endSent();
        }
        LOG.debug("[{}] C: BDAT {}{} <{} bytes of message data>", session.id(), size, last ? " LAST" : "", size);
        try {
            flight.drain();
            if (!progress.envelopeAccepted()) {
                // the BDAT reply (503/554): the chunk was consumed, the framing is intact
                if (last) {
                    session.readFinalReply();
                } else {
                    session.readReply();
                }
                decided = !progress.mailAccepted() ? rules.mailRefused() : rules.noRecipient();
                throw new StopTransfer();
            }
            SmtpReply r = last ? session.readFinalReply() : session.readReply();
            if (last) {
                progress.finalReply(r);
                decided = rules.finalReply();
            } else if (r.code() != ReplyCode.OK) {
                decided = rules.chunkRefused(index, r);
                throw new StopTransfer();
            }
        } catch (StopTransfer e) {
            throw e;
        } catch (IOException e) {
            listenerFailure = e;
            throw e;
        }
    }

    /** Thrown into the message writer to stop a transfer the server refused. */
    private static final class StopTransfer extends IOException {
        private static final long serialVersionUID = 1L;

        StopTransfer() {
            super("transfer stopped: the server refused the transaction");
        }
    }
}
