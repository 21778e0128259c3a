package io.github.smtpletter.json;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import io.github.smtpletter.letter.Attachment;
import io.github.smtpletter.letter.Checks;
import io.github.smtpletter.letter.DsnNotify;
import io.github.smtpletter.letter.DsnOptions;
import io.github.smtpletter.letter.DsnReturn;
import io.github.smtpletter.letter.Importance;
import io.github.smtpletter.letter.InvalidLetterException;
import io.github.smtpletter.letter.Letter;
import io.github.smtpletter.letter.MailAddress;

import static io.github.smtpletter.json.ShapeValues.addressList;
import static io.github.smtpletter.json.ShapeValues.checkKnown;
import static io.github.smtpletter.json.ShapeValues.decodeBase64;
import static io.github.smtpletter.json.ShapeValues.enumValue;
import static io.github.smtpletter.json.ShapeValues.kind;
import static io.github.smtpletter.json.ShapeValues.string;

/**
 * Reads a letter from a map: the one reader behind the JSON modules and the {@code letter-smtp} component's
 * {@code Map} bodies, so both follow the same rules.
 * <p>
 * Members (all optional to the reader; the letter itself needs {@code from} and one recipient):
 * <ul>
 * <li>{@code from}: one address, as text ({@code "Name <a@b>"} or {@code "a@b"}) or a {@code MailAddress};</li>
 * <li>{@code to}, {@code cc}, {@code bcc}, {@code replyTo}: a comma separated string, or a list (JSON array) of
 * addresses as text or {@code MailAddress};</li>
 * <li>{@code subject}, {@code text}, {@code html}, {@code messageId}, {@code readReceiptTo}: strings (numbers and
 * booleans are taken as their text);</li>
 * <li>{@code importance}: LOW, NORMAL or HIGH, in any case;</li>
 * <li>{@code headers}: a map of extra header names to strings (numbers and booleans as their text; null as
 * empty);</li>
 * <li>{@code attachments}: a list of attachment maps (or {@code Attachment} objects). An attachment map has a
 * {@code name}, an optional {@code contentType} and {@code contentId} (which makes it an inline part) and exactly one
 * of {@code base64} (a string), {@code content} (a string sent as UTF-8, or a {@code byte[]}) or {@code path} (a file
 * read when the letter is sent; name and type default from the file). A path is accepted only inside the attachment
 * directory given to the reader, and refused when there is none; it is checked again when the file is opened, so a
 * file swapped for a link to one elsewhere is not read;</li>
 * <li>{@code dsn}: {@code {"notify": ["FAILURE"], "ret": "HEADERS", "envelopeId": "x"}};</li>
 * <li>{@code createdAt}: an ISO-8601 instant (or an {@code Instant}), the Date header;</li>
 * <li>{@code raw}: a whole RFC 5322 message, base64 (or a {@code byte[]}), sent as it is.</li>
 * </ul>
 * A member whose value is {@code null} counts as absent. A strict reader refuses members it does not know, naming
 * them; a lenient one ignores them. Every error is an {@link InvalidLetterException} naming the field at fault.
 * <p>
 * Immutable and thread-safe.
 */
public final class LetterMapReader {

    /** The members of a letter, in the order they are written. */
    static final Set<String> LETTER_FIELDS = Set.of("from", "to", "cc", "bcc", "replyTo", "subject", "text", "html",
            "importance", "headers", "attachments", "messageId", "readReceiptTo", "dsn", "createdAt", "raw");
    /** The members of an attachment. */
    static final Set<String> ATTACHMENT_FIELDS = Set.of("name", "contentType", "contentId", "base64", "content",
            "path");
    /** The members of DSN options. */
    static final Set<String> DSN_FIELDS = Set.of("notify", "ret", "envelopeId");

    private final AttachmentDirectory attachmentDirectory;
    private final boolean strict;

    /**
     * @param attachmentDirectory the one folder whose files {@code path} attachments may name, {@code null} to refuse
     *                            file paths
     * @param strict              whether a member this reader does not know is an error
     */
    public LetterMapReader(Path attachmentDirectory, boolean strict) {
        this.attachmentDirectory = AttachmentDirectory.of(attachmentDirectory);
        this.strict = strict;
    }

