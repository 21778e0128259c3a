package io.github.smtpletter.quarkus.it;

import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import io.github.smtpletter.camel.SendResults;
import io.github.smtpletter.letter.Letter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Micrometer in a Quarkus application (quarkus-micrometer with the Prometheus registry): the component finds the
 * application's {@code MeterRegistry} (a CDI bean) in Camel's registry and binds the letter-smtp meters to it; they
 * are read back through the injected registry and from {@code /q/metrics} after letters went to GreenMail. The
 * application is shared with the other test classes, so the figures are compared before and after the sends.
 */
@QuarkusTest
@WithTestResource(GreenMailResource.class)
class LetterSmtpMetricsTest {

    @Inject
    MeterRegistry meters;

    @Inject
    CamelContext camelContext;

    @Inject
    ProducerTemplate producer;

    @ConfigProperty(name = "smtp.port")
    int port;

    private String server() {
        return "127.0.0.1:" + port;
    }

    private SendResults sendTwoLettersToThreeRecipients() {
        SendResults results = producer.requestBody("direct:send", List.of(
                Letter.from("app@example.org").to("metrics-one@example.org").subject("Counted").text("1").build(),
                Letter.from("app@example.org").to("metrics-two@example.org", "metrics-three@example.org")
                        .subject("Counted too").text("2").build()),
                SendResults.class);
        assertEquals(2, results.sentCount(), results::toString);
        return results;
    }

    private double letters(String status) {
        return meters.get("letter.smtp.letters").tags("server", server(), "status", status).functionCounter().count();
    }

    @Test
    void metersAreReadBackThroughTheInjectedMeterRegistry() {
        sendTwoLettersToThreeRecipients(); // the server's meters exist from the first send on
        double sent = letters("SENT");
        double failed = letters("FAILED");
        double accepted = meters.get("letter.smtp.recipients").tags("server", server(), "outcome", "accepted")
                .functionCounter().count();
        double bytes = meters.get("letter.smtp.bytes").tags("server", server()).functionCounter().count();
        FunctionTimer time = meters.get("letter.smtp.letter.time").tags("server", server()).functionTimer();
        double timed = time.count();

        sendTwoLettersToThreeRecipients();

        assertEquals(sent + 2, letters("SENT"));
        assertEquals(failed, letters("FAILED"));
        assertEquals(accepted + 3, meters.get("letter.smtp.recipients").tags("server", server(), "outcome", "accepted")
                .functionCounter().count());
        assertTrue(meters.get("letter.smtp.bytes").tags("server", server()).functionCounter().count() > bytes + 100);
        assertEquals(timed + 2, time.count());
        assertTrue(time.totalTime(TimeUnit.NANOSECONDS) > 0);
        assertTrue(meters.get("letter.smtp.pool.connections").tags("server", server(), "state", "idle").gauge()
                .value() >= 1, "the connection went back to the pool");
        assertEquals(0.0, meters.get("letter.smtp.pool.waiting").tags("server", server()).gauge().value());
        assertEquals(Set.of(meters), camelContext.getRegistry().findByType(MeterRegistry.class),
                "the one MeterRegistry of Camel's registry is the application's");
    }

    @Test
    void metersAreServedAtQuarkusMetricsInPrometheusFormat() {
        sendTwoLettersToThreeRecipients();
        double sent = scrape("letter_smtp_letters_total", "SENT");

        sendTwoLettersToThreeRecipients();

        assertEquals(sent + 2, scrape("letter_smtp_letters_total", "SENT"));
        System.out.println("letter-smtp series in /q/metrics:");
        given().when().get("/q/metrics").then().extract().asString().lines()
                .filter(l -> l.startsWith("letter_smtp_")).forEach(System.out::println);
    }

    /** The value of one letter.smtp.letters series of this server in {@code /q/metrics}. */
    private double scrape(String name, String status) {
        String text = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        Pattern series = Pattern.compile("^" + name + "\\{([^}]*)\\} (\\S+)$", Pattern.MULTILINE);
        Matcher m = series.matcher(text);
        while (m.find()) {
            String labels = m.group(1);
            if (labels.contains("server=\"" + server() + "\"") && labels.contains("status=\"" + status + "\"")) {
                return Double.parseDouble(m.group(2));
            }
        }
        throw new AssertionError("no " + name + " series for " + server() + " and " + status + " in:\n"
                                 + text.lines().filter(l -> l.contains("letter_smtp")).toList());
    }
}
