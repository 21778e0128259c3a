package io.github.smtpletter.camel.springboot;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

import org.apache.camel.util.json.JsonObject;
import org.apache.camel.util.json.Jsoner;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged starter jar carries {@code META-INF/spring-configuration-metadata.json} with every component option of
 * the JSON descriptor: its kebab-case name, its type ({@code java.time.Duration} for durations), its default, and its
 * allowed values as hints. Runs after {@code package} (failsafe), on the jar the build produced.
 */
class PackagedMetadataIT {

    @Test
    void builtJarDescribesEveryComponentOption() throws IOException {
        Path jar = Path.of(System.getProperty("starter.jar", "target/camel-smtp-letter-starter.jar"));
        assertTrue(Files.isRegularFile(jar), "the starter jar is built: " + jar);
        JsonObject metadata;
        try (JarFile file = new JarFile(jar.toFile())) {
            ZipEntry entry = file.getEntry("META-INF/spring-configuration-metadata.json");
            assertNotNull(entry, jar + " has META-INF/spring-configuration-metadata.json");
            try (InputStream in = file.getInputStream(entry)) {
                metadata = (JsonObject) Jsoner.deserialize(new String(in.readAllBytes(), StandardCharsets.UTF_8),
                        new JsonObject());
            }
        }
        Map<String, JsonObject> properties = byName(metadata.getCollection("properties"));
        Map<String, JsonObject> hints = byName(metadata.getCollection("hints"));
        assertTrue(properties.containsKey(LetterSmtpComponentAutoConfiguration.PREFIX + ".enabled"));

        JsonObject options = (JsonObject) SpringConfigurationMetadata.descriptor().get("componentProperties");
        for (Map.Entry<String, Object> e : options.entrySet()) {
            JsonObject option = (JsonObject) e.getValue();
            String name = SpringConfigurationMetadata.propertyName(e.getKey());
            JsonObject property = properties.get(name);
            assertNotNull(property, "metadata for " + name);
            assertEquals(option.getString("description"),
                    property.getString("description").substring(0, option.getString("description").length()), name);
            if ("duration".equals(option.getString("type"))) {
                assertEquals("java.time.Duration", property.getString("type"), name);
            } else if (!"object".equals(option.getString("type"))) {
                String javaType = option.getString("javaType");
                assertTrue(property.getString("type").toLowerCase().endsWith(javaType.toLowerCase())
                           || property.getString("type").startsWith("java.lang."), name + " " + javaType);
            }
            assertEquals(option.get("defaultValue") != null, property.get("defaultValue") != null, name + " default");
            List<?> values = (List<?>) option.get("enum");
            if (values != null) {
                JsonObject hint = hints.get(name);
                assertNotNull(hint, "hint for " + name);
                List<Object> hinted = ((List<?>) hint.get("values")).stream()
                        .map(v -> ((JsonObject) v).get("value")).map(Object.class::cast).toList();
                assertEquals(values, hinted, name);
            }
        }
        assertNotNull(hints.get(LetterSmtpComponentAutoConfiguration.PREFIX + ".security"));
        assertNotNull(hints.get(LetterSmtpComponentAutoConfiguration.PREFIX + ".auth-mechanism"));
        assertEquals("10s", properties.get(LetterSmtpComponentAutoConfiguration.PREFIX + ".connect-timeout")
                .getString("defaultValue"));
    }

    private static Map<String, JsonObject> byName(List<Object> entries) {
        Map<String, JsonObject> byName = new HashMap<>();
        for (Object entry : entries) {
            JsonObject o = (JsonObject) entry;
            byName.put(o.getString("name"), o);
        }
        return byName;
    }
}
