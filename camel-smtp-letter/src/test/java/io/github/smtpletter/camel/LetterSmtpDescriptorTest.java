package io.github.smtpletter.camel;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.apache.camel.util.json.JsonObject;
import org.apache.camel.util.json.Jsoner;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The generated JSON descriptor (what tooling, the Camel catalog and the component doc tables read): every component option,
 * endpoint option and header is described, the health check switches are there, and exactly the credentials are
 * marked secret.
 */
class LetterSmtpDescriptorTest {

    private static JsonObject descriptor() throws Exception {
        try (InputStream in = LetterSmtpDescriptorTest.class.getClassLoader()
                .getResourceAsStream(LetterSmtpComponentDocTest.JSON)) {
            assertNotNull(in);
            return (JsonObject) Jsoner.deserialize(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void everythingIsDescribed() throws Exception {
        JsonObject root = descriptor();
        for (String section : new String[] { "componentProperties", "properties", "headers" }) {
            JsonObject entries = (JsonObject) root.get(section);
            assertFalse(entries.isEmpty(), section);
            for (Map.Entry<String, Object> e : entries.entrySet()) {
                String description = ((JsonObject) e.getValue()).getString("description");
                assertTrue(description != null && description.length() > 10, section + "." + e.getKey());
                assertFalse(description.contains("{@"), "javadoc markup leaked into " + section + "." + e.getKey());
            }
        }
        String component = ((JsonObject) root.get("component")).getString("description");
        assertTrue(component.contains("one per letter"), component);
    }

    @Test
    void producerHealthCheckCanBeSwitchedOnTheComponent() throws Exception {
        JsonObject option = (JsonObject) ((JsonObject) descriptor().get("componentProperties"))
                .get("healthCheckProducerEnabled");
        assertNotNull(option);
        assertEquals(Boolean.TRUE, option.get("defaultValue"));
        assertEquals("health", option.getString("label"));
    }

    @Test
    void exactlyTheCredentialsAreSecret() throws Exception {
        JsonObject root = descriptor();
        for (String section : new String[] { "componentProperties", "properties" }) {
            Set<String> secret = new TreeSet<>();
            ((JsonObject) root.get(section)).forEach((name, o) -> {
                if (Boolean.TRUE.equals(((JsonObject) o).get("secret"))) {
                    secret.add(name);
                }
            });
            assertEquals(Set.of("dkimPrivateKey", "password", "username"), secret, section);
        }
    }
}
