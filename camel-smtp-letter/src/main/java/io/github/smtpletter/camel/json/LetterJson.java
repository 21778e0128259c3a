package io.github.smtpletter.camel.json;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.github.smtpletter.letter.Attachment;
import io.github.smtpletter.letter.DsnNotify;
import io.github.smtpletter.letter.DsnOptions;
import io.github.smtpletter.letter.DsnReturn;
import io.github.smtpletter.letter.Importance;
import io.github.smtpletter.letter.InvalidLetterException;
import io.github.smtpletter.letter.Letter;
import io.github.smtpletter.letter.MailAddress;
import io.github.smtpletter.smtp.RecipientFailure;
import io.github.smtpletter.smtp.SendResult;
import io.github.smtpletter.smtp.SendStatus;
import io.github.smtpletter.smtp.SmtpReply;

/**
 * The JSON shapes of letters and results, as plain maps, lists, strings, numbers and booleans: the one place that
 * knows them. The Jackson modules ({@link LetterJacksonModule} for Jackson 2, {@link LetterJackson3Module} for
 * Jackson 3) only move these maps in and out of JSON, so the {@code letter} and {@code smtp} packages carry no JSON
 * annotations and both Jacksons write the same JSON.
 * <p>
 * A letter:
 * <pre>{@code
 * {"from": "Shop <shop@example.org>", "to": ["ann@example.org"], "cc": [], "bcc": [], "replyTo": [],
 *  "subject": "Hello", "text": "Hi", "html": "<p>Hi</p>", "importance": "HIGH",
 *  "headers": {"X-Order": "42"},
 *  "attachments": [{"name": "a.pdf", "contentType": "application/pdf", "base64": "JVBERi0..."},
 *                  {"path": "/data/report.csv"}],
 *  "messageId": "1234@example.org"}
 * }</pre>
 * Read: only {@code from} and one of {@code to}/{@code cc}/{@code bcc} are required; an address list may also be
 * one comma separated string. An attachment has a {@code name} and one of {@code base64}, {@code content} (text,
 * sent as UTF-8) or {@code path} (a file read when the letter is sent, only from the folder named by
 * {@link AttachmentPaths#PROPERTY}; name and type default from the file name);
 * {@code contentId} makes it an inline part. Also read and written: {@code readReceiptTo}, {@code dsn}
 * ({@code {"notify": ["FAILURE"], "ret": "HEADERS", "envelopeId": "x"}}), {@code createdAt} (ISO-8601 instant, the
 * Date header) and {@code raw} (a whole RFC 5322 message, base64). Written attachments always carry their content
 * as {@code base64} (a file attachment's file is read for it).
 * <p>
 * A result:
 * <pre>{@code
 * {"messageId": "1234@example.org", "status": "PARTIALLY_SENT", "acceptedRecipients": ["ann@example.org"],
 *  "rejectedRecipients": [{"recipient": "bob@example.org", "code": 550, "enhancedCode": "5.1.1",
 *                          "text": "No such user"}],
 *  "serverReply": {"code": 250, "enhancedCode": "2.0.0", "text": "Ok: queued as 4BX2"},
 *  "queueId": "4BX2", "error": "1 of 2 recipients refused: ...", "retryable": false}
 * }</pre>
 * {@code queueId} and, for SENT and PARTIALLY_SENT, {@code error} are derived when read, as {@link SendResult}
 * derives them.
 * <p>
 * Every reading method throws {@link InvalidLetterException} naming the field at fault.
 */
public final class LetterJson {

    /** The fields of a letter, in the order they are written. */
    public static final Set<String> LETTER_FIELDS = Set.of("from", "to", "cc", "bcc", "replyTo", "subject", "text",
            "html", "importance", "headers", "attachments", "messageId", "readReceiptTo", "dsn", "createdAt", "raw");
    /** The fields of an attachment. */
    public static final Set<String> ATTACHMENT_FIELDS = Set.of("name", "contentType", "contentId", "base64",
            "content", "path");
    /** The fields of a send result. */
    public static final Set<String> RESULT_FIELDS = Set.of("messageId", "status", "acceptedRecipients",
            "rejectedRecipients", "serverReply", "queueId", "error", "retryable");
    /** The fields of a recipient failure. */
    public static final Set<String> FAILURE_FIELDS = Set.of("recipient", "code", "enhancedCode", "text");
    /** The fields of an SMTP reply. */
    public static final Set<String> REPLY_FIELDS = Set.of("code", "enhancedCode", "text");
    /** The fields of DSN options. */
    public static final Set<String> DSN_FIELDS = Set.of("notify", "ret", "envelopeId");

