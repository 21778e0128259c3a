package io.github.smtpletter.quarkus.it;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the build of this module wrote for native-image ({@code quarkus.native.sources-only=true}: arguments and
 * configuration, no compile) holds what the letter-smtp extension registers: the SASL security provider, the URL
 * protocols and charsets, the component's resources, the Jakarta Mail files, reflection for the Jackson module and
 * the JSON shapes, and run-time initialisation of the classes that hold a static mail {@code Session}.
 */
class NativeConfigurationIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<String> args;
    private static JsonNode reflection;
    private static List<String> resourcePatterns;
    private static String featureClass;

    @BeforeAll
    static void readNativeSources() throws IOException {
        Path dir = Paths.get(System.getProperty("native.sources.dir", "target/native-sources"));
        assertTrue(Files.isDirectory(dir), dir + " missing: the build did not write the native sources");
        args = List.of(Files.readString(dir.resolve("native-image.args"), StandardCharsets.UTF_8).trim().split("\\s+"));
        try (JarFile runner = new JarFile(runnerJar(dir).toFile())) {
            reflection = JSON.readTree(read(runner, "META-INF/native-image/reflect-config.json"));
            JsonNode includes = JSON.readTree(read(runner, "META-INF/native-image/resource-config.json"))
                    .path("resources").path("includes");
            resourcePatterns = StreamSupport.stream(includes.spliterator(), false)
                    .map(node -> node.path("pattern").asText()).toList();
            featureClass = new String(read(runner, "io/quarkus/runner/Feature.class"), StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void jdkSaslProviderIsAnAdditionalSecurityProvider() {
        Optional<String> providers = args.stream().filter(a -> a.startsWith("-H:AdditionalSecurityProviders="))
                .findFirst();
        assertTrue(providers.isPresent(), () -> "no -H:AdditionalSecurityProviders in " + args);
        assertTrue(List.of(providers.get().substring(providers.get().indexOf('=') + 1).split(","))
                .contains("com.sun.security.sasl.Provider"), providers::get);
    }

    @Test
    void httpAndHttpsUrlProtocolsAndAllCharsetsAreEnabled() {
        Optional<String> protocols = args.stream().filter(a -> a.startsWith("--enable-url-protocols=")).findFirst();
        assertTrue(protocols.isPresent(), () -> "no --enable-url-protocols in " + args);
        List<String> enabled = List.of(protocols.get().substring(protocols.get().indexOf('=') + 1).split(","));
        assertTrue(enabled.containsAll(List.of("http", "https")), protocols::get);
        assertTrue(args.contains("-H:+AddAllCharsets"), () -> "no -H:+AddAllCharsets in " + args);
    }

    @Test
    void componentDescriptorsAndServiceFilesAreResources() {
        for (String resource : List.of(
                "META-INF/services/org/apache/camel/component/letter-smtp",
                "META-INF/io/github/smtpletter/camel/letter-smtp.json",
                "META-INF/services/com.fasterxml.jackson.databind.Module",
                "META-INF/services/jakarta.mail.util.StreamProvider",
                "META-INF/javamail.default.providers",
                "META-INF/mailcap")) {
            assertTrue(resourcePatterns.stream().anyMatch(p -> Pattern.matches(p, resource)),
                    () -> resource + " is not a native-image resource");
        }
    }

    @Test
    void jacksonModuleAndJsonShapesAreRegisteredForReflection() {
        JsonNode module = reflected("io.github.smtpletter.json.LetterJacksonModule");
        assertTrue(module.path("allDeclaredConstructors").asBoolean()
                   || module.path("allPublicConstructors").asBoolean(), module::toString);
        for (String shape : List.of("io.github.smtpletter.letter.Letter", "io.github.smtpletter.letter.MailAddress",
                "io.github.smtpletter.smtp.SendResult", "io.github.smtpletter.smtp.SmtpReply",
                "io.github.smtpletter.camel.SendResults")) {
            assertNotNull(reflected(shape));
        }
        // the Jackson 3 module only when Jackson 3 is in the application, which it is not here
        assertFalse(names().contains("io.github.smtpletter.json.LetterJackson3Module"));
    }

    @Test
    void jakartaMailProvidersAndContentHandlersAreRegisteredForReflection() {
        reflected("org.eclipse.angus.mail.util.MailStreamProvider");
        reflected("org.eclipse.angus.mail.handlers.text_plain");
        reflected("org.eclipse.angus.mail.handlers.multipart_mixed");
    }

    @Test
    void classesWithAStaticMailSessionAreInitialisedAtRunTime() {
        for (String className : List.of("io.github.smtpletter.camel.MimeLetters",
                "io.github.smtpletter.mime.MimeTreeBuilder", "org.eclipse.angus.mail.handlers.text_plain")) {
            assertTrue(featureClass.contains(className), () -> className + " is not initialised at run time");
        }
    }

    private static JsonNode reflected(String className) {
        for (JsonNode entry : reflection) {
            if (className.equals(entry.path("name").asText())) {
                return entry;
            }
        }
        throw new AssertionError(className + " is not registered for reflection");
    }

    private static List<String> names() {
        List<String> names = new ArrayList<>();
        reflection.forEach(entry -> names.add(entry.path("name").asText()));
        return names;
    }

    private static Path runnerJar(Path dir) throws IOException {
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(dir, "*-runner.jar")) {
            for (Path jar : jars) {
                return jar;
            }
        }
        throw new AssertionError("no *-runner.jar in " + dir);
    }

    private static byte[] read(JarFile jar, String entry) throws IOException {
        assertNotNull(jar.getEntry(entry), () -> entry + " missing in " + jar.getName());
        try (InputStream in = jar.getInputStream(jar.getEntry(entry))) {
            return in.readAllBytes();
        }
    }
}
