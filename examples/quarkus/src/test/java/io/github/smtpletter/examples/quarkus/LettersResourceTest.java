package io.github.smtpletter.examples.quarkus;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The example over HTTP, against an in-process GreenMail. */
@QuarkusTest
@WithTestResource(GreenMailResource.class)
class LettersResourceTest {

    @Test
    void postsLettersAndAnswersOneResultPerLetter() {
        String letters = "[{\"from\":\"shop@example.org\",\"to\":[\"ann@example.org\"],\"subject\":\"Hi\","
                         + "\"text\":\"Hello\"},"
                         + "{\"from\":\"shop@example.org\",\"to\":[\"ben@example.org\",\"cy@example.org\"],"
                         + "\"subject\":\"Hi both\",\"text\":\"Hello\"}]";

        given().contentType(ContentType.JSON).body(letters)
                .when().post("/letters")
                .then().statusCode(200)
                .body("$", hasSize(2))
                .body("[0].status", equalTo("SENT"))
                .body("[1].status", equalTo("SENT"))
                .body("[1].acceptedRecipients", hasSize(2));

        assertTrue(GreenMailResource.greenMail().waitForIncomingEmail(10_000, 3), "GreenMail got 3 deliveries");
    }

    @Test
    void oneLetterObjectIsAListOfOne() {
        given().contentType(ContentType.JSON)
                .body("{\"from\":\"shop@example.org\",\"to\":[\"dee@example.org\"],\"subject\":\"One\","
                      + "\"text\":\"Hello\"}")
                .when().post("/letters")
                .then().statusCode(200)
                .body("$", hasSize(1))
                .body("[0].status", equalTo("SENT"));
    }

    @Test
    void readinessIncludesTheLetterSmtpProducerCheck() {
        given().when().get("/q/health/ready")
                .then().statusCode(200)
                .body("status", equalTo("UP"));
    }
}
