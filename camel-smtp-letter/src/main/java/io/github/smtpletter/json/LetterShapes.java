package io.github.smtpletter.json;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.smtpletter.letter.Attachment;
import io.github.smtpletter.letter.DsnOptions;
import io.github.smtpletter.letter.Letter;

import static io.github.smtpletter.json.ShapeValues.addresses;
import static io.github.smtpletter.json.ShapeValues.base64;
import static io.github.smtpletter.json.ShapeValues.putIfNotNull;

/**
 * Writes letters and attachments in their JSON shape, as plain maps, lists and strings ({@link LetterMapReader}
 * reads them back):
 * <pre>{@code
 * {"from": "Shop <shop@example.org>", "to": ["ann@example.org"], "cc": [], "bcc": [], "replyTo": [],
 *  "subject": "Hello", "text": "Hi", "html": "<p>Hi</p>", "importance": "HIGH",
 *  "headers": {"X-Order": "42"},
 *  "attachments": [{"name": "a.pdf", "contentType": "application/pdf", "base64": "JVBERi0..."}],
 *  "messageId": "1234@example.org", "createdAt": "2025-01-31T12:00:00Z"}
 * }</pre>
 * Written attachments always carry their content as {@code base64} (a file attachment's file is read for it); a raw
 * message is written as {@code raw}, base64.
 */
final class LetterShapes {

    private LetterShapes() {
    }

    /**
     * @param  letter               a letter
     * @return                      its JSON shape; attachment contents (and a raw message) are read and base64 encoded
     * @throws UncheckedIOException when an attachment's content cannot be read
     */
    static Map<String, Object> fromLetter(Letter letter) {
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
     * @param  attachment           an attachment
     * @return                      {@code {"name", "contentType", "contentId" (inline only), "base64"}}
     * @throws UncheckedIOException when its content cannot be read
     */
    static Map<String, Object> fromAttachment(Attachment attachment) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", attachment.name());
        m.put("contentType", attachment.contentType());
        putIfNotNull(m, "contentId", attachment.contentId());
        m.put("base64", base64(() -> attachment.source().open(), attachment.name()));
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
}
