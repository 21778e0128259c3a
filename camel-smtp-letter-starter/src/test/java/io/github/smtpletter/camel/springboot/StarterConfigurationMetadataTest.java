package io.github.smtpletter.camel.springboot;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The committed {@code META-INF/spring-configuration-metadata.json} of the starter is what
 * {@link SpringConfigurationMetadata} generates from the component's JSON descriptor. When a component option changes,
 * rewrite it with:
 *
 * <pre>
 * mvn -B -pl camel-smtp-letter-starter -am test -Dtest=StarterConfigurationMetadataTest \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dupdate.docs=true
 * </pre>
 */
class StarterConfigurationMetadataTest {

    static final Path METADATA = Path.of("src/main/resources/META-INF/spring-configuration-metadata.json");

    @Test
    void committedMetadataIsGeneratedFromTheComponentDescriptor() throws IOException {
        String expected = SpringConfigurationMetadata.generate(SpringConfigurationMetadata.descriptor());
        if (Boolean.getBoolean("update.docs")) {
            Files.createDirectories(METADATA.getParent());
            Files.writeString(METADATA, expected, StandardCharsets.UTF_8);
        }
        String actual = Files.exists(METADATA) ? Files.readString(METADATA, StandardCharsets.UTF_8) : "";
        assertEquals(expected, actual,
                METADATA + " is stale: run StarterConfigurationMetadataTest with -Dupdate.docs=true");
    }
}
