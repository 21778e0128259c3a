package io.github.smtpletter.mime.dkim;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * A signed message, ready for its second pass: the {@code DKIM-Signature} field computed by
 * {@link DkimSigner#sign(DkimSigner.MessageSource)}, then the message written again by its source. What
 * {@link #writeTo(OutputStream)} writes is checked against what was signed; the check ends before the method
 * returns, so a caller that ends the data only after it returns never completes a message whose signature would
 * fail.
 */
public final class DkimSignedMessage {

    private final DkimSigner.MessageSource source;
    private final byte[] field;
    private final long messageSize;
    private final byte[] headerSection;
    private final byte[] bodyHash;

    DkimSignedMessage(DkimSigner.MessageSource source, byte[] field, long messageSize, byte[] headerSection,
                      byte[] bodyHash) {
        this.source = source;
        this.field = field;
        this.messageSize = messageSize;
        this.headerSection = headerSection;
        this.bodyHash = bodyHash;
    }

    /** @return the exact number of bytes {@link #writeTo(OutputStream)} writes: the field and the message */
    public long size() {
        return field.length + messageSize;
    }

    /** @return the folded {@code DKIM-Signature} field with its CRLF (US-ASCII) */
    public byte[] signatureField() {
        return field.clone();
    }

    /**
     * Writes the {@code DKIM-Signature} field, then the message from its source, hashing it on the way.
     *
     * @param  out                         where to write (not closed)
     * @throws DkimContentChangedException when the message written differs from the one signed; it is thrown after
     *                                     the last byte was written, before this method returns
     * @throws IOException                 when writing fails or the message cannot be produced
     */
    public void writeTo(OutputStream out) throws IOException {
        out.write(field);
        MessageHashingStream check = new MessageHashingStream(out);
        source.writeTo(check);
        check.finish();
        if (check.count() != messageSize) {
            throw new DkimContentChangedException(messageSize + " bytes signed, " + check.count() + " written");
        }
        if (!Arrays.equals(check.headerSection(), headerSection)) {
            throw new DkimContentChangedException("its header section differs");
        }
        if (!Arrays.equals(check.bodyHash(), bodyHash)) {
            throw new DkimContentChangedException("its body differs");
        }
    }
}
