package io.github.smtpletter.quarkus.it;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;

import io.github.smtpletter.camel.LetterSmtpComponent;
import io.github.smtpletter.camel.LetterSmtpConfiguration;
import io.github.smtpletter.camel.SendResults;
import io.github.smtpletter.letter.Letter;
import io.github.smtpletter.smtp.SendStatus;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** letter-smtp: in a Quarkus application (JVM mode), sending to an in-process GreenMail. */
@QuarkusTest
@WithTestResource(GreenMailResource.class)
class LetterSmtpGreenMailTest {

    @Inject
    CamelContext camelContext;

    @Inject
    ProducerTemplate producer;

    @Test
    void sendsLettersThroughTheRouteAndAnswersOneResultPerLetter() throws Exception {
        Letter first = Letter.from("app@example.org").to("alice@example.org").subject("First from Quarkus")
                .text("One letter, one result.").build();
        Letter second = Letter.from("app@example.org").to("bob@example.org", "carol@example.org")
                .subject("Second from Quarkus").text("Two recipients.").build();

        Object body = producer.requestBody("direct:send", List.of(first, second));

        SendResults results = assertInstanceOf(SendResults.class, body);
        assertEquals(2, results.size());
        assertTrue(results.allSent(), results::toString);
        assertEquals(SendStatus.SENT, results.get(0).status());
        assertEquals(List.of("alice@example.org"), results.get(0).acceptedRecipients().stream()
                .map(Object::toString).toList());
        assertEquals(2, results.get(1).acceptedRecipients().size());
        assertNotNull(results.get(0).serverReply());
        assertEquals(250, results.get(0).serverReply().code());

        assertTrue(GreenMailResource.greenMail().waitForIncomingEmail(10_000, 3), "GreenMail got 3 deliveries");
        MimeMessage[] received = GreenMailResource.greenMail().getReceivedMessages();
        assertTrue(List.of(received).stream().anyMatch(m -> subject(m).equals("First from Quarkus")));
    }

    @Test
    void mapLettersTakeTheComponentDefaultsFromApplicationProperties() throws Exception {
        Object body = producer.requestBody("direct:send",
                Map.of("from", "app@example.org", "to", "dave@example.org", "text", "No subject given."));

        SendResults results = assertInstanceOf(SendResults.class, body);
        assertEquals(1, results.sentCount(), results::toString);
        await().atMost(Duration.ofSeconds(10)).until(() -> List.of(GreenMailResource.greenMail().getReceivedMessages())
                .stream().anyMatch(m -> subject(m).equals("(no subject)")));
    }

    @Test
    void jsonLettersInJsonResultsOutThroughTheJacksonModule() {
        String json = "{\"from\":\"app@example.org\",\"to\":[\"frank@example.org\"],"
                      + "\"subject\":\"JSON from Quarkus\",\"text\":\"Read by LetterJacksonModule.\"}";

        String answer = producer.requestBody("direct:json", json, String.class);

        assertTrue(answer.startsWith("[{"), answer);
        assertTrue(answer.contains("\"status\":\"SENT\""), answer);
        assertTrue(answer.contains("frank@example.org"), answer);
    }

    @Test
    void componentOptionsAreBoundFromApplicationProperties() {
        LetterSmtpComponent component = camelContext.getComponent("letter-smtp", LetterSmtpComponent.class);
        LetterSmtpConfiguration configuration = component.getConfiguration();

        assertEquals(20_000L, configuration.getReadTimeout());
        assertEquals("(no subject)", configuration.getSubject());
        assertEquals(false, configuration.isFailOnNotSent());
        assertEquals(true, configuration.isAllowPlaintextAuth());
        assertEquals(GreenMailResource.USER, configuration.getUsername());
        assertEquals("PLAIN", configuration.getAuthMechanism());
    }

    @Test
    void producerHealthCheckIsUpInQuarkusReadiness() {
        Map<String, Object> camelChecks = given().when().get("/q/health/ready")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .extract().jsonPath().getMap("checks.find { it.name == 'camel-readiness' }.data");

        List<String> producerChecks = camelChecks.keySet().stream()
                .filter(id -> id.startsWith("producer:letter-smtp-127.0.0.1:")).toList();
        assertEquals(1, producerChecks.size(), camelChecks::toString);
        assertEquals("UP", camelChecks.get(producerChecks.get(0)));
    }

    @Test
    void noExchangeIsLeftInFlightAfterSending() {
        Letter letter = Letter.from("app@example.org").to("erin@example.org").subject("In flight")
                .text("Nothing stays in flight.").build();
        SendResults results = producer.requestBody("direct:send", letter, SendResults.class);

        assertEquals(1, results.sentCount(), results::toString);
        await().atMost(Duration.ofSeconds(10)).until(() -> camelContext.getInflightRepository().size() == 0);
    }

    private static String subject(MimeMessage message) {
        try {
            return String.valueOf(message.getSubject());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
