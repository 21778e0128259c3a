package io.github.smtpletter.quarkus.deployment;

import java.util.ArrayList;
import java.util.List;

import io.quarkus.bootstrap.classloading.QuarkusClassLoader;
import io.quarkus.deployment.annotations.BuildProducer;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.builditem.ExtensionSslNativeSupportBuildItem;
import io.quarkus.deployment.builditem.FeatureBuildItem;
import io.quarkus.deployment.builditem.IndexDependencyBuildItem;
import io.quarkus.deployment.builditem.NativeImageEnableAllCharsetsBuildItem;
import io.quarkus.deployment.builditem.nativeimage.NativeImageResourceBuildItem;
import io.quarkus.deployment.builditem.nativeimage.NativeImageSecurityProviderBuildItem;
import io.quarkus.deployment.builditem.nativeimage.ReflectiveClassBuildItem;
import io.quarkus.deployment.builditem.nativeimage.RuntimeInitializedClassBuildItem;
import io.quarkus.deployment.builditem.nativeimage.ServiceProviderBuildItem;

/**
 * Build steps of the letter-smtp extension: the feature, the component's index, and what a native image needs to run
 * the component (SASL provider, URL protocols, charsets, the component's descriptors, the Jackson modules).
 */
class LetterSmtpProcessor {

    static final String FEATURE = "camel-letter-smtp";

    /** The JDK's SASL client provider: DIGEST-MD5 and the SASL mechanisms that go through {@code Sasl}. */
    static final String SASL_PROVIDER = "com.sun.security.sasl.Provider";

    private static final String COMPONENT_GROUP = "io.github.smtpletter";
    private static final String COMPONENT_ARTIFACT = "camel-smtp-letter";

    private static final String JACKSON2_MODULE_SPI = "com.fasterxml.jackson.databind.Module";
    private static final String JACKSON3_MODULE_SPI = "tools.jackson.databind.JacksonModule";
    private static final String JACKSON2_MODULE = "io.github.smtpletter.json.LetterJacksonModule";
    private static final String JACKSON3_MODULE = "io.github.smtpletter.json.LetterJackson3Module";

    /** The classes the Jackson modules read and write; Jackson looks them up reflectively. */
    private static final String[] JSON_SHAPES = {
            "io.github.smtpletter.letter.Letter",
            "io.github.smtpletter.letter.Attachment",
            "io.github.smtpletter.letter.MailAddress",
            "io.github.smtpletter.letter.Importance",
            "io.github.smtpletter.letter.DsnOptions",
            "io.github.smtpletter.letter.DsnNotify",
            "io.github.smtpletter.letter.DsnReturn",
            "io.github.smtpletter.smtp.SendResult",
            "io.github.smtpletter.smtp.SendStatus",
            "io.github.smtpletter.smtp.RecipientFailure",
            "io.github.smtpletter.smtp.SmtpReply",
            "io.github.smtpletter.camel.SendResults" };

    /** Classes that hold a static {@code jakarta.mail.Session}: built at run time, not into the image heap. */
    private static final String[] STATIC_MAIL_SESSION_HOLDERS = {
            "io.github.smtpletter.camel.MimeLetters",
            "io.github.smtpletter.mime.MimeTreeBuilder" };

    @BuildStep
    FeatureBuildItem feature() {
        return new FeatureBuildItem(FEATURE);
    }

    @BuildStep
    IndexDependencyBuildItem indexComponent() {
        return new IndexDependencyBuildItem(COMPONENT_GROUP, COMPONENT_ARTIFACT);
    }

    @BuildStep
    NativeImageSecurityProviderBuildItem saslProvider() {
        return new NativeImageSecurityProviderBuildItem(SASL_PROVIDER);
    }

    /** STARTTLS and SMTPS, and the https URL protocol next to http. */
    @BuildStep
    ExtensionSslNativeSupportBuildItem sslAndUrlProtocols() {
        return new ExtensionSslNativeSupportBuildItem(FEATURE);
    }

    /** Letters name any charset their bodies and headers are written in. */
    @BuildStep
    NativeImageEnableAllCharsetsBuildItem allCharsets() {
        return new NativeImageEnableAllCharsetsBuildItem();
    }

    @BuildStep
    NativeImageResourceBuildItem componentDescriptors() {
        return new NativeImageResourceBuildItem(
                "META-INF/services/org/apache/camel/component/letter-smtp",
                "META-INF/services/org/apache/camel/configurer/letter-smtp-component",
                "META-INF/services/org/apache/camel/configurer/letter-smtp-endpoint",
                "META-INF/services/org/apache/camel/urifactory/letter-smtp-endpoint",
                "META-INF/io/github/smtpletter/camel/letter-smtp.json");
    }

    @BuildStep
    void staticMailSessions(BuildProducer<RuntimeInitializedClassBuildItem> runtimeInitialized) {
        for (String className : STATIC_MAIL_SESSION_HOLDERS) {
            runtimeInitialized.produce(new RuntimeInitializedClassBuildItem(className));
        }
    }

    /**
     * The Jackson modules (made by {@code ServiceLoader} or by name from {@code moduleClassNames}) and the shapes
     * they handle; each module only when its Jackson is in the application.
     */
    @BuildStep
    void jacksonModules(
                        BuildProducer<ReflectiveClassBuildItem> reflectiveClass,
                        BuildProducer<ServiceProviderBuildItem> serviceProvider) {
        List<String> modules = new ArrayList<>();
        if (QuarkusClassLoader.isClassPresentAtRuntime(JACKSON2_MODULE_SPI)) {
            modules.add(JACKSON2_MODULE);
            serviceProvider.produce(new ServiceProviderBuildItem(JACKSON2_MODULE_SPI, JACKSON2_MODULE));
        }
        if (QuarkusClassLoader.isClassPresentAtRuntime(JACKSON3_MODULE_SPI)) {
            modules.add(JACKSON3_MODULE);
            serviceProvider.produce(new ServiceProviderBuildItem(JACKSON3_MODULE_SPI, JACKSON3_MODULE));
        }
        if (modules.isEmpty()) {
            return;
        }
        reflectiveClass.produce(ReflectiveClassBuildItem.builder(modules.toArray(String[]::new))
                .constructors().reason(FEATURE + ": Jackson modules").build());
        reflectiveClass.produce(ReflectiveClassBuildItem.builder(JSON_SHAPES)
                .methods().fields().reason(FEATURE + ": JSON shapes").build());
    }
}
