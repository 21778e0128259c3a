package io.github.smtpletter.mime;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import jakarta.activation.DataSource;

import io.github.smtpletter.letter.Attachment;

/**
 * Presents an attachment's content source to Jakarta Activation, opening it anew on every read; the writer
 * recognises it to encode the content itself ({@link Base64Lines}) and to know its size without reading it.
 */
final class AttachmentDataSource implements DataSource {

    private final Attachment attachment;

    AttachmentDataSource(Attachment attachment) {
        this.attachment = attachment;
    }

    /** @return the content's size as its source declares it, or {@code -1} when unknown */
    long size() {
        return attachment.size();
    }

    @Override
    public InputStream getInputStream() throws IOException {
        return attachment.source().open();
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
        throw new IOException("attachment content is read-only");
    }

    @Override
    public String getContentType() {
        return attachment.contentType();
    }

    @Override
    public String getName() {
        return attachment.name();
    }
}
