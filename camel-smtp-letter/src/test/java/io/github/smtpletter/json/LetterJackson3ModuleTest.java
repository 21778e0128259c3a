package io.github.smtpletter.json;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.smtpletter.camel.SendResults;
import io.github.smtpletter.letter.Attachment;
import io.github.smtpletter.letter.Importance;
import io.github.smtpletter.letter.InvalidLetterException;
import io.github.smtpletter.letter.Letter;
import io.github.smtpletter.letter.MailAddress;
import io.github.smtpletter.smtp.RecipientFailure;
import io.github.smtpletter.smtp.SendResult;
import io.github.smtpletter.smtp.SmtpReply;
import org.junit.jupiter.api.Test;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Jackson 3 module, found as Spring Boot 4 finds modules: the same JSON as the Jackson 2 one. */
class LetterJackson3ModuleTest {

    private final JsonMapper mapper = JsonMapper.builder().findAndAddModules().build();

    @Test
    void sameJsonAsJackson2AndBack() throws Exception {
        Letter letter = Letter.from("Shop <shop@example.org>").to("Ann <ann@example.org>").cc("cc@example.org")
                .subject("Grüße").text("text").html("<p>html</p>").importance(Importance.LOW)
                .attach(Attachment.of("a.bin", new byte[] { 0, 1, 2, (byte) 0xfe }))
                .header("X-Order", "42").messageId("j3@example.org")
                .createdAt(Instant.parse("2025-01-31T12:00:00Z")).build();
        String json3 = mapper.writeValueAsString(letter);
        String json2 = new ObjectMapper().findAndRegisterModules()
                .writeValueAsString(letter);
        assertEquals(json2, json3);

        Letter back = mapper.readValue(json3, Letter.class);
        assertEquals(letter.to(), back.to());
        assertEquals("Ann", back.to().get(0).displayName());
        assertEquals(letter.subject(), back.subject());
        assertEquals(Importance.LOW, back.importance());
        assertEquals(letter.headers(), back.headers());
        try (var in = back.attachments().get(0).source().open()) {
            assertArrayEquals(new byte[] { 0, 1, 2, (byte) 0xfe }, in.readAllBytes());
        }
        assertEquals(json3, mapper.writeValueAsString(back));
    }

    @Test
    void resultsRoundTrip() {
        List<SendResult> results = List.of(
                SendResult.sent("1@example.org", List.of(MailAddress.of("a@example.org")),
                        List.of(new RecipientFailure(MailAddress.of("b@example.org"), 550, "5.1.1", "No such user")),
                        new SmtpReply(250, "2.0.0", List.of("Ok: queued as 4BX2"))),
                SendResult.failed("2@example.org", "cannot connect", true));
        String json = mapper.writeValueAsString(new SendResults(results));
        assertTrue(json.contains("\"queueId\":\"4BX2\""), json);
        List<SendResult> back = mapper.readValue(json, new TypeReference<List<SendResult>>() {
        });
        assertEquals(results.get(0).rejectedRecipients(), back.get(0).rejectedRecipients());
        assertEquals(results.get(0).serverReply(), back.get(0).serverReply());
        assertEquals(true, back.get(1).isRetryable());
        assertEquals(json, mapper.writeValueAsString(back));
    }

    @Test
    void invalidLetterNamesTheFieldAndUnknownMembersFollowTheMapper() {
        DatabindException e = assertThrows(DatabindException.class, () -> mapper.readValue(
                "{\"from\":\"a@example.org\",\"to\":[\"no address\"]}".getBytes(StandardCharsets.UTF_8),
                Letter.class));
        assertEquals("to", assertInstanceOf(InvalidLetterException.class, e.getCause()).field());

        String typo = "{\"from\":\"a@example.org\",\"to\":\"b@example.org\",\"bc\":\"c@example.org\"}";
        assertEquals(1, mapper.readValue(typo, Letter.class).recipients().size(), "Jackson 3 ignores by default");
        JsonMapper strict = JsonMapper.builder().findAndAddModules()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
        assertThrows(DatabindException.class, () -> strict.readValue(typo, Letter.class));
    }
}