    private LetterJson() {
    }

    // ---------------------------------------------------------------- writing

    /**
     * @param letter a letter
     * @return its JSON shape; attachment contents (and a raw message) are read and base64 encoded
     * @throws UncheckedIOException when an attachment's content cannot be read
     */
    public static Map<String, Object> fromLetter(Letter letter) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("from", letter.from().toString());
        m.put("to", addresses(letter.to()));
        m.put("cc", addresses(letter.cc()));
        m.put("bcc", addresses(letter.bcc()));
        m.put("replyTo", addresses(letter.replyTo()));
        putIfNotNull(m, "subject", letter.subject());
        putIfNotNull(m, "text", letter.text());
        putIfNotNull(m, "html", letter.html());
        m.put("importance", letter.importance().name());
        m.put("headers", new LinkedHashMap<>(letter.headers()));
        List<Object> attachments = new ArrayList<>();
        for (Attachment a : letter.attachments()) {
            attachments.add(fromAttachment(a));
        }
        m.put("attachments", attachments);
        m.put("messageId", letter.messageId());
        if (letter.readReceiptTo() != null) {
            m.put("readReceiptTo", letter.readReceiptTo().toString());
        }
        if (letter.dsn() != null) {
            m.put("dsn", fromDsn(letter.dsn()));
        }
        m.put("createdAt", letter.createdAt().toString());
        if (letter.raw() != null) {
            m.put("raw", base64(() -> letter.raw().open(), "raw"));
        }
        return m;
    }

    /**
     * @param attachment an attachment
     * @return {@code {"name", "contentType", "contentId" (inline only), "base64"}}
     * @throws UncheckedIOException when its content cannot be read
     */
    public static Map<String, Object> fromAttachment(Attachment attachment) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", attachment.name());
        m.put("contentType", attachment.contentType());
        putIfNotNull(m, "contentId", attachment.contentId());
        m.put("base64", base64(() -> attachment.source().open(), attachment.name()));
        return m;
    }

    /**
     * @param result a send result
     * @return its JSON shape (null members omitted, lists always present)
     */
    public static Map<String, Object> fromResult(SendResult result) {
        Map<String, Object> m = new LinkedHashMap<>();
        putIfNotNull(m, "messageId", result.messageId());
        m.put("status", result.status().name());
        m.put("acceptedRecipients", addresses(result.acceptedRecipients()));
        List<Object> rejected = new ArrayList<>();
        for (RecipientFailure f : result.rejectedRecipients()) {
            rejected.add(fromFailure(f));
        }
        m.put("rejectedRecipients", rejected);
        if (result.serverReply() != null) {
            m.put("serverReply", fromReply(result.serverReply()));
        }
        putIfNotNull(m, "queueId", result.queueId());
        putIfNotNull(m, "error", result.error());
        m.put("retryable", result.isRetryable());
        return m;
    }

    /**
     * @param failure a refused recipient
     * @return {@code {"recipient", "code", "enhancedCode", "text"}}
     */
    public static Map<String, Object> fromFailure(RecipientFailure failure) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("recipient", failure.recipient().toString());
        m.put("code", failure.code());
        putIfNotNull(m, "enhancedCode", failure.enhancedCode());
        putIfNotNull(m, "text", failure.text());
        return m;
    }

    /**
     * @param reply an SMTP reply
     * @return {@code {"code", "enhancedCode", "text"}}, the lines of a multi-line reply joined with {@code "\n"}
     */
    public static Map<String, Object> fromReply(SmtpReply reply) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("code", reply.code());
        putIfNotNull(m, "enhancedCode", reply.enhancedCode());
        m.put("text", reply.text());
        return m;
    }

    private static Map<String, Object> fromDsn(DsnOptions dsn) {
        Map<String, Object> m = new LinkedHashMap<>();
        List<Object> notify = new ArrayList<>();
        dsn.notifyOn().forEach(n -> notify.add(n.name()));
        m.put("notify", notify);
        if (dsn.ret() != null) {
            m.put("ret", dsn.ret().name());
        }
        putIfNotNull(m, "envelopeId", dsn.envelopeId());
        return m;
    }

    // ---------------------------------------------------------------- reading

    /**
     * Builds a letter from its JSON shape.
     *
     * @param map    the JSON object as a map
     * @param strict whether a member this shape does not know is an error (field named after the member)
     * @return the letter, validated
     * @throws InvalidLetterException naming the field at fault
     */
    public static Letter toLetter(Map<?, ?> map, boolean strict) {
        if (strict) {
            checkKnown(map, LETTER_FIELDS, "letter");
        }
        Letter.Builder b = Letter.builder();
        String from = string(map, "from");
        if (from != null) {
            b.sender(from);
        }
        List<MailAddress> list;
        if (!(list = addressList(map, "to")).isEmpty()) {
            b.to(list);
        }
        if (!(list = addressList(map, "cc")).isEmpty()) {
            b.cc(list);
        }
        if (!(list = addressList(map, "bcc")).isEmpty()) {
            b.bcc(list);
        }
        if (!(list = addressList(map, "replyTo")).isEmpty()) {
            b.replyTo(list);
        }
        b.subject(string(map, "subject"));
        b.text(string(map, "text"));
        b.html(string(map, "html"));
        String importance = string(map, "importance");
        if (importance != null) {
            b.importance(enumValue(Importance.class, importance, "importance"));
        }
        Object headers = map.get("headers");
        if (headers != null) {
            if (!(headers instanceof Map<?, ?> h)) {
                throw new InvalidLetterException("headers", "expected an object of header names to string values, got "
                                                            + kind(headers));
            }
            for (Map.Entry<?, ?> e : h.entrySet()) {
                Object v = e.getValue();
                if (v != null && !(v instanceof String) && !(v instanceof Number) && !(v instanceof Boolean)) {
                    throw new InvalidLetterException("headers", "header '" + e.getKey() + "': expected a string, got "
                                                                + kind(v));
                }
                b.header(String.valueOf(e.getKey()), v == null ? "" : v.toString());
            }
        }
        Object attachments = map.get("attachments");
        if (attachments != null) {
            if (!(attachments instanceof List<?> l)) {
                throw new InvalidLetterException("attachments", "expected an array of attachments, got "
                                                                + kind(attachments));
            }
            for (Object a : l) {
                if (!(a instanceof Map<?, ?> am)) {
                    throw new InvalidLetterException("attachments", "expected an attachment object, got " + kind(a));
                }
                b.attach(toAttachment(am, strict));
            }
        }
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
            b.dsn(toDsn(dm, strict));
        }
        String createdAt = string(map, "createdAt");
        if (createdAt != null) {
            try {
                b.createdAt(Instant.parse(createdAt));
            } catch (DateTimeParseException e) {
                throw new InvalidLetterException("createdAt", "expected an ISO-8601 instant such as"
                                                              + " 2025-01-31T12:00:00Z, got '" + createdAt + "'");
            }
        }
        String raw = string(map, "raw");
        if (raw != null) {
            byte[] bytes = decodeBase64(raw, "raw", "raw message");
            b.raw(() -> new ByteArrayInputStream(bytes));
        }
        return b.build();
    }

    /**
     * Builds an attachment from its JSON shape.
     *
     * @param map    the JSON object
     * @param strict whether unknown members are an error
     * @return the attachment
     * @throws InvalidLetterException (field {@code "attachments"})
     */
    public static Attachment toAttachment(Map<?, ?> map, boolean strict) {
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
            throw new InvalidLetterException("attachments", "attachment " + (name == null ? "" : "'" + name + "' ")
                                                            + "needs exactly one of base64, content or path");
        }
        Attachment att;
        if (path != null) {
            Path file = AttachmentPaths.resolve(path);
            att = Attachment.of(file, name != null ? name : String.valueOf(file.getFileName()), type);
        } else {
            if (name == null) {
                throw new InvalidLetterException("attachments", "an attachment with base64 or content needs a name");
            }
            byte[] data;
            if (base64 != null) {
                data = decodeBase64(base64, "attachments", "attachment '" + name + "'");
            } else if (content instanceof String s) {
                data = s.getBytes(StandardCharsets.UTF_8);
            } else {
                throw new InvalidLetterException("attachments", "attachment '" + name
                                                                + "': content must be a string, got " + kind(content));
            }
            att = Attachment.of(name, data, type);
        }
        String cid = string(map, "contentId", "attachments");
        return cid == null ? att : att.inline(cid);
    }

    /**
     * Builds a send result from its JSON shape.
     *
     * @param map    the JSON object
     * @param strict whether unknown members are an error
     * @return the result
     * @throws InvalidLetterException naming the member at fault
     */
    public static SendResult toResult(Map<?, ?> map, boolean strict) {
        if (strict) {
            checkKnown(map, RESULT_FIELDS, "result");
        }
        String messageId = string(map, "messageId");
        String statusText = string(map, "status");
        if (statusText == null) {
            throw new InvalidLetterException("status", "a result needs a status (SENT, PARTIALLY_SENT, REJECTED,"
                                                       + " FAILED or UNKNOWN)");
        }
        SendStatus status = enumValue(SendStatus.class, statusText, "status");
        List<MailAddress> accepted = addressList(map, "acceptedRecipients");
        List<RecipientFailure> rejected = new ArrayList<>();
        Object r = map.get("rejectedRecipients");
        if (r != null) {
            if (!(r instanceof List<?> l)) {
                throw new InvalidLetterException("rejectedRecipients", "expected an array, got " + kind(r));
            }
            for (Object o : l) {
                if (!(o instanceof Map<?, ?> fm)) {
                    throw new InvalidLetterException("rejectedRecipients", "expected an object, got " + kind(o));
                }
                rejected.add(toFailure(fm, strict));
            }
        }
        SmtpReply reply = null;
        Object sr = map.get("serverReply");
        if (sr != null) {
            if (!(sr instanceof Map<?, ?> rm)) {
                throw new InvalidLetterException("serverReply", "expected an object, got " + kind(sr));
            }
            reply = toReply(rm, strict);
        }
        String error = string(map, "error");
        Object retryable = map.get("retryable");
        if (retryable != null && !(retryable instanceof Boolean)) {
            throw new InvalidLetterException("retryable", "expected true or false, got " + kind(retryable));
        }
        boolean retry = Boolean.TRUE.equals(retryable);
        return switch (status) {
            case SENT, PARTIALLY_SENT -> SendResult.sent(messageId, accepted, rejected, reply);
            case REJECTED -> SendResult.rejected(messageId, error, reply, rejected);
            case FAILED -> SendResult.failed(messageId, error, retry, reply, rejected);
            case UNKNOWN -> SendResult.unknown(messageId, error, accepted, rejected);
        };
    }

    /**
     * Builds a recipient failure from its JSON shape.
     *
     * @param map    the JSON object
     * @param strict whether unknown members are an error
     * @return the failure
     */
    public static RecipientFailure toFailure(Map<?, ?> map, boolean strict) {
        if (strict) {
            checkKnown(map, FAILURE_FIELDS, "rejectedRecipients");
        }
        String recipient = string(map, "recipient", "rejectedRecipients");
        if (recipient == null) {
            throw new InvalidLetterException("rejectedRecipients", "a recipient failure needs a recipient");
        }
        MailAddress address = address(recipient, "rejectedRecipients");
        return new RecipientFailure(address, integer(map, "code", "rejectedRecipients"),
                string(map, "enhancedCode", "rejectedRecipients"), string(map, "text", "rejectedRecipients"));
    }

    /**
     * Builds an SMTP reply from its JSON shape ({@code text} is split into lines at {@code "\n"}).
     *
     * @param map    the JSON object
     * @param strict whether unknown members are an error
     * @return the reply
     */
    public static SmtpReply toReply(Map<?, ?> map, boolean strict) {
        if (strict) {
            checkKnown(map, REPLY_FIELDS, "serverReply");
        }
        int code = integer(map, "code", "serverReply");
        String text = string(map, "text", "serverReply");
        try {
            return new SmtpReply(code, string(map, "enhancedCode", "serverReply"),
                    text == null ? List.of() : List.of(text.split("\n", -1)));
        } catch (IllegalArgumentException e) {
            throw new InvalidLetterException("serverReply", e.getMessage());
        }
    }

    /**
     * Parses one address written as {@code "Name <a@b>"} or {@code "a@b"}.
     *
     * @param text  the text
     * @param field the field to name in an error
     * @return the address
     */
    public static MailAddress address(String text, String field) {
        try {
            return MailAddress.parse(text);
        } catch (InvalidLetterException e) {
            throw new InvalidLetterException(field, e.reason());
        }
    }

    private static DsnOptions toDsn(Map<?, ?> map, boolean strict) {
        if (strict) {
            checkKnown(map, DSN_FIELDS, "dsn");
        }
        Set<DsnNotify> notify = EnumSet.noneOf(DsnNotify.class);
        Object n = map.get("notify");
        if (n instanceof String s) {
            notify.add(enumValue(DsnNotify.class, s, "dsn"));
        } else if (n instanceof List<?> l) {
            for (Object o : l) {
                if (!(o instanceof String s)) {
                    throw new InvalidLetterException("dsn", "notify: expected strings, got " + kind(o));
                }
                notify.add(enumValue(DsnNotify.class, s, "dsn"));
            }
        } else if (n != null) {
            throw new InvalidLetterException("dsn", "notify: expected an array of SUCCESS, FAILURE, DELAY or NEVER,"
                                                    + " got " + kind(n));
        }
        String ret = string(map, "ret", "dsn");
        return new DsnOptions(notify, ret == null ? null : enumValue(DsnReturn.class, ret, "dsn"),
                string(map, "envelopeId", "dsn"));
    }

    // ---------------------------------------------------------------- helpers

    private static List<Object> addresses(List<MailAddress> list) {
        List<Object> out = new ArrayList<>(list.size());
        list.forEach(a -> out.add(a.toString()));
        return out;
    }

    private static List<MailAddress> addressList(Map<?, ?> map, String key) {
        Object v = map.get(key);
        if (v == null) {
            return List.of();
        }
        if (v instanceof String s) {
            try {
                return MailAddress.parseList(s);
            } catch (InvalidLetterException e) {
                throw new InvalidLetterException(key, e.reason());
            }
        }
        if (!(v instanceof List<?> l)) {
            throw new InvalidLetterException(key, "expected an array of addresses, got " + kind(v));
        }
        List<MailAddress> out = new ArrayList<>(l.size());
        for (Object o : l) {
            if (!(o instanceof String s)) {
                throw new InvalidLetterException(key, "expected an address string such as \"Name <a@b>\", got "
                                                      + kind(o));
            }
            out.add(address(s, key));
        }
        return out;
    }

    private static String string(Map<?, ?> map, String key) {
        return string(map, key, key);
    }

    private static String string(Map<?, ?> map, String key, String field) {
        Object v = map.get(key);
        if (v == null || v instanceof String) {
            return (String) v;
        }
        throw new InvalidLetterException(field, (field.equals(key) ? "" : key + ": ") + "expected a string, got "
                                                + kind(v));
    }

    private static int integer(Map<?, ?> map, String key, String field) {
        Object v = map.get(key);
        if (v instanceof Integer || v instanceof Short || v instanceof Long l && l == l.intValue()) {
            return ((Number) v).intValue();
        }
        throw new InvalidLetterException(field, key + ": expected an integer, got " + kind(v));
    }

    private static <E extends Enum<E>> E enumValue(Class<E> type, String text, String field) {
        try {
            return Enum.valueOf(type, text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidLetterException(field, "'" + text + "' is not one of "
                                                    + java.util.Arrays.toString(type.getEnumConstants()));
        }
    }

    private static void checkKnown(Map<?, ?> map, Set<String> known, String field) {
        for (Object k : map.keySet()) {
            if (!known.contains(String.valueOf(k))) {
                throw new InvalidLetterException(String.valueOf(k), "unknown " + field + " member; known: "
                                                                    + new java.util.TreeSet<>(known));
            }
        }
    }

    private static byte[] decodeBase64(String text, String field, String what) {
        try {
            return Base64.getMimeDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidLetterException(field, what + ": base64 is invalid");
        }
    }

    private static String kind(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof Map) {
            return "an object";
        }
        if (v instanceof List) {
            return "an array";
        }
        if (v instanceof String) {
            return "a string";
        }
        if (v instanceof Number) {
            return "a number";
        }
        if (v instanceof Boolean) {
            return "a boolean";
        }
        return v.getClass().getSimpleName();
    }

    private static void putIfNotNull(Map<String, Object> m, String key, Object value) {
        if (value != null) {
            m.put(key, value);
        }
    }

    @FunctionalInterface
    private interface Opener {
        InputStream open() throws IOException;
    }

    private static String base64(Opener opener, String what) {
        try (InputStream in = opener.open()) {
            return Base64.getEncoder().encodeToString(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the content of " + what + ": " + e.getMessage(), e);
        }
    }
}
