package io.github.smtpletter.json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.smtpletter.letter.InvalidLetterException;
import io.github.smtpletter.letter.MailAddress;
import io.github.smtpletter.smtp.RecipientFailure;
import io.github.smtpletter.smtp.SendResult;
import io.github.smtpletter.smtp.SendStatus;
import io.github.smtpletter.smtp.SmtpReply;

import static io.github.smtpletter.json.ShapeValues.addressList;
import static io.github.smtpletter.json.ShapeValues.checkKnown;
import static io.github.smtpletter.json.ShapeValues.enumValue;
import static io.github.smtpletter.json.ShapeValues.integer;
import static io.github.smtpletter.json.ShapeValues.kind;
import static io.github.smtpletter.json.ShapeValues.putIfNotNull;
import static io.github.smtpletter.json.ShapeValues.string;

/**
 * The JSON shapes of send results, refused recipients and SMTP replies, as plain maps:
 * <pre>{@code
 * {"messageId": "1234@example.org", "status": "PARTIALLY_SENT", "acceptedRecipients": ["ann@example.org"],
 *  "rejectedRecipients": [{"recipient": "bob@example.org", "code": 550, "enhancedCode": "5.1.1",
 *                          "text": "No such user"}],
 *  "serverReply": {"code": 250, "enhancedCode": "2.0.0", "text": "Ok: queued as 4BX2"},
 *  "queueId": "4BX2", "error": "1 of 2 recipients refused: ...", "retryable": false}
 * }</pre>
 * Recipients are the envelope addresses as sent in {@code RCPT TO}, never with a display name (one given when read
 * is dropped). {@code queueId} and, for SENT and PARTIALLY_SENT, {@code error} are derived when read, as
 * {@link SendResult} derives them. Every reading method throws {@link InvalidLetterException} naming the member at
 * fault.
 */
final class ResultShapes {

    static final Set<String> RESULT_FIELDS = Set.of("messageId", "status", "acceptedRecipients",
            "rejectedRecipients", "serverReply", "queueId", "error", "retryable");
    static final Set<String> FAILURE_FIELDS = Set.of("recipient", "code", "enhancedCode", "text");
    static final Set<String> REPLY_FIELDS = Set.of("code", "enhancedCode", "text");

    private ResultShapes() {
    }

    /** A result's shape: null members omitted, lists always present. */
    static Map<String, Object> fromResult(SendResult result) {
        Map<String, Object> m = new LinkedHashMap<>();
        putIfNotNull(m, "messageId", result.messageId());
        m.put("status", result.status().name());
        List<Object> accepted = new ArrayList<>();
        result.acceptedRecipients().forEach(a -> accepted.add(a.address()));
        m.put("acceptedRecipients", accepted);
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

    /** {@code {"recipient", "code", "enhancedCode", "text"}}. */
    static Map<String, Object> fromFailure(RecipientFailure failure) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("recipient", failure.recipient().address());
        m.put("code", failure.code());
        putIfNotNull(m, "enhancedCode", failure.enhancedCode());
        putIfNotNull(m, "text", failure.text());
        return m;
    }

    /** {@code {"code", "enhancedCode", "text"}}, the lines of a multi-line reply joined with {@code "\n"}. */
    static Map<String, Object> fromReply(SmtpReply reply) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("code", reply.code());
        putIfNotNull(m, "enhancedCode", reply.enhancedCode());
        m.put("text", reply.text());
        return m;
    }

    static SendResult toResult(Map<?, ?> map, boolean strict) {
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
        List<MailAddress> accepted = addressList(map.get("acceptedRecipients"), "acceptedRecipients");
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

    static RecipientFailure toFailure(Map<?, ?> map, boolean strict) {
        if (strict) {
            checkKnown(map, FAILURE_FIELDS, "rejectedRecipients");
        }
        String recipient = string(map, "recipient", "rejectedRecipients");
        if (recipient == null) {
            throw new InvalidLetterException("rejectedRecipients", "a recipient failure needs a recipient");
        }
        MailAddress address = ShapeValues.address(recipient, "rejectedRecipients");
        return new RecipientFailure(address, integer(map, "code", "rejectedRecipients"),
                string(map, "enhancedCode", "rejectedRecipients"), string(map, "text", "rejectedRecipients"));
    }

    /** Reads an SMTP reply; {@code text} is split into lines at {@code "\n"}. */
    static SmtpReply toReply(Map<?, ?> map, boolean strict) {
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
}
