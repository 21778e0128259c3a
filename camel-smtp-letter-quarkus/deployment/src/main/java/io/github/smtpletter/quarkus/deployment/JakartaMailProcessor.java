package io.github.smtpletter.quarkus.deployment;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

import io.quarkus.deployment.annotations.BuildProducer;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.builditem.CombinedIndexBuildItem;
import io.quarkus.deployment.builditem.IndexDependencyBuildItem;
import io.quarkus.deployment.builditem.nativeimage.NativeImageResourceBuildItem;
import io.quarkus.deployment.builditem.nativeimage.ReflectiveClassBuildItem;
import io.quarkus.deployment.builditem.nativeimage.RuntimeInitializedClassBuildItem;
import io.quarkus.deployment.builditem.nativeimage.ServiceProviderBuildItem;
import org.jboss.jandex.ClassInfo;
import org.jboss.jandex.DotName;

/**
 * Jakarta Mail (Angus Mail) and Jakarta Activation in a native image, as far as the component writes MIME with them:
 * the configuration files Jakarta Mail reads, the classes they name (made reflectively), the service providers,
 * and the data content handlers, which are initialised at run time.
 */
class JakartaMailProcessor {

    private static final String[] MAIL_RESOURCES = {
            "META-INF/services/jakarta.mail.Provider",
            "META-INF/services/jakarta.mail.util.StreamProvider",
            "META-INF/javamail.charset.map",
            "META-INF/javamail.default.address.map",
            "META-INF/javamail.default.providers",
            "META-INF/javamail.address.map",
            "META-INF/javamail.providers",
            "META-INF/mailcap" };

    private static final String[] SERVICES = {
            "jakarta.mail.Provider",
            "jakarta.mail.util.StreamProvider",
            "jakarta.activation.spi.MailcapRegistryProvider",
            "jakarta.activation.spi.MimeTypeRegistryProvider" };

    private static final DotName MESSAGING_EXCEPTION = DotName.createSimple("jakarta.mail.MessagingException");
    private static final DotName HANDLER_BASE = DotName.createSimple("org.eclipse.angus.mail.handlers.handler_base");

    @BuildStep
    void indexMailJars(BuildProducer<IndexDependencyBuildItem> index) {
        index.produce(new IndexDependencyBuildItem("jakarta.mail", "jakarta.mail-api"));
        index.produce(new IndexDependencyBuildItem("jakarta.activation", "jakarta.activation-api"));
        index.produce(new IndexDependencyBuildItem("org.eclipse.angus", "angus-mail"));
        index.produce(new IndexDependencyBuildItem("org.eclipse.angus", "angus-activation"));
    }

    @BuildStep
    NativeImageResourceBuildItem mailResources() {
        return new NativeImageResourceBuildItem(MAIL_RESOURCES);
    }

    @BuildStep
    void services(BuildProducer<ServiceProviderBuildItem> services) {
        for (String service : SERVICES) {
            services.produce(ServiceProviderBuildItem.allProvidersFromClassPath(service));
        }
    }

    /** The transports and stores of {@code javamail.*providers}, and the content handlers of {@code mailcap}. */
    @BuildStep
    void namedClasses(BuildProducer<ReflectiveClassBuildItem> reflectiveClass) {
        String[] providers = Stream.of("META-INF/javamail.default.providers", "META-INF/javamail.providers")
                .flatMap(JakartaMailProcessor::lines)
                .flatMap(line -> Stream.of(line.split(";")))
                .map(String::trim)
                .flatMap(field -> valueOf(field, "class="))
                .distinct()
                .toArray(String[]::new);
        String[] handlers = lines("META-INF/mailcap")
                .flatMap(line -> Stream.of(line.split(";")))
                .map(String::trim)
                .flatMap(field -> valueOf(field, "x-java-content-handler="))
                .distinct()
                .toArray(String[]::new);
        reflectiveClass.produce(ReflectiveClassBuildItem.builder(providers).constructors()
                .reason(LetterSmtpProcessor.FEATURE + ": Jakarta Mail providers").build());
        reflectiveClass.produce(ReflectiveClassBuildItem.builder(handlers).constructors()
                .reason(LetterSmtpProcessor.FEATURE + ": Jakarta Activation content handlers").build());
    }

    @BuildStep
    ReflectiveClassBuildItem mailExceptions(CombinedIndexBuildItem combinedIndex) {
        String[] names = combinedIndex.getIndex().getAllKnownSubclasses(MESSAGING_EXCEPTION).stream()
                .map(ClassInfo::name)
                .map(DotName::toString)
                .toArray(String[]::new);
        return ReflectiveClassBuildItem.builder(names).constructors()
                .reason(LetterSmtpProcessor.FEATURE + ": Jakarta Mail exceptions").build();
    }

    @BuildStep
    void contentHandlersAtRunTime(
                                  CombinedIndexBuildItem combinedIndex,
                                  BuildProducer<RuntimeInitializedClassBuildItem> runtimeInitialized) {
        combinedIndex.getIndex().getAllKnownSubclasses(HANDLER_BASE).stream()
                .map(info -> info.name().toString())
                .map(RuntimeInitializedClassBuildItem::new)
                .forEach(runtimeInitialized::produce);
    }

    private static Stream<String> valueOf(String field, String key) {
        return field.startsWith(key) ? Stream.of(field.substring(key.length()).trim()) : Stream.empty();
    }

    /** The non-comment lines of every copy of a class-path resource. */
    private static Stream<String> lines(String resource) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        List<URL> urls;
        try {
            urls = Collections.list(loader.getResources(resource));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + resource, e);
        }
        return urls.stream().flatMap(url -> read(url).stream())
                .map(String::trim)
                .filter(Predicate.not(String::isEmpty))
                .filter(line -> !line.startsWith("#"));
    }

    private static List<String> read(URL url) {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(url.openStream(), StandardCharsets.UTF_8))) {
            return reader.lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + url, e);
        }
    }
}
