package io.github.smtpletter.json;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.github.smtpletter.camel.SendResults;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Letters and results through Jackson 2 with the module found by ServiceLoader: no other glue. */
class LetterJacksonModuleTest {

    /** What users get from Jackson itself: modules registered in META-INF/services. */
    private final ObjectMapper mapper = new ObjectMapper().findAndRegisterModules();

    @TempDir
    Path dir;

    /** A mapper whose module accepts file attachments from {@link #dir}. */
    private ObjectMapper withAttachmentDirectory() {
        return new ObjectMapper().registerModule(new LetterJacksonModule(dir));
    }

    @Test
    void moduleIsFoundThroughTheServiceLoader() {
        assertTrue(ObjectMapper.findModules().stream().anyMatch(m -> m instanceof LetterJacksonModule));
        assertTrue(mapper.getRegisteredModuleIds().contains("letter-smtp"));
    }

    @Test
    void fullLetterRoundTrips() throws Exception {
        byte[] pdf = { '%', 'P', 'D', 'F', 0, 1, 2, (byte) 0xff };
        Letter letter = Letter.from("\"Shop, Inc.\" <shop@example.org>")
                .to("Ann <ann@example.org>", "bob@example.org")
                .cc("cc@example.org")
                .bcc("hidden@example.org")
                .replyTo("replies@example.org")
                .subject("Grüße – your order")
                .text("plain\nsecond line")
                .html("<p>html <img src=\"cid:logo@example.org\"></p>")
                .attach(Attachment.of("a.pdf", pdf, "application/pdf"))
                .attach(Attachment.of("logo.png", new byte[] { 1, 2, 3 }).inline("logo@example.org"))
                .header("X-Order", "42")
                .importance(Importance.HIGH)
                .readReceiptTo("Ann <ann@example.org>")
                .dsn(new DsnOptions(EnumSet.of(DsnNotify.FAILURE, DsnNotify.DELAY), DsnReturn.HEADERS, "env-1"))
                .messageId("order-42@example.org")
                .createdAt(Instant.parse("2025-03-01T10:15:30.123Z"))
                .build();

        String json = mapper.writeValueAsString(letter);
        Letter back = mapper.readValue(json, Letter.class);

        assertEquals(letter.from(), back.from());
        assertEquals("Shop, Inc.", back.from().displayName());
        assertEquals(letter.to(), back.to());
        assertEquals("Ann", back.to().get(0).displayName());
        assertEquals(letter.cc(), back.cc());
        assertEquals(letter.bcc(), back.bcc());
        assertEquals(letter.replyTo(), back.replyTo());
        assertEquals(letter.subject(), back.subject());
        assertEquals(letter.text(), back.text());
        assertEquals(letter.html(), back.html());
        assertEquals(letter.headers(), back.headers());
        assertEquals(Importance.HIGH, back.importance());
        assertEquals(letter.readReceiptTo(), back.readReceiptTo());
        assertEquals(letter.dsn(), back.dsn());
        assertEquals("order-42@example.org", back.messageId());
        assertEquals(letter.createdAt(), back.createdAt());
        assertEquals(2, back.attachments().size());
        Attachment a = back.attachments().get(0);
        assertEquals("a.pdf", a.name());
        assertEquals("application/pdf", a.contentType());
        assertFalse(a.isInline());
        try (var in = a.source().open()) {
            assertArrayEquals(pdf, in.readAllBytes());
        }
        assertEquals("logo@example.org", back.attachments().get(1).contentId());
        assertEquals("image/png", back.attachments().get(1).contentType());
        // and the same JSON again
        assertEquals(json, mapper.writeValueAsString(back));
    }

