package io.github.smtpletter.camel.json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.github.smtpletter.letter.InvalidLetterException;

/**
 * Guards file attachments named in data ({@code {"path": ...}} in a JSON letter or a Map body). Such data often comes
 * from outside (an HTTP request, a file drop), and a path there could mail any file the application can read. So a
 * path is refused unless the system property {@value #PROPERTY} names a folder, and then only a regular file inside
 * that folder (after resolving {@code ..} and links) is accepted. Java code that builds letters with
 * {@code Attachment.of(Path)} is not affected.
 */
public final class AttachmentPaths {

    /** The system property naming the one folder whose files JSON and Map letters may attach. */
    public static final String PROPERTY = "smtpletter.attachmentDirectory";

    private AttachmentPaths() {
    }

    /**
     * @param path the path from the data
     * @return the real path of the file, inside the allowed folder
     * @throws InvalidLetterException (field {@code attachments}) when paths are not allowed or this one is outside
     */
    public static Path resolve(String path) {
        String allowed = System.getProperty(PROPERTY);
        if (allowed == null || allowed.isBlank()) {
            throw new InvalidLetterException("attachments", "file paths are not accepted in letters given as data"
                                                            + " (JSON or Map) unless the system property " + PROPERTY
                                                            + " names the folder they may come from; use base64 or"
                                                            + " content instead");
        }
        try {
            Path root = Path.of(allowed).toRealPath();
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
        return new InvalidLetterException("attachments", "file '" + path + "' is outside the folder named by "
                                                         + PROPERTY);
    }
}
