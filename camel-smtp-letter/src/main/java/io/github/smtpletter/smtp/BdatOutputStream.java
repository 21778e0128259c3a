package io.github.smtpletter.smtp;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Streams message content as BDAT chunks (CHUNKING, RFC 3030): the content is cut into chunks of a fixed size,
 * each sent as {@code BDAT <n>} CRLF followed by exactly n octets (no dot-stuffing, no line end rewriting);
 * {@link #finish()} sends the rest as {@code BDAT <n> LAST}. After each chunk is flushed the {@link ChunkListener}
 * is told, so the transaction can read the pending replies (and abort by throwing).
 * <p>
 * Only one chunk is buffered at a time. Closing this stream does nothing: only {@link #finish()} sends LAST, so a
 * failing writer can never complete a truncated message.
 */
final class BdatOutputStream extends OutputStream {

    /** Default chunk size: 64 KiB. */
    static final int DEFAULT_CHUNK_SIZE = 64 * 1024;

    /** Called after each chunk (command line and data) was written and flushed. */
    interface ChunkListener {
        /**
         * @param index 0 for the first chunk
         * @param size  octets in the chunk
         * @param last  whether it was sent with LAST
         * @throws IOException to stop the transfer (the stream then refuses further writes)
         */
        void chunkSent(int index, int size, boolean last) throws IOException;

        /**
         * Called before the LAST chunk is written, so that the replies still pending can be read first: LAST then
         * only goes after every earlier chunk was accepted.
         *
         * @throws IOException to stop the transfer (LAST is then never sent)
         */
        default void beforeLast() throws IOException {
            // nothing pending by default
        }
    }

    private final OutputStream out;
    private final byte[] buffer;
    private final ChunkListener listener;
    private final boolean lastAlone;
    private int filled;
    private int chunks;
    private boolean finished;
    private boolean failed;
    private boolean lastSent;
    private boolean flushLast = true;

    /**
     * @param out       the (buffered) connection stream
     * @param chunkSize octets per chunk, at least 1
     * @param listener  told after each chunk
     * @param lastAlone when {@code true} and the whole content fits in the first chunk, that chunk is sent without
     *                  LAST followed by {@code BDAT 0 LAST}: the first flight then never completes the message
     */
    BdatOutputStream(OutputStream out, int chunkSize, ChunkListener listener, boolean lastAlone) {
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunk size must be positive: " + chunkSize);
        }
        this.out = out;
        this.buffer = new byte[chunkSize];
        this.listener = listener;
        this.lastAlone = lastAlone;
    }

    @Override
    public void write(int b) throws IOException {
        ensureOpen();
        if (filled == buffer.length) {
            sendChunk(false);
        }
        buffer[filled++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        ensureOpen();
        while (len > 0) {
            if (filled == buffer.length) {
                sendChunk(false);
            }
            int n = Math.min(len, buffer.length - filled);
            System.arraycopy(b, off, buffer, filled, n);
            filled += n;
            off += n;
            len -= n;
        }
    }

    /** Sends what is buffered as the LAST chunk, flushed. Idempotent once it succeeded. */
    void finish() throws IOException {
        finish(true);
    }

    /**
     * Sends what is buffered as the LAST chunk. Idempotent once it succeeded.
     *
     * @param flush whether to flush the LAST chunk; when not, the next letter's commands join it in one flight
     */
    void finish(boolean flush) throws IOException {
        if (finished) {
            return;
        }
        ensureOpen();
        if (lastAlone && chunks == 0 && filled > 0) {
            sendChunk(false);
        }
        flushLast = flush;
        sendChunk(true);
        finished = true;
    }

    /** @return whether a chunk with LAST has been written and flushed (its reply may still be pending) */
    boolean lastSent() {
        return lastSent;
    }

    /** @return how many chunks were written */
    int chunks() {
        return chunks;
    }

    private void sendChunk(boolean last) throws IOException {
        int size = filled;
        int index = chunks;
        try {
            if (last) {
                listener.beforeLast();
            }
            out.write(("BDAT " + size + (last ? " LAST" : "") + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(buffer, 0, size);
            if (!last || flushLast) {
                out.flush();
            }
            filled = 0;
            chunks++;
            if (last) {
                lastSent = true;
            }
            listener.chunkSent(index, size, last);
        } catch (IOException | RuntimeException e) {
            failed = true;
            throw e;
        }
    }

    private void ensureOpen() throws IOException {
        if (failed) {
            throw new IOException("BDAT transfer aborted");
        }
        if (finished) {
            throw new IOException("BDAT transfer already finished");
        }
    }

    /** Does nothing; see the class comment. */
    @Override
    public void close() {
        // intentionally empty
    }
}
