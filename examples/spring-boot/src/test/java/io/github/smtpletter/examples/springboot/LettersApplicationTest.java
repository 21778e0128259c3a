package io.github.smtpletter.examples.springboot;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.github.smtpletter.camel.LetterSmtpComponent;
import io.github.smtpletter.camel.LetterSmtpConfiguration;
import io.github.smtpletter.letter.Letter;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Boots the application on a random port against GreenMail and posts letters as a client would. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class LettersApplicationTest {

    @RegisterExtension
    static final GreenMailExtension GREEN_MAIL = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("boot", "boot-secret"))
            .withPerMethodLifecycle(false);

    @DynamicPropertySource
    static void smtp(DynamicPropertyRegistry registry) {
        registry.add("smtp.host", () -> "127.0.0.1");
        registry.add("smtp.port", () -> GREEN_MAIL.getSmtp().getPort());
        registry.add("smtp.auth", () -> "PLAIN");
        registry.add("smtp.username", () -> "boot");
        registry.add("smtp.password", () -> "boot-secret");
        registry.add("smtp.allow-plaintext-auth", () -> "true");
        registry.add("letters.api.password", () -> API_PASSWORD);
    }

    private static final String API_PASSWORD = "api-secret";
    private static final String CREDENTIALS = basic("letters", API_PASSWORD);

    @LocalServerPort
    int port;

    @Autowired
    CamelContext camelContext;

    /** Spring Boot's own (Jackson 3) mapper, as a Spring MVC controller would use it. */
    @Autowired
    JsonMapper springJsonMapper;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper mapper = new ObjectMapper();

    @BeforeEach
    void purge() throws Exception {
        GREEN_MAIL.purgeEmailFromAllMailboxes();
    }

    @Value("${server.address}")
    String serverAddress;

    private HttpResponse<String> post(String path, String json) throws Exception {
        return post(path, json, CREDENTIALS);
    }

    private HttpResponse<String> post(String path, String json, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> health(String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/actuator/health")).timeout(Duration.ofSeconds(30));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The value of {@code letter.smtp.letters} for this server and status, through /actuator/metrics. */
    private double lettersMetric(String status) throws Exception {
        HttpResponse<String> response = get("/actuator/metrics/letter.smtp.letters?tag=server:127.0.0.1:"
                                            + GREEN_MAIL.getSmtp().getPort() + "&tag=status:" + status, CREDENTIALS);
        assertEquals(200, response.statusCode(), response.body());
        JsonNode metric = mapper.readTree(response.body());
        assertEquals("COUNT", metric.get("measurements").get(0).get("statistic").asText(), response.body());
        return metric.get("measurements").get(0).get("value").asDouble();
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static final String LETTER = "{\"from\":\"shop@example.org\",\"to\":[\"ann@example.org\"],\"subject\":\"One\",\"text\":\"1\"}";

    @Test
    void postedLettersAreSentAndTheResultsComeBackAsJson() throws Exception {
        HttpResponse<String> response = post("/letters", """
                [{"from": "Shop <shop@example.org>", "to": ["Ann <ann@example.org>"], "subject": "Your order",
                  "text": "Thanks!", "html": "<p>Thanks!</p>", "importance": "HIGH",
                  "headers": {"X-Order": "42"}, "messageId": "order-42@example.org",
                  "attachments": [{"name": "receipt.txt", "contentType": "text/plain", "base64": "UGFpZC4="}]},
                 {"from": "shop@example.org", "to": "bob@example.org", "cc": ["carol@example.org"],
                  "subject": "Second", "text": "Two recipients"}]
                """);

        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        JsonNode results = mapper.readTree(response.body());
        assertEquals(2, results.size(), response.body());
        assertEquals("order-42@example.org", results.get(0).get("messageId").asText());
        for (JsonNode r : results) {
            assertEquals("SENT", r.get("status").asText(), response.body());
            assertEquals(250, r.get("serverReply").get("code").asInt());
            assertEquals(0, r.get("rejectedRecipients").size());
            assertFalse(r.get("retryable").asBoolean());
        }
        assertEquals("[\"bob@example.org\",\"carol@example.org\"]", results.get(1).get("acceptedRecipients")
                .toString());

        assertTrue(GREEN_MAIL.waitForIncomingEmail(10_000, 3));
        MimeMessage[] received = GREEN_MAIL.getReceivedMessages();
        assertEquals(3, received.length);
        MimeMessage first = received[0];
        assertEquals("Your order", first.getSubject());
        assertEquals("<order-42@example.org>", first.getMessageID());
        assertEquals("42", first.getHeader("X-Order")[0]);
        assertTrue(first.getContent() instanceof MimeMultipart);
    }

    @Test
    void aSingleLetterObjectIsEnough() throws Exception {
        HttpResponse<String> response = post("/letters", LETTER);
        assertEquals(200, response.statusCode(), response.body());
        assertEquals(1, mapper.readTree(response.body()).size());
        assertTrue(GREEN_MAIL.waitForIncomingEmail(10_000, 1));
        assertEquals("One", GREEN_MAIL.getReceivedMessages()[0].getSubject());
    }

    @Test
    void anInvalidLetterIsA400NamingTheFieldAndNothingIsSent() throws Exception {
        HttpResponse<String> response = post("/letters",
                "{\"from\":\"shop@example.org\",\"to\":[\"carol(at)example.org\"],\"subject\":\"Bad\"}");
        assertEquals(400, response.statusCode(), response.body());
        String error = mapper.readTree(response.body()).get("error").asText();
        assertTrue(error.startsWith("Invalid letter field 'to'"), error);
        assertEquals(0, GREEN_MAIL.getReceivedMessages().length);
    }

    @Test
    void componentOptionsComeFromApplicationYml() {
        LetterSmtpConfiguration config = camelContext.getComponent("letter-smtp", LetterSmtpComponent.class)
                .getConfiguration();
        assertEquals("PLAIN", config.getAuthMechanism());
        assertEquals("boot", config.getUsername());
        assertTrue(config.isAllowPlaintextAuth());
        assertEquals(20_000, config.getReadTimeout());
        assertFalse(config.isFailOnNotSent());
    }

    @Test
    void springBootsJackson3MapperKnowsLettersAndResultsToo() throws Exception {
        // found through META-INF/services (spring.jackson.find-and-add-modules): @RequestBody Letter would work
        Letter letter = springJsonMapper.readValue(
                "{\"from\":\"shop@example.org\",\"to\":[\"Ann <ann@example.org>\"],\"subject\":\"Hi\"}",
                Letter.class);
        assertEquals("Ann", letter.to().get(0).displayName());
        List<?> results = camelContext.createProducerTemplate()
                .requestBody("letter-smtp:{{smtp.host}}:{{smtp.port}}", letter, List.class);
        JsonNode viaSpring = mapper.readTree(springJsonMapper.writeValueAsString(results));
        assertEquals("SENT", viaSpring.get(0).get("status").asText(), viaSpring.toString());
        assertEquals(letter.messageId(), viaSpring.get(0).get("messageId").asText());
    }

    @Test
    void withoutCredentialsALetterIsRefusedWith401AndNothingIsSent() throws Exception {
        HttpResponse<String> anonymous = post("/letters", LETTER, null);
        assertEquals(401, anonymous.statusCode(), anonymous.body());
        assertTrue(anonymous.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic"),
                anonymous.headers().toString());
        HttpResponse<String> wrongPassword = post("/letters", LETTER, basic("letters", "guess"));
        assertEquals(401, wrongPassword.statusCode(), wrongPassword.body());
        HttpResponse<String> wrongUser = post("/letters", LETTER, basic("admin", API_PASSWORD));
        assertEquals(401, wrongUser.statusCode(), wrongUser.body());
        assertEquals(0, GREEN_MAIL.getReceivedMessages().length);
    }

    @Test
    void sentLettersShowInActuatorMetricsAndPrometheus() throws Exception {
        double sentBefore = lettersMetric("SENT");
        HttpResponse<String> response = post("/letters", "[" + LETTER + "," + LETTER.replace("One", "Two") + "]");
        assertEquals(200, response.statusCode(), response.body());

        assertEquals(sentBefore + 2, lettersMetric("SENT"));
        assertEquals(0, lettersMetric("FAILED"));
        HttpResponse<String> names = get("/actuator/metrics", CREDENTIALS);
        for (String name : List.of("letter.smtp.letters", "letter.smtp.recipients", "letter.smtp.bytes",
                "letter.smtp.auth.failures", "letter.smtp.letter.time", "letter.smtp.pool.connections",
                "letter.smtp.pool.waiting")) {
            assertTrue(names.body().contains("\"" + name + "\""), name + " in " + names.body());
        }

        HttpResponse<String> prometheus = get("/actuator/prometheus", CREDENTIALS);
        assertEquals(200, prometheus.statusCode(), prometheus.body());
        String server = "server=\"127.0.0.1:" + GREEN_MAIL.getSmtp().getPort() + "\"";
        assertTrue(prometheus.body().lines().anyMatch(l -> l.startsWith("letter_smtp_letters_total{")
                                                           && l.contains(server) && l.contains("status=\"SENT\"")),
                prometheus.body());
        assertTrue(prometheus.body().contains("letter_smtp_pool_connections{"), prometheus.body());
        assertFalse(prometheus.body().contains("boot-secret"));
        assertFalse(prometheus.body().contains("ann@example.org"), "no meter is tagged by recipient");
    }

    @Test
    void metricsNeedTheApiAccount() throws Exception {
        assertEquals(401, get("/actuator/metrics/letter.smtp.letters", null).statusCode());
        assertEquals(401, get("/actuator/prometheus", null).statusCode());
    }

    @Test
    void theServerListensOnLoopbackOnly() {
        assertEquals("127.0.0.1", serverAddress);
    }

    @Test
    void withoutAPasswordTheApplicationRefusesToStart() {
        LettersSecurity security = new LettersSecurity();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> security.lettersUser(
                new LettersApiProperties(null, null), security.passwordEncoder()));
        assertTrue(e.getMessage().startsWith("letters.api.password is not set"), e.getMessage());
        assertEquals("LettersApiProperties[username=letters, password=***]",
                new LettersApiProperties(null, API_PASSWORD).toString());
    }

    @Test
    void healthShowsTheProducerCheckUpToTheApiUser() throws Exception {
        HttpResponse<String> response = health(CREDENTIALS);
        assertEquals(200, response.statusCode(), response.body());
        JsonNode health = mapper.readTree(response.body());
        assertEquals("UP", health.get("status").asText(), response.body());
        assertTrue(response.body().contains("producer:letter-smtp-127.0.0.1:" + GREEN_MAIL.getSmtp().getPort()),
                response.body());
        assertFalse(response.body().contains("boot-secret"), response.body());
    }

    @Test
    void healthShowsOnlyTheStatusWithoutCredentials() throws Exception {
        HttpResponse<String> response = health(null);
        assertEquals(200, response.statusCode(), response.body());
        JsonNode health = mapper.readTree(response.body());
        assertEquals("UP", health.get("status").asText(), response.body());
        assertFalse(health.has("components"), response.body());
        assertFalse(health.has("details"), response.body());
        assertFalse(response.body().contains("letter-smtp"), response.body());
        assertFalse(response.body().contains(String.valueOf(GREEN_MAIL.getSmtp().getPort())), response.body());
    }
}
