package io.github.smtpletter.json;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Set;

import io.github.smtpletter.letter.Checks;
import io.github.smtpletter.letter.ContentSource;
import io.github.smtpletter.letter.InvalidLetterException;

/**
 * Guards file attachments named in data ({@code {"path": ...}} in a JSON letter or a Map body). Such data often comes
 * from outside (an HTTP request, a file drop), and a path there could mail any file the application can read. So a
 * path is refused unless a folder is configured, and then only a regular file inside that folder (after resolving
 * {@code ..} and links) is accepted; when the letter is sent, the file is opened only if it is still there and no link
 * leads elsewhere. Java code that builds letters with {@code Attachment.of(Path)} is not affected.
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
     * @return                        the content of the file, checked again each time it is opened (see
     *                                {@link ConfinedFile})
     * @throws InvalidLetterException (field {@code attachments}) when paths are not allowed or this one is outside
     */
    ConfinedFile resolve(String path) {
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
                throw new InvalidLetterException("attachments", "file not found: " + Checks.quote(path));
            }
            Path real = file.toRealPath();
            if (!real.startsWith(root) || real.equals(root)) {
                throw outside(path);
            }
            return new ConfinedFile(folder, root.relativize(real));
        } catch (IOException | InvalidPathException e) {
            throw new InvalidLetterException("attachments", "file not readable: " + Checks.quote(path));
        }
    }

    private static InvalidLetterException outside(String path) {
        return new InvalidLetterException("attachments", "file " + Checks.quote(path)
                                                         + " is outside the attachment directory");
    }

    /**
     * A file inside the attachment directory, checked at the moment it is opened: the file named when the letter was
     * read may since have been replaced by a link to a file elsewhere. No component of its path below the folder may
     * be a link, the file itself is opened without following links, and after opening its folder must still really
     * be inside the attachment directory. Otherwise opening fails and the letter is not sent.
     */
    static final class ConfinedFile implements ContentSource {

        private final Path folder;
        /** The file, relative to the real path of the folder; no {@code ..} and no links when it was read. */
        private final Path relative;

        ConfinedFile(Path folder, Path relative) {
            this.folder = folder;
            this.relative = relative;
        }

        /** @return the file name, for the attachment's default name */
        Path fileName() {
            return relative.getFileName();
        }

        @Override
        public InputStream open() throws IOException {
            Path root = folder.toRealPath();
            Path file = root.resolve(relative);
            checkNoLink(root, file);
            SeekableByteChannel channel = Files.newByteChannel(file, Set.of(StandardOpenOption.READ,
                    LinkOption.NOFOLLOW_LINKS));
            try {
                checkNoLink(root, file);
                Path parent = file.getParent();
                if (!parent.toRealPath().equals(parent)
                    || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                    throw refused("is no longer a regular file inside the attachment directory");
                }
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
            return Channels.newInputStream(channel);
        }

        @Override
        public long size() {
            try {
                return Files.readAttributes(folder.toRealPath().resolve(relative), BasicFileAttributes.class,
                        LinkOption.NOFOLLOW_LINKS).size();
            } catch (IOException e) {
                return -1;
            }
        }

        /** Refuses when the file or a folder between it and the root is a symbolic link. */
        private void checkNoLink(Path root, Path file) throws IOException {
            Path p = root;
            for (Path part : relative) {
                p = p.resolve(part);
                if (Files.isSymbolicLink(p)) {
                    throw refused(p.equals(file) ? "was replaced by a symbolic link"
                            : "has a symbolic link in its path: " + Checks.quote(root.relativize(p).toString()));
                }
            }
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                throw refused("is no longer a regular file");
            }
        }

        private IOException refused(String why) {
            return new IOException("attachment file " + Checks.quote(relative.toString()) + " " + why
                                   + "; refused");
        }
    }
}