    @Test
    void letterIsWrittenInTheDocumentedShape() throws Exception {
        Letter letter = Letter.from("Shop <shop@example.org>").to("ann@example.org").subject("Hi").text("Hello")
                .attach(Attachment.of("a.txt", "abc".getBytes(StandardCharsets.UTF_8)))
                .messageId("1@example.org").createdAt(Instant.parse("2025-01-31T12:00:00Z")).build();
        JsonNode node = mapper.valueToTree(letter);
        assertEquals(List.of("from", "to", "cc", "bcc", "replyTo", "subject", "text", "importance", "headers",
                "attachments", "messageId", "createdAt"), names(node));
        assertEquals("Shop <shop@example.org>", node.get("from").asText());
        assertEquals("ann@example.org", node.get("to").get(0).asText());
        assertTrue(node.get("cc").isArray() && node.get("cc").isEmpty());
        assertEquals("NORMAL", node.get("importance").asText());
        assertEquals(Base64.getEncoder().encodeToString("abc".getBytes()),
                node.get("attachments").get(0).get("base64").asText());
        assertEquals("text/plain", node.get("attachments").get(0).get("contentType").asText());
        assertEquals("2025-01-31T12:00:00Z", node.get("createdAt").asText());
    }

    @Test
    void letterIsReadFromTheDocumentedShapeWithBase64AndPathAttachments() throws Exception {
        Path file = Files.writeString(dir.resolve("report.csv"), "q,total\nQ3,42\n");
        String json = """
                {"from": "Shop <shop@example.org>", "to": ["Ann <ann@example.org>"], "cc": [], "bcc": [],
                 "replyTo": [], "subject": "Report", "text": "Attached.", "html": "<p>Attached.</p>",
                 "importance": "HIGH", "headers": {"X-Order": "42"},
                 "attachments": [{"name": "a.pdf", "contentType": "application/pdf", "base64": "JVBERg=="},
                                 {"path": "%s"},
                                 {"name": "note.txt", "content": "straight text"}],
                 "messageId": "r-1@example.org"}
                """.formatted(file.toString().replace("\\", "\\\\"));
        Letter letter = withAttachmentDirectory().readValue(json, Letter.class);
        assertEquals("shop@example.org", letter.from().address());
        assertEquals("Ann", letter.to().get(0).displayName());
        assertEquals(Importance.HIGH, letter.importance());
        assertEquals(Map.of("X-Order", "42"), letter.headers());
        assertEquals("r-1@example.org", letter.messageId());
        assertEquals(3, letter.attachments().size());
        try (var in = letter.attachments().get(0).source().open()) {
            assertArrayEquals("%PDF".getBytes(), in.readAllBytes());
        }
        Attachment csv = letter.attachments().get(1);
        assertEquals("report.csv", csv.name());
        assertEquals("text/csv", csv.contentType());
        try (var in = csv.source().open()) {
            assertEquals("q,total\nQ3,42\n", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        try (var in = letter.attachments().get(2).source().open()) {
            assertEquals("straight text", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void filePathsFromJsonNeedTheAllowedFolderAndStayInsideIt() throws Exception {
        Path inside = Files.writeString(dir.resolve("ok.txt"), "ok");
        Path outsideDir = Files.createTempDirectory("outside");
        Path outside = Files.writeString(outsideDir.resolve("secret.txt"), "secret");
        String template = "{\"from\":\"a@example.org\",\"to\":\"b@example.org\",\"attachments\":[{\"path\":\"%s\"}]}";
        Exception refused = assertThrows(Exception.class,
                () -> mapper.readValue(template.formatted(inside.toString()), Letter.class));
        assertTrue(refused.getMessage().contains("attachment directory"), refused.getMessage());
        ObjectMapper allowing = withAttachmentDirectory();
        assertEquals(1, allowing.readValue(template.formatted(inside.toString()), Letter.class).attachments().size());
        Exception escaped = assertThrows(Exception.class,
                () -> allowing.readValue(template.formatted(outside.toString()), Letter.class));
        assertTrue(escaped.getMessage().contains("outside"), escaped.getMessage());
        Exception dotted = assertThrows(Exception.class, () -> allowing.readValue(
                template.formatted("../" + outsideDir.getFileName() + "/secret.txt"), Letter.class));
        assertTrue(dotted.getMessage().contains("outside"), dotted.getMessage());
    }

    @Test
    void minimalLetterAndCommaSeparatedRecipients() throws Exception {
        Letter letter = mapper.readValue("{\"from\":\"a@example.org\",\"to\":\"b@example.org, C <c@example.org>\"}",
                Letter.class);
        assertEquals(2, letter.to().size());
        assertNull(letter.subject());
        assertEquals(Importance.NORMAL, letter.importance());
    }

    @Test
    void invalidLetterFailsNamingTheField() {
        JsonMappingException e = assertThrows(JsonMappingException.class,
                () -> mapper.readValue("{\"to\":[\"b@example.org\"]}", Letter.class));
        InvalidLetterException cause = assertInstanceOf(InvalidLetterException.class, e.getCause());
        assertEquals("from", cause.field());
        assertTrue(e.getMessage().startsWith("Invalid letter field 'from'"), e.getMessage());

        e = assertThrows(JsonMappingException.class, () -> mapper.readValue(
                "{\"from\":\"a@example.org\",\"to\":[\"not an address\"]}", Letter.class));
        assertEquals("to", ((InvalidLetterException) e.getCause()).field());

        e = assertThrows(JsonMappingException.class, () -> mapper.readValue(
                "{\"from\":\"a@example.org\",\"to\":\"b@example.org\",\"subject\":\"x\\r\\nBcc: evil@example.org\"}",
                Letter.class));
        assertEquals("subject", ((InvalidLetterException) e.getCause()).field());

        e = assertThrows(JsonMappingException.class, () -> mapper.readValue(
                "{\"from\":\"a@example.org\",\"to\":\"b@example.org\",\"attachments\":[{\"name\":\"x\"}]}",
                Letter.class));
        assertEquals("attachments", ((InvalidLetterException) e.getCause()).field());

        e = assertThrows(JsonMappingException.class, () -> mapper.readValue(
                "{\"from\":\"a@example.org\",\"to\":\"b@example.org\",\"importance\":\"URGENT\"}", Letter.class));
        assertEquals("importance", ((InvalidLetterException) e.getCause()).field());

        // a letter is an object
        assertThrows(JsonMappingException.class, () -> mapper.readValue("\"hello\"", Letter.class));
    }

    @Test
    void unknownMembersFailUnlessTheMapperIgnoresThem() throws Exception {
        String json = "{\"from\":\"a@example.org\",\"to\":\"b@example.org\",\"bc\":\"c@example.org\"}";
        JsonMappingException e = assertThrows(JsonMappingException.class, () -> mapper.readValue(json, Letter.class));
        assertEquals("bc", ((InvalidLetterException) e.getCause()).field());

        ObjectMapper lenient = JsonMapper.builder().findAndAddModules()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
        assertEquals(1, lenient.readValue(json, Letter.class).recipients().size());
    }

    @Test
    void listOfLettersAndASingleOneAsAList() throws Exception {
        List<Letter> letters = mapper.readValue("[{\"from\":\"a@example.org\",\"to\":\"b@example.org\"},"
                                                + "{\"from\":\"a@example.org\",\"to\":\"c@example.org\"}]",
                new TypeReference<List<Letter>>() {
                });
        assertEquals(2, letters.size());
        ObjectMapper single = JsonMapper.builder().findAndAddModules()
                .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY).build();
        assertEquals(1, single.readValue("{\"from\":\"a@example.org\",\"to\":\"b@example.org\"}",
                new TypeReference<List<Letter>>() {
                }).size());
    }

    @Test
    void everyResultStatusRoundTrips() throws Exception {
        MailAddress ann = MailAddress.of("ann@example.org", "Ann");
        MailAddress bob = MailAddress.of("bob@example.org");
        RecipientFailure bobRefused = new RecipientFailure(bob, 550, "5.1.1", "No such user");
        SmtpReply queued = new SmtpReply(250, "2.0.0", List.of("Ok: queued as 4BX2"));
        List<SendResult> results = List.of(
                SendResult.sent("1@example.org", List.of(ann), List.of(), queued),
                SendResult.sent("2@example.org", List.of(ann), List.of(bobRefused), queued),
                SendResult.rejected("3@example.org", "refused", SmtpReply.of(554, "no thanks"), List.of(bobRefused)),
                SendResult.failed("4@example.org", "cannot connect", true),
                SendResult.failed("5@example.org", "535 bad credentials", false,
                        new SmtpReply(535, "5.7.8", List.of("Authentication failed")), List.of()),
                SendResult.unknown("6@example.org", "connection lost after data", List.of(ann), List.of()),
                SendResult.rejected(null, "Invalid letter field 'to': at least one recipient is required"));
        String json = mapper.writeValueAsString(new SendResults(results));
        List<SendResult> back = mapper.readValue(json, new TypeReference<List<SendResult>>() {
        });
        assertEquals(results.size(), back.size());
        for (int i = 0; i < results.size(); i++) {
            SendResult a = results.get(i);
            SendResult b = back.get(i);
            assertEquals(a.messageId(), b.messageId());
            assertEquals(a.status(), b.status());
            assertEquals(a.acceptedRecipients(), b.acceptedRecipients());
            assertEquals(a.rejectedRecipients(), b.rejectedRecipients());
            assertEquals(a.serverReply(), b.serverReply());
            assertEquals(a.queueId(), b.queueId());
            assertEquals(a.error(), b.error());
            assertEquals(a.isRetryable(), b.isRetryable());
        }
        assertEquals(json, mapper.writeValueAsString(back));
    }

    @Test
    void resultIsWrittenInTheDocumentedShape() throws Exception {
        SendResult r = SendResult.sent("2@example.org", List.of(MailAddress.of("ann@example.org")),
                List.of(new RecipientFailure(MailAddress.of("bob@example.org"), 550, "5.1.1", "No such user")),
                new SmtpReply(250, "2.0.0", List.of("Ok: queued as 4BX2")));
        JsonNode node = mapper.valueToTree(r);
        assertEquals(List.of("messageId", "status", "acceptedRecipients", "rejectedRecipients", "serverReply",
                "queueId", "error", "retryable"), names(node));
        assertEquals("PARTIALLY_SENT", node.get("status").asText());
        JsonNode rejected = node.get("rejectedRecipients").get(0);
        assertEquals("bob@example.org", rejected.get("recipient").asText());
        assertEquals(550, rejected.get("code").asInt());
        assertEquals("5.1.1", rejected.get("enhancedCode").asText());
        assertEquals("No such user", rejected.get("text").asText());
        assertEquals(250, node.get("serverReply").get("code").asInt());
        assertEquals("2.0.0", node.get("serverReply").get("enhancedCode").asText());
        assertEquals("Ok: queued as 4BX2", node.get("serverReply").get("text").asText());
        assertEquals("4BX2", node.get("queueId").asText());
        assertFalse(node.get("retryable").asBoolean());

        JsonNode sent = mapper.valueToTree(SendResult.sent("1@example.org", List.of(MailAddress.of("a@example.org")),
                List.of(), SmtpReply.of(250, "OK")));
        assertFalse(sent.has("error"));
        assertFalse(sent.has("queueId"));
        assertEquals("{\"code\":250,\"text\":\"OK\"}", sent.get("serverReply").toString());
    }

    @Test
    void smallValuesOnTheirOwn() throws Exception {
        assertEquals("\"Ann <ann@example.org>\"", mapper.writeValueAsString(MailAddress.of("ann@example.org", "Ann")));
        assertEquals(MailAddress.of("ann@example.org"), mapper.readValue("\"Ann <ann@example.org>\"",
                MailAddress.class));
        SmtpReply multi = new SmtpReply(250, null, List.of("first", "second"));
        assertEquals(multi, mapper.readValue(mapper.writeValueAsString(multi), SmtpReply.class));
        assertEquals(SendStatus.FAILED, mapper.readValue("\"FAILED\"", SendStatus.class));
        assertThrows(JsonMappingException.class, () -> mapper.readValue("\"not an address\"", MailAddress.class));
        assertThrows(JsonMappingException.class, () -> mapper.readValue("{\"status\":\"LOST\"}", SendResult.class));
    }

    private static List<String> names(JsonNode node) {
        List<String> out = new ArrayList<>();
        node.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