    /**
     * Builds a letter from its map.
     *
     * @param  map                    the map (a JSON object)
     * @return                        the letter, validated
     * @throws InvalidLetterException naming the field at fault
     */
    public Letter read(Map<?, ?> map) {
        return read(map, key -> null);
    }

    /**
     * Builds a letter from its map, taking {@code from}, {@code to}, {@code cc}, {@code bcc}, {@code replyTo} and
     * {@code subject} from {@code fallback} when the map lacks them.
     *
     * @param  map                    the map (a JSON object)
     * @param  fallback               gives the value of one of those members by name, or {@code null}
     * @return                        the letter, validated
     * @throws InvalidLetterException naming the field at fault
     */
    public Letter read(Map<?, ?> map, Function<String, Object> fallback) {
        if (strict) {
            checkKnown(map, LETTER_FIELDS, "letter");
        }
        Letter.Builder b = Letter.builder();
        Object from = value(map, "from", fallback);
        if (from instanceof Collection<?> c && c.size() == 1) {
            from = c.iterator().next();
        }
        if (from != null) {
            b.sender(ShapeValues.address(from, "from"));
        }
        List<MailAddress> list;
        if (!(list = addressList(value(map, "to", fallback), "to")).isEmpty()) {
            b.to(list);
        }
        if (!(list = addressList(value(map, "cc", fallback), "cc")).isEmpty()) {
            b.cc(list);
        }
        if (!(list = addressList(value(map, "bcc", fallback), "bcc")).isEmpty()) {
            b.bcc(list);
        }
        if (!(list = addressList(value(map, "replyTo", fallback), "replyTo")).isEmpty()) {
            b.replyTo(list);
        }
        b.subject(string(value(map, "subject", fallback), "subject", "subject"));
        b.text(string(map, "text"));
        b.html(string(map, "html"));
        if (map.get("importance") != null) {
            b.importance(enumValue(Importance.class, map.get("importance"), "importance"));
        }
        readHeaders(map.get("headers"), b);
        readAttachments(map.get("attachments"), b);
        b.messageId(string(map, "messageId"));
        String receipt = string(map, "readReceiptTo");
        if (receipt != null) {
            b.readReceiptTo(receipt);
        }
        Object dsn = map.get("dsn");
        if (dsn != null) {
            if (!(dsn instanceof Map<?, ?> dm)) {
                throw new InvalidLetterException("dsn", "expected an object, got " + kind(dsn));
            }
            b.dsn(readDsn(dm));
        }
        readCreatedAt(map.get("createdAt"), b);
        Object raw = map.get("raw");
        if (raw != null) {
            byte[] bytes = raw instanceof byte[] r ? r : decodeBase64(string(raw, "raw", "raw"), "raw", "raw message");
            b.raw(() -> new ByteArrayInputStream(bytes));
        }
        return b.build();
    }

    /**
     * Builds an attachment from its map.
     *
     * @param  map                    the map (a JSON object)
     * @return                        the attachment
     * @throws InvalidLetterException (field {@code "attachments"})
     */
    public Attachment readAttachment(Map<?, ?> map) {
        if (strict) {
            checkKnown(map, ATTACHMENT_FIELDS, "attachments");
        }
        String name = string(map, "name", "attachments");
        String type = string(map, "contentType", "attachments");
        String path = string(map, "path", "attachments");
        String base64 = string(map, "base64", "attachments");
        Object content = map.get("content");
        int sources = (path != null ? 1 : 0) + (base64 != null ? 1 : 0) + (content != null ? 1 : 0);
        if (sources != 1) {
            throw new InvalidLetterException("attachments", "attachment " + (name == null ? "" : Checks.quote(name)
                                                                                                 + " ")
                                                            + "needs exactly one of base64, content or path");
        }
        Attachment att;
        if (path != null) {
            AttachmentDirectory.ConfinedFile file = attachmentDirectory.resolve(path);
            att = Attachment.of(name != null ? name : String.valueOf(file.fileName()), type, file);
        } else {
            if (name == null) {
                throw new InvalidLetterException("attachments", "an attachment with base64 or content needs a name");
            }
            byte[] data;
            if (base64 != null) {
                data = decodeBase64(base64, "attachments", "attachment " + Checks.quote(name));
            } else if (content instanceof String s) {
                data = s.getBytes(StandardCharsets.UTF_8);
            } else if (content instanceof byte[] bytes) {
                data = bytes;
            } else {
                throw new InvalidLetterException("attachments", "attachment " + Checks.quote(name)
                                                                + ": content must be a string, got " + kind(content));
            }
            att = Attachment.of(name, data, type);
        }
        String cid = string(map, "contentId", "attachments");
        return cid == null ? att : att.inline(cid);
    }

