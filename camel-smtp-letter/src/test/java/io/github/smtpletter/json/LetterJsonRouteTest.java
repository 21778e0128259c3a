package io.github.smtpletter.json;

import java.util.List;

import jakarta.mail.internet.MimeMessage;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.github.smtpletter.letter.Letter;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.jackson.JacksonDataFormat;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** JSON in, letters sent, JSON out, with camel-jackson configured only by naming the module. */
class LetterJsonRouteTest extends CamelTestSupport {

    @RegisterExtension
    static final GreenMailExtension GREEN_MAIL = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                JacksonDataFormat letters = new JacksonDataFormat(Letter.class);
                letters.useList();
                letters.enableFeature(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY);
                letters.setModuleClassNames(LetterJacksonModule.class.getName());
                JacksonDataFormat results = new JacksonDataFormat();
                results.setModuleClassNames(LetterJacksonModule.class.getName());

                from("direct:json")
                        .unmarshal(letters)
                        .to("letter-smtp:127.0.0.1:" + GREEN_MAIL.getSmtp().getPort() + "?failOnNotSent=false")
                        .marshal(results)
                        .convertBodyTo(String.class);
            }
        };
    }

    @Test
    void jsonLettersInJsonResultsOut() throws Exception {
        String json = """
                [{"from": "Shop <shop@example.org>", "to": ["ann@example.org"], "subject": "One",
                  "text": "first", "messageId": "one@example.org",
                  "attachments": [{"name": "a.txt", "base64": "aGVsbG8="}]},
                 {"from": "shop@example.org", "to": "bob@example.org", "subject": "Two", "html": "<b>second</b>"}]
                """;
        String answer = template.requestBody("direct:json", json, String.class);

        JsonNode results = new ObjectMapper().readTree(answer);
        assertEquals(2, results.size(), answer);
        assertEquals("one@example.org", results.get(0).get("messageId").asText());
        for (JsonNode r : results) {
            assertEquals("SENT", r.get("status").asText(), answer);
            assertEquals(250, r.get("serverReply").get("code").asInt(), answer);
            assertEquals(1, r.get("acceptedRecipients").size());
            assertEquals(0, r.get("rejectedRecipients").size());
            assertEquals(false, r.get("retryable").asBoolean());
        }
        assertTrue(GREEN_MAIL.waitForIncomingEmail(5000, 2));
        MimeMessage[] received = GREEN_MAIL.getReceivedMessages();
        List<String> subjects = List.of(received[0].getSubject(), received[1].getSubject());
        assertTrue(subjects.containsAll(List.of("One", "Two")), subjects.toString());
    }

    @Test
    void aSingleLetterObjectIsAListOfOne() throws Exception {
        String answer = template.requestBody("direct:json",
                "{\"from\":\"shop@example.org\",\"to\":\"ann@example.org\",\"text\":\"solo\"}", String.class);
        JsonNode results = new ObjectMapper().readTree(answer);
        assertEquals(1, results.size());
        assertEquals("SENT", results.get(0).get("status").asText());
        assertTrue(GREEN_MAIL.waitForIncomingEmail(5000, 1));
    }
}
