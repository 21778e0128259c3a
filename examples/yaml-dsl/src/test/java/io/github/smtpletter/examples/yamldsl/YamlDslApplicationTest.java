package io.github.smtpletter.examples.yamldsl;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import jakarta.mail.internet.MimeMessage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The YAML route, loaded by Camel Main as the application loads it, against GreenMail. */
class YamlDslApplicationTest {

    @RegisterExtension
    static final GreenMailExtension GREEN_MAIL = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("alice", "yaml-secret"));

    @TempDir
    Path dir;

    private Path inbox;
    private Path outbox;
    private Main main;

    @BeforeEach
    void startMain() throws Exception {
        inbox = Files.createDirectories(dir.resolve("inbox"));
        outbox = dir.resolve("outbox");
        main = new Main();
        YamlDslApplication.useEmbeddedServer(main, GREEN_MAIL.getSmtp().getPort(), "alice", "yaml-secret");
        main.addOverrideProperty("letters.inbox", inbox.toString());
        main.addOverrideProperty("letters.outbox", outbox.toString());
        main.start();
    }

    @AfterEach
    void stopMain() {
        main.stop();
    }

    private void drop(String name, String json) throws Exception {
        Path part = dir.resolve(name + ".part");
        Files.writeString(part, json, StandardCharsets.UTF_8);
        Files.move(part, inbox.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    private void dropAndWait(String name, String json) throws Exception {
        NotifyBuilder done = new NotifyBuilder(main.getCamelContext()).fromRoute("letters-from-files").whenDone(1)
                .create();
        drop(name, json);
        assertTrue(done.matches(30, TimeUnit.SECONDS), "the route handled " + name);
    }

    @Test
    void aFileOfLettersBecomesAResultsFileAndMail() throws Exception {
        String json = new String(YamlDslApplication.class.getResourceAsStream("/samples/orders.json").readAllBytes(),
                StandardCharsets.UTF_8);
        dropAndWait("orders.json", json);

        JsonNode results = new ObjectMapper().readTree(outbox.resolve("orders.results.json").toFile());
        assertEquals(2, results.size(), results.toString());
        assertEquals("order-1001@example.org", results.get(0).get("messageId").asText());
        assertEquals("order-1002@example.org", results.get(1).get("messageId").asText());
        for (JsonNode r : results) {
            assertEquals("SENT", r.get("status").asText(), r.toString());
            assertEquals(250, r.get("serverReply").get("code").asInt());
            assertFalse(r.get("retryable").asBoolean());
        }
        assertEquals("[\"bob@example.org\",\"sales@example.org\"]", results.get(0).get("acceptedRecipients")
                .toString());

        assertTrue(GREEN_MAIL.waitForIncomingEmail(5000, 3));
        MimeMessage[] received = GREEN_MAIL.getReceivedMessages();
        assertEquals(3, received.length, "bob and sales for 1001, carol for 1002");
        assertEquals("Order 1001 shipped", received[0].getSubject());
        assertTrue(Files.exists(inbox.resolve(".done").resolve("orders.json")), "the input is moved aside");
    }

    @Test
    void aSingleLetterObjectWithAnAttachment() throws Exception {
        String json = new String(YamlDslApplication.class.getResourceAsStream("/samples/welcome.json").readAllBytes(),
                StandardCharsets.UTF_8);
        dropAndWait("welcome.json", json);

        JsonNode results = new ObjectMapper().readTree(outbox.resolve("welcome.results.json").toFile());
        assertEquals(1, results.size());
        assertEquals("SENT", results.get(0).get("status").asText());
        // "Ann <ann@example.org>" in the letter: the result names what went in RCPT TO
        assertEquals("[\"ann@example.org\"]", results.get(0).get("acceptedRecipients").toString());
        assertTrue(GREEN_MAIL.waitForIncomingEmail(5000, 1));
        MimeMessage m = GREEN_MAIL.getReceivedMessages()[0];
        assertEquals("Welcome", m.getSubject());
        assertEquals(results.get(0).get("messageId").asText(), m.getMessageID().replaceAll("[<>]", ""));
        assertEquals("welcome", m.getHeader("X-Campaign")[0]);
    }

    @Test
    void anInvalidLetterGetsAnErrorFileAndNothingIsSent() throws Exception {
        dropAndWait("broken.json", "[{\"from\": \"shop@example.org\", \"to\": [\"ann@example.org\"]},"
                                   + " {\"from\": \"shop@example.org\", \"to\": [\"carol(at)example.org\"]}]");

        String error = Files.readString(outbox.resolve("broken.error.txt"));
        assertTrue(error.contains("Invalid letter field 'to'"), error);
        assertFalse(Files.exists(outbox.resolve("broken.results.json")));
        assertEquals(0, GREEN_MAIL.getReceivedMessages().length, Arrays.toString(GREEN_MAIL.getReceivedMessages()));
    }
}