    private static Object value(Map<?, ?> map, String key, Function<String, Object> fallback) {
        Object v = map.get(key);
        return v != null ? v : fallback.apply(key);
    }

    private static void readHeaders(Object headers, Letter.Builder b) {
        if (headers == null) {
            return;
        }
        if (!(headers instanceof Map<?, ?> h)) {
            throw new InvalidLetterException("headers", "expected an object of header names to string values, got "
                                                        + kind(headers));
        }
        for (Map.Entry<?, ?> e : h.entrySet()) {
            Object v = e.getValue();
            if (v != null && !(v instanceof String) && !(v instanceof Number) && !(v instanceof Boolean)) {
                throw new InvalidLetterException("headers", "header " + Checks.quote(String.valueOf(e.getKey()))
                                                            + ": expected a string, got "
                                                            + kind(v));
            }
            b.header(String.valueOf(e.getKey()), v == null ? "" : v.toString());
        }
    }

    private void readAttachments(Object attachments, Letter.Builder b) {
        if (attachments == null) {
            return;
        }
        if (!(attachments instanceof Collection<?> l)) {
            throw new InvalidLetterException("attachments", "expected an array of attachments, got "
                                                            + kind(attachments));
        }
        for (Object a : l) {
            if (a instanceof Attachment att) {
                b.attach(att);
            } else if (a instanceof Map<?, ?> am) {
                b.attach(readAttachment(am));
            } else {
                throw new InvalidLetterException("attachments", "expected an attachment object, got " + kind(a));
            }
        }
    }

    private static void readCreatedAt(Object createdAt, Letter.Builder b) {
        if (createdAt instanceof Instant instant) {
            b.createdAt(instant);
        } else if (createdAt != null) {
            String text = string(createdAt, "createdAt", "createdAt");
            try {
                b.createdAt(Instant.parse(text));
            } catch (DateTimeParseException e) {
                throw new InvalidLetterException("createdAt", "expected an ISO-8601 instant such as"
                                                              + " 2025-01-31T12:00:00Z, got " + Checks.quote(text));
            }
        }
    }

    private DsnOptions readDsn(Map<?, ?> map) {
        if (strict) {
            checkKnown(map, DSN_FIELDS, "dsn");
        }
        Set<DsnNotify> notify = EnumSet.noneOf(DsnNotify.class);
        Object n = map.get("notify");
        if (n instanceof Collection<?> l) {
            for (Object o : l) {
                if (!(o instanceof String) && !(o instanceof DsnNotify)) {
                    throw new InvalidLetterException("dsn", "notify: expected strings, got " + kind(o));
                }
                notify.add(enumValue(DsnNotify.class, o, "dsn"));
            }
        } else if (n instanceof String || n instanceof DsnNotify) {
            notify.add(enumValue(DsnNotify.class, n, "dsn"));
        } else if (n != null) {
            throw new InvalidLetterException("dsn", "notify: expected an array of SUCCESS, FAILURE, DELAY or NEVER,"
                                                    + " got " + kind(n));
        }
        Object ret = map.get("ret");
        return new DsnOptions(notify, ret == null ? null : enumValue(DsnReturn.class, ret, "dsn"),
                string(map, "envelopeId", "dsn"));
    }
}
