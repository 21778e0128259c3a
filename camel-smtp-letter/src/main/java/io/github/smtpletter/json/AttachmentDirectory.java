package io.github.smtpletter.json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.github.smtpletter.letter.InvalidLetterException;

/**
 * Guards file attachments named in data ({@code {"path": ...}} in a JSON letter or a Map body). Such data often comes
 * from outside (an HTTP request, a file drop), and a path there could mail any file the application can read. So a
 * path is refused unless a folder is configured, and then only a regular file inside that folder (after resolving
 * {@code ..} and links) is accepted. Java code that builds letters with {@code Attachment.of(Path)} is not affected.
 */
final class AttachmentDirectory {

    /** Refuses every path. */
    static final AttachmentDirectory NONE = new AttachmentDirectory(null);

    private final Path folder;

    private AttachmentDirectory(Path folder) {
        this.folder = folder;
    }

    /**
     * @param  folder the one folder whose files data may attach, {@code null} to refuse file paths
     * @return        the guard
     */
    static AttachmentDirectory of(Path folder) {
        return folder == null ? NONE : new AttachmentDirectory(folder);
    }

    /**
     * @param  path                   the path from the data
     * @return                        the real path of the file, inside the allowed folder
     * @throws InvalidLetterException (field {@code attachments}) when paths are not allowed or this one is outside
     */
    Path resolve(String path) {
        if (folder == null) {
            throw new InvalidLetterException("attachments", "file paths are not accepted in letters given as data"
                                                            + " (JSON or Map) unless an attachment directory names"
                                                            + " the folder they may come from (the letter-smtp"
                                                            + " attachmentDirectory option, or the Jackson module's"
                                                            + " constructor); use base64 or content instead");
        }
        try {
            Path root = folder.toRealPath();
            Path file = root.resolve(path).normalize();
            if (!file.startsWith(root)) {
                throw outside(path);
            }
            if (!Files.isRegularFile(file)) {
                throw new InvalidLetterException("attachments", "file not found: " + path);
            }
            Path real = file.toRealPath();
            if (!real.startsWith(root)) {
                throw outside(path);
            }
            return real;
        } catch (IOException e) {
            throw new InvalidLetterException("attachments", "file not readable: " + path);
        }
    }

    private static InvalidLetterException outside(String path) {
        return new InvalidLetterException("attachments", "file '" + path + "' is outside the attachment directory");
    }
}
