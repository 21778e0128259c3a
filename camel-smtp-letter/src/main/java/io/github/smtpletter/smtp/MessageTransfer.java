package io.github.smtpletter.smtp;

import java.io.IOException;
import java.util.ArrayDeque;

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

    /**
     * With PIPELINING: chunks sent before the oldest unanswered chunk's reply is read. Four chunks of
     * {@link MessageContent#BIG_CHUNK_SIZE} keep a link of a few hundred Mbit/s busy across a 10 ms round trip, and
     * a refused chunk wastes at most that much; only one chunk is ever held in memory.
     */
    static final int CHUNKS_IN_FLIGHT = 4;

    private final SmtpSession session;
    private final MessageContent content;
    private final CommandFlight flight;
    private final TransactionProgress progress;
    private final OutcomeRules rules;
    /** BDAT: the outcome decided by a chunk's reply (the transfer was stopped or is complete). */
    private Outcome decided;
    /** BDAT: the connection failed while reading a chunk's reply. */
    private IOException listenerFailure;
    /** BDAT: the chunks (by index) sent without LAST whose replies are still to be read, oldest first. */
    private final ArrayDeque<Integer> unanswered = new ArrayDeque<>();
    /** BDAT: how many chunks may go before the oldest chunk's reply is read. */
    private int chunksAhead;
    /** BDAT: whether LAST goes unflushed and unanswered, for the next letter to read. */
    private boolean deferEnd;

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
     * chunk joins the envelope's flight: a short message goes whole in one round trip). With PIPELINING (RFC 3030
     * section 4.2) up to {@value #CHUNKS_IN_FLIGHT} chunks go before the oldest chunk's reply is read, so the socket
     * does not idle a round trip per chunk; without it every chunk is answered before the next one goes. LAST only
     * goes once every earlier chunk was accepted, so a refused chunk never leaves a completed message behind.
     *
     * @param chunkSize octets per chunk
     * @param lastAlone whether a message that fits one chunk still ends with a separate {@code BDAT 0 LAST}
     * @param pipe      whether chunks may go ahead of their replies (PIPELINING offered and enabled)
     * @param deferEnd  write {@code BDAT n LAST} without flushing it or reading its reply (nor the envelope's
     *                  replies when still pending) and return {@link Outcome#deferredEnd()}: the next letter's commands
     *                  go in the same flight and read them; the final reply of the letter before, if any, is read
     *                  first, so at most one letter waits for its replies
     */
    Outcome viaBdat(int chunkSize, boolean lastAlone, boolean pipe, boolean deferEnd) throws IOException {
        chunksAhead = pipe ? CHUNKS_IN_FLIGHT : 0;
        this.deferEnd = deferEnd;
        BdatOutputStream chunks = new BdatOutputStream(session.dataStream(), chunkSize, new ChunkReplies(),
                lastAlone);
        Exception writerFailure = null;
        try {
            content.writeTo(chunks);
        } catch (IOException | RuntimeException e) {
            writerFailure = e;
        }
        if (decided == null && listenerFailure == null && writerFailure == null
            && session.socketWriteFailure() == null) {
            try {
                chunks.finish(!deferEnd);
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

    /** Reads the chunks' replies: the envelope's replies come first (after the first chunk when pipelined). */
    private final class ChunkReplies implements BdatOutputStream.ChunkListener {

        @Override
        public void chunkSent(int index, int size, boolean last) throws IOException {
            if (last) {
                progress.endSent();
            }
            LOG.debug("[{}] C: BDAT {}{} <{} bytes of message data>", session.id(), size, last ? " LAST" : "", size);
            try {
                if (last && deferEnd) {
                    if (flight.previousUnread()) {
                        // at most one letter's replies outstanding: the letter before is read now, this one later
                        session.flush();
                        flight.readPrevious();
                    }
                    decided = Outcome.deferredEnd();
                    return;
                }
                if (last) {
                    readOldest(); // the envelope's replies when they are still pending, none of the earlier chunks
                    SmtpReply r = session.readFinalReply();
                    progress.finalReply(r);
                    decided = rules.finalReply();
                    return;
                }
                unanswered.add(index);
                while (unanswered.size() > chunksAhead) {
                    readOldest();
                }
            } catch (StopTransfer e) {
                throw e;
            } catch (IOException e) {
                listenerFailure = e;
                throw e;
            }
        }

        @Override
        public void beforeLast() throws IOException {
            try {
                while (!unanswered.isEmpty()) {
                    readOldest();
                }
            } catch (StopTransfer e) {
                throw e;
            } catch (IOException e) {
                listenerFailure = e;
                throw e;
            }
        }
    }

    /**
     * Reads the envelope's replies when still pending, then the reply of the oldest unanswered chunk. A refused
     * envelope or chunk stops the transfer once the replies of the chunks already sent are read (the server
     * answers each of them and discards their data).
     */
    private void readOldest() throws IOException {
        flight.drain();
        if (!progress.envelopeAccepted()) {
            // the BDAT replies (503/554): the chunks were consumed, the framing is intact
            boolean last = progress.awaitingFinalReply();
            skipReplies(unanswered.size());
            if (last) {
                session.readFinalReply();
            }
            decided = !progress.mailAccepted() ? rules.mailRefused() : rules.noRecipient();
            throw new StopTransfer();
        }
        Integer index = unanswered.poll();
        if (index == null) {
            return;
        }
        SmtpReply r = session.readReply();
        if (r.code() != ReplyCode.OK) {
            skipReplies(unanswered.size());
            decided = rules.chunkRefused(index, r);
            throw new StopTransfer();
        }
    }

    /** Reads and drops the replies to chunks sent after one that was refused. */
    private void skipReplies(int n) throws IOException {
        for (int i = 0; i < n; i++) {
            LOG.debug("[{}] reply to a BDAT chunk after the refusal: {}", session.id(), session.readReply());
        }
        unanswered.clear();
    }

    /** Thrown into the message writer to stop a transfer the server refused. */
    private static final class StopTransfer extends IOException {
        private static final long serialVersionUID = 1L;

        StopTransfer() {
            super("transfer stopped: the server refused the transaction");
        }
    }
}
