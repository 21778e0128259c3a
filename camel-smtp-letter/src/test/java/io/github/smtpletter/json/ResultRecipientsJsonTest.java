package io.github.smtpletter.json;

import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.github.smtpletter.camel.SendResults;
import io.github.smtpletter.letter.Letter;
import io.github.smtpletter.letter.MailAddress;
import io.github.smtpletter.smtp.RecipientFailure;
import io.github.smtpletter.smtp.SendResult;
import io.github.smtpletter.smtp.SmtpReply;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.json.JsonMapper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * A letter to {@code Ann <ann@example.org>} through a route: its result names {@code ann@example.org}, the address the
 * server was told in {@code RCPT TO}, in Java and in the JSON of both Jackson modules (byte for byte the same).
 */
class ResultRecipientsJsonTest extends CamelTestSupport {

    @RegisterExtension
    static final GreenMailExtension GREEN_MAIL = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    private final ObjectMapper jackson2 = new ObjectMapper().findAndRegisterModules();
    private final JsonMapper jackson3 = JsonMapper.builder().findAndAddModules().build();

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:send").to("letter-smtp:127.0.0.1:" + GREEN_MAIL.getSmtp().getPort());
            }
        };
    }

    @Test
    void aRecipientWithADisplayNameComesBackAsTheEnvelopeAddress() throws Exception {
        Letter letter = Letter.from("Shop <shop@example.org>").to("Ann <ann@example.org>").subject("hi").text("x")
                .messageId("ann-1@example.org").build();
        List<?> body = template.requestBody("direct:send", letter, List.class);
        SendResult result = (SendResult) body.get(0);
        assertEquals(List.of("ann@example.org"), result.acceptedRecipients().stream().map(MailAddress::toString)
                .toList());
        assertNull(result.acceptedRecipients().get(0).displayName());

        String json2 = jackson2.writeValueAsString(body);
        String json3 = jackson3.writeValueAsString(body);
        assertEquals(json2, json3);
        assertEquals("[\"ann@example.org\"]", jackson2.readTree(json2).get(0).get("acceptedRecipients").toString(),
                json2);
    }

    @Test
    void theJsonOfAResultNeverCarriesADisplayName() throws Exception {
        SendResults results = new SendResults(List.of(SendResult.sent("1@example.org",
                List.of(MailAddress.of("ann@example.org", "Ann")),
                List.of(new RecipientFailure(MailAddress.of("bob@example.org", "Bob"), 550, "5.1.1", "No such user")),
                SmtpReply.of(250, "ok"))));
        String json2 = jackson2.writeValueAsString(results);
        assertEquals(json2, jackson3.writeValueAsString(results));
        assertEquals("[{\"messageId\":\"1@example.org\",\"status\":\"PARTIALLY_SENT\","
                     + "\"acceptedRecipients\":[\"ann@example.org\"],\"rejectedRecipients\":[{\"recipient\":"
                     + "\"bob@example.org\",\"code\":550,\"enhancedCode\":\"5.1.1\",\"text\":\"No such user\"}],"
                     + "\"serverReply\":{\"code\":250,\"text\":\"ok\"},\"error\":\"1 of 2 recipients refused: "
                     + "bob@example.org: 550 5.1.1 No such user\",\"retryable\":false}]", json2);
        // read back, a display name given in JSON is dropped as well
        String withNames = json2.replace("[\"ann@example.org\"]", "[\"Ann <ann@example.org>\"]")
                .replace("\"recipient\":\"bob@example.org\"", "\"recipient\":\"Bob <bob@example.org>\"");
        SendResult back2 = jackson2.readValue(withNames, SendResult[].class)[0];
        SendResult back3 = jackson3.readValue(withNames, SendResult[].class)[0];
        assertEquals(json2, jackson2.writeValueAsString(new SendResults(List.of(back2))));
        assertEquals(json2, jackson3.writeValueAsString(new SendResults(List.of(back3))));
    }
}
