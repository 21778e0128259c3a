package io.github.smtpletter.quarkus.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import io.github.smtpletter.camel.SendResults;
import io.github.smtpletter.letter.Letter;
import io.github.smtpletter.smtp.SendResult;
import io.github.smtpletter.smtp.SendStatus;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * letter-smtp: in a Quarkus application against the real Postfix with Cyrus SASL, authenticating with CRAM-MD5.
 * Runs only with {@code -Dpostfix.tests=true}, as root, with the packages of {@code .ci/postfix/install.sh}.
 */
@QuarkusTest
@WithTestResource(PostfixResource.class)
@Tag("postfix")
@EnabledIfSystemProperty(named = "postfix.tests", matches = "true",
                         disabledReason = "needs the real Postfix: run `mvn -B verify -Dpostfix.tests=true` as root "
                                          + "with Postfix installed (.ci/postfix/install.sh), or `bash .ci/run`")
class LetterSmtpPostfixTest {

    @Inject
    ProducerTemplate producer;

    @Test
    void sendsWithCramMd5AndPostfixDeliversTheLetter() throws IOException {
        Letter letter = Letter.from("app@example.org").to("alice@example.org", "nobody@reject.example")
                .subject("Quarkus to Postfix").text("CRAM-MD5 from a Quarkus route.").build();

        SendResults results = producer.requestBody("direct:send", letter, SendResults.class);

        assertEquals(1, results.size());
        SendResult result = results.get(0);
        assertEquals(SendStatus.PARTIALLY_SENT, result.status(), result::toString);
        assertEquals(1, result.rejectedRecipients().size());
        assertEquals(550, result.rejectedRecipients().get(0).code());
        assertNotNull(result.queueId(), result::toString);

        Path delivered = PostfixResource.instanceDir().resolve("delivered").resolve(result.queueId() + ".eml");
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.isRegularFile(delivered));
        assertEquals(List.of("X-Envelope-To: <alice@example.org>"), headerLines(delivered, "X-Envelope-To:"));
    }

    @Test
    void producerHealthCheckAuthenticatesWithCramMd5() {
        given().when().get("/q/health/ready")
                .then().statusCode(200)
                .body("status", equalTo("UP"));
    }

    private static List<String> headerLines(Path file, String prefix) throws IOException {
        try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
            return lines.takeWhile(line -> !line.isEmpty()).filter(line -> line.startsWith(prefix)).toList();
        }
    }
}
