package io.github.smtpletter.letter;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A file attached to a letter, or an inline part (an image referenced from the HTML body as
 * {@code cid:CONTENT-ID}).
 * <p>
 * Immutable. The content is a {@link ContentSource}, opened only when the letter is written, so a file
 * attachment is streamed from disk and never read whole into memory. {@link #of(Path)} does not touch the
 * file: a missing file is reported when the letter is built.
 * <p>
 * Factories validate their arguments and throw {@link InvalidLetterException} with field
 * {@code "attachments"}: the name must be non-blank without control characters, the content type must be
 * {@code type/subtype} (optionally with parameters), the content id printable ASCII without {@code <>}.
 */
public final class Attachment {

    private static final String FIELD = "attachments";
    private static final String DEFAULT_TYPE = "application/octet-stream";
    private static final String TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
    private static final Pattern CONTENT_TYPE = Pattern.compile(
            TOKEN + "/" + TOKEN + "(\\s*;\\s*" + TOKEN + "=(" + TOKEN + "|\"([^\"\\\\]|\\\\.)*\"))*\\s*;?");
    private static final int MAX_CONTENT_ID = 250;

    /** Common types by lower-case extension, checked before the JDK's own table. */
    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("txt", "text/plain"), Map.entry("text", "text/plain"), Map.entry("log", "text/plain"),
            Map.entry("csv", "text/csv"), Map.entry("htm", "text/html"), Map.entry("html", "text/html"),
            Map.entry("css", "text/css"), Map.entry("md", "text/markdown"), Map.entry("ics", "text/calendar"),
            Map.entry("vcf", "text/vcard"), Map.entry("xml", "application/xml"), Map.entry("json", "application/json"),
            Map.entry("js", "text/javascript"), Map.entry("pdf", "application/pdf"),
            Map.entry("rtf", "application/rtf"), Map.entry("zip", "application/zip"),
            Map.entry("gz", "application/gzip"), Map.entry("tar", "application/x-tar"),
            Map.entry("7z", "application/x-7z-compressed"), Map.entry("rar", "application/vnd.rar"),
            Map.entry("doc", "application/msword"),
            Map.entry("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
            Map.entry("xls", "application/vnd.ms-excel"),
            Map.entry("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            Map.entry("ppt", "application/vnd.ms-powerpoint"),
            Map.entry("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
            Map.entry("odt", "application/vnd.oasis.opendocument.text"),
            Map.entry("ods", "application/vnd.oasis.opendocument.spreadsheet"),
            Map.entry("odp", "application/vnd.oasis.opendocument.presentation"),
            Map.entry("png", "image/png"), Map.entry("jpg", "image/jpeg"), Map.entry("jpeg", "image/jpeg"),
            Map.entry("gif", "image/gif"), Map.entry("bmp", "image/bmp"), Map.entry("webp", "image/webp"),
            Map.entry("svg", "image/svg+xml"), Map.entry("ico", "image/vnd.microsoft.icon"),
            Map.entry("tif", "image/tiff"), Map.entry("tiff", "image/tiff"),
            Map.entry("mp3", "audio/mpeg"), Map.entry("wav", "audio/wav"), Map.entry("ogg", "audio/ogg"),
            Map.entry("mp4", "video/mp4"), Map.entry("mpeg", "video/mpeg"), Map.entry("mov", "video/quicktime"),
            Map.entry("avi", "video/x-msvideo"), Map.entry("webm", "video/webm"));

    private final String name;
    private final String contentType;
    private final String contentId;
    private final ContentSource source;
    /** The file behind a file attachment, checked when the letter is built; null otherwise. */
    private final Path file;

    private Attachment(String name, String contentType, String contentId, ContentSource source, Path file) {
        this.name = name;
        this.contentType = contentType;
        this.contentId = contentId;
        this.source = source;
        this.file = file;
    }

    /**
     * An attachment from bytes, type guessed from the name.
     *
     * @param name the file name shown to the recipient
     * @param data the content; copied
     * @return the attachment
     */
    public static Attachment of(String name, byte[] data) {
        return of(name, data, null);
    }

    /**
     * An attachment from bytes.
     *
     * @param name        the file name shown to the recipient
     * @param data        the content; copied
     * @param contentType the MIME type, {@code null} to guess it from the name
     * @return the attachment
     */
    public static Attachment of(String name, byte[] data, String contentType) {
        checkName(name);
        if (data == null) {
            throw new InvalidLetterException(FIELD, "data of attachment " + Checks.quote(name) + " must not be null");
        }
        return new Attachment(name, type(contentType, name), null, new BytesSource(data.clone()), null);
    }

    /**
     * An attachment streamed from a file, named after the file, type guessed from the name.
     * The file is not read here; a missing file fails when the letter is built.
     *
     * @param file the file
     * @return the attachment
     */
    public static Attachment of(Path file) {
        return of(file, null, null);
    }

    /**
     * An attachment streamed from a file. The file is not read here; a missing file fails when the letter is built.
     *
     * @param file        the file
     * @param name        the file name shown to the recipient, {@code null} for the file's own name
     * @param contentType the MIME type, {@code null} to guess it from the name
     * @return the attachment
     */
    public static Attachment of(Path file, String name, String contentType) {
        if (file == null) {
            throw new InvalidLetterException(FIELD, "file must not be null");
        }
        String n = name;
        if (n == null) {
            Path fileName = file.getFileName();
            n = fileName == null ? null : fileName.toString();
        }
        checkName(n);
        return new Attachment(n, type(contentType, n), null, new FileSource(file), file);
    }

    /**
     * An attachment whose content comes from a source, opened each time the letter is written.
     *
     * @param name        the file name shown to the recipient
     * @param contentType the MIME type, {@code null} to guess it from the name
     * @param source      the content
     * @return the attachment
     */
    public static Attachment of(String name, String contentType, ContentSource source) {
        checkName(name);
        if (source == null) {
            throw new InvalidLetterException(FIELD, "source of attachment " + Checks.quote(name) + " must not be null");
        }
        return new Attachment(name, type(contentType, name), null, source, null);
    }

    /**
     * A copy of this attachment marked inline, to be referenced from the HTML body as {@code cid:contentId}.
     *
     * @param contentId the Content-ID without angle brackets, for example {@code logo@example.org}
     * @return the inline copy
     * @throws InvalidLetterException (field {@code "attachments"}) for a bad content id
     */
    public Attachment inline(String contentId) {
        checkContentId(contentId);
        return new Attachment(name, contentType, contentId, source, file);
    }

    /** @return the file name shown to the recipient */
    public String name() {
        return name;
    }

    /** @return the MIME type, for example {@code application/pdf} */
    public String contentType() {
        return contentType;
    }

    /** @return the Content-ID without angle brackets, or {@code null} unless inline */
    public String contentId() {
        return contentId;
    }

    /** @return whether this is an inline part (it has a content id) */
    public boolean isInline() {
        return contentId != null;
    }

    /** @return the content, opened lazily */
    public ContentSource source() {
        return source;
    }

    /** @return the content size in bytes, {@code -1} when unknown */
    public long size() {
        return source.size();
    }

    /** Checks this attachment when a letter is built: a file attachment's file must exist and be readable. */
    void validateForBuild() {
        checkName(name);
        if (contentId != null) {
            checkContentId(contentId);
        }
        if (file != null) {
            if (!Files.exists(file)) {
                throw new InvalidLetterException(FIELD, "file not found: " + Checks.quote(file));
            }
            if (!Files.isRegularFile(file)) {
                throw new InvalidLetterException(FIELD, "not a regular file: " + Checks.quote(file));
            }
            if (!Files.isReadable(file)) {
                throw new InvalidLetterException(FIELD, "file not readable: " + Checks.quote(file));
            }
        }
    }

    @Override
    public String toString() {
        return "Attachment[" + Checks.quote(name) + ", " + contentType
               + (contentId != null ? ", inline cid=" + contentId : "") + "]";
    }

    /**
     * Guesses a MIME type from a file name: a built-in table of common extensions, then the JDK's table,
     * else {@code application/octet-stream}.
     *
     * @param fileName a file name, may be null
     * @return the type, never null
     */
    static String guessContentType(String fileName) {
        if (fileName == null) {
            return DEFAULT_TYPE;
        }
        int dot = fileName.lastIndexOf('.');
        if (dot >= 0 && dot < fileName.length() - 1) {
            String known = TYPES.get(fileName.substring(dot + 1).toLowerCase(Locale.ROOT));
            if (known != null) {
                return known;
            }
        }
        String guessed = null;
        try {
            guessed = URLConnection.guessContentTypeFromName(fileName);
        } catch (RuntimeException e) {
            // odd names (e.g. with '#') can upset the JDK's parser: fall back to the default
        }
        if (guessed == null || !CONTENT_TYPE.matcher(guessed).matches()) {
            return DEFAULT_TYPE;
        }
        return guessed;
    }

    private static String type(String contentType, String name) {
        if (contentType == null) {
            return guessContentType(name);
        }
        Checks.noControl(FIELD, "content type", contentType, false);
        String ct = contentType.strip();
        if (!CONTENT_TYPE.matcher(ct).matches()) {
            throw new InvalidLetterException(FIELD, "content type must be type/subtype: " + Checks.quote(contentType));
        }
        if (ct.regionMatches(true, 0, "multipart/", 0, 10)) {
            throw new InvalidLetterException(FIELD, "an attachment cannot be multipart: " + Checks.quote(contentType));
        }
        return ct;
    }

    private static void checkName(String name) {
        if (name == null || name.isBlank()) {
            throw new InvalidLetterException(FIELD, "attachment name must not be empty");
        }
        Checks.noControl(FIELD, "attachment name", name, false);
    }

    private static void checkContentId(String contentId) {
        if (contentId == null || contentId.isEmpty()) {
            throw new InvalidLetterException(FIELD, "content id must not be empty");
        }
        Checks.noControl(FIELD, "content id", contentId, false);
        if (contentId.length() > MAX_CONTENT_ID) {
            throw new InvalidLetterException(FIELD, "content id longer than " + MAX_CONTENT_ID + " characters: "
                                                    + Checks.quote(contentId));
        }
        if (!Checks.isPrintableAscii(contentId, "<>\"\\")) {
            throw new InvalidLetterException(FIELD, "content id must be printable ASCII without spaces, "
                                                    + "quotes or angle brackets: " + Checks.quote(contentId));
        }
    }

    /** Content held in memory. */
    private static final class BytesSource implements ContentSource {
        private final byte[] data;

        BytesSource(byte[] data) {
            this.data = data;
        }

        @Override
        public InputStream open() {
            return new ByteArrayInputStream(data);
        }

        @Override
        public long size() {
            return data.length;
        }
    }

    /** Content streamed from a file, opened anew each time. */
    private static final class FileSource implements ContentSource {
        private final Path file;

        FileSource(Path file) {
            this.file = file;
        }

        @Override
        public InputStream open() throws IOException {
            return Files.newInputStream(file);
        }

        @Override
        public long size() {
            try {
                return Files.size(file);
            } catch (IOException e) {
                return -1;
            }
        }
    }
}
