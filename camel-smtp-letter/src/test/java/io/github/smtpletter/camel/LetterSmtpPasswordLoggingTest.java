package io.github.smtpletter.camel;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.github.smtpletter.letter.Letter;
import io.github.smtpletter.testsupport.LogCapture;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.main.Main;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What is logged of the password, with the root logger at TRACE, while a Camel Main application starts its route,
 * sends one letter (which must authenticate, so the password was really configured) and stops. Measured here, stated
 * in the component's documentation ("Keeping the password out of logs"):
 * <ul>
 * <li>set in Java on the component: no log event shows it;</li>
 * <li>a component option in the configuration ({@code camel.component.letter-smtp.password}): no event at INFO or
 * above; at DEBUG/TRACE Camel core shows it when it resolves a {@code {{...}}} placeholder and when Camel Main binds
 * the option; never in an endpoint URI;</li>
 * <li>in the endpoint URI, also as {@code RAW({{smtp.password}})}: no event at INFO or above; at DEBUG/TRACE Camel
 * core shows it in the placeholder resolution and in every TRACE line about creating the endpoint.</li>
 * </ul>
 * Never in an event of this component's own loggers.
 */
@Timeout(60)
class LetterSmtpPasswordLoggingTest {

    private static final String PASSWORD = "Logged-6b1d94-Secret";
    private static final String PASSWORD_B64 = Base64.getEncoder()
            .encodeToString(PASSWORD.getBytes(StandardCharsets.UTF_8));
    private static final String OPTIONS = "?authMechanism=PLAIN&username=alice&allowPlaintextAuth=true";

    /** Camel core's loggers that show a resolved placeholder's value at DEBUG/TRACE. */
    private static final Set<String> PLACEHOLDER_LOGGERS = Set.of(
            "org.apache.camel.component.properties.DefaultPropertiesParser",
            "org.apache.camel.component.properties.DefaultPropertiesLookup",
            "org.apache.camel.component.properties.PropertiesComponent",
            "org.apache.camel.impl.engine.DefaultCamelContextExtension");
    /** Camel Main's loggers that show the value of a component option they bind, at DEBUG. */
    private static final Set<String> MAIN_LOGGERS = Set.of(
            "org.apache.camel.main.MainHelper", "org.apache.camel.main.BaseMainSupport");
    /** Camel core's loggers that show an endpoint URI's parameters at TRACE. */
    private static final Set<String> ENDPOINT_LOGGERS = Set.of(
            "org.apache.camel.impl.engine.AbstractCamelContext", "org.apache.camel.support.EndpointHelper",
            "org.apache.camel.support.DefaultComponent");
    /**
     * With camel-management (JMX) on the class path, as in these tests: its lifecycle strategy shows the endpoint URIs
     * it considers registering, at TRACE.
     */
    private static final Set<String> JMX_LOGGERS = Set.of("org.apache.camel.management.JmxManagementLifecycleStrategy");

    @RegisterExtension
    static final GreenMailExtension GREEN_MAIL = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("alice", PASSWORD));

    /** A route sending to {@code letter-smtp:127.0.0.1:PORT} plus the given query. */
    private static RouteBuilder route(String query) {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:send").routeId("send").to("letter-smtp:{{smtp.host}}:{{smtp.port}}" + query);
            }
        };
    }

    /** Runs the application at TRACE and returns the events that show the password (as text or base64). */
    private static List<LogCapture.Line> leaks(Consumer<Main> configure) throws Exception {
        try (LogCapture logs = LogCapture.start(Level.TRACE)) {
            Main main = new Main();
            main.addInitialProperty("camel.main.name", "password-logging");
            main.addInitialProperty("smtp.host", "127.0.0.1");
            main.addInitialProperty("smtp.port", String.valueOf(GREEN_MAIL.getSmtp().getPort()));
            configure.accept(main);
            main.start();
            try {
                ProducerTemplate template = main.getCamelContext().createProducerTemplate();
                SendResults results = template.requestBody("direct:send",
                        Letter.from("robot@t.test").to("bob@t.test").subject("s").text("hello").build(),
                        SendResults.class);
                assertEquals(1, results.sentCount(), results::toString);
            } finally {
                main.stop();
            }
            assertTrue(logs.lines().size() > 200, "captured " + logs.lines().size() + " events at TRACE");
            assertTrue(logs.lines().stream().anyMatch(l -> l.logger().startsWith("org.apache.camel.main")
                                                           && l.level() == Level.DEBUG),
                    "Camel's DEBUG events are captured");
            return logs.lines().stream().filter(l -> l.full().contains(PASSWORD) || l.full().contains(PASSWORD_B64))
                    .toList();
        }
    }

    private static Set<String> loggers(List<LogCapture.Line> leaks) {
        Set<String> loggers = new TreeSet<>();
        leaks.forEach(l -> loggers.add(l.logger()));
        return loggers;
    }

    /** Nothing at INFO or above, nothing from this component, only from the given Camel core loggers. */
    private static void assertOnlyCamelCoreDebug(List<LogCapture.Line> leaks, Set<String> expected) {
        String shown = String.join("\n", leaks.stream().map(LogCapture.Line::toString).toList());
        assertTrue(leaks.stream().noneMatch(l -> l.level().isMoreSpecificThan(Level.INFO)), shown);
        assertTrue(expected.containsAll(loggers(leaks)), "unexpected loggers show the password:\n" + shown);
    }

    @Test
    void setOnTheComponentInJavaNothingShowsThePassword() throws Exception {
        List<LogCapture.Line> leaks = leaks(main -> {
            LetterSmtpComponent component = new LetterSmtpComponent();
            component.getConfiguration().setPassword(PASSWORD);
            main.bind("letter-smtp", component);
            main.configure().addRoutesBuilder(route(OPTIONS));
        });
        assertEquals(List.of(), leaks);
    }

    @Test
    void aComponentOptionFromAPlaceholderShowsItOnlyInCamelCoreDebug() throws Exception {
        List<LogCapture.Line> leaks = leaks(main -> {
            main.addInitialProperty("smtp.password", PASSWORD);
            main.addInitialProperty("camel.component.letter-smtp.password", "{{smtp.password}}");
            main.configure().addRoutesBuilder(route(OPTIONS));
        });
        Set<String> expected = new TreeSet<>(PLACEHOLDER_LOGGERS);
        expected.addAll(MAIN_LOGGERS);
        assertOnlyCamelCoreDebug(leaks, expected);
        assertTrue(loggers(leaks).contains("org.apache.camel.component.properties.DefaultPropertiesParser"),
                "measured: " + loggers(leaks));
    }

    @Test
    void aComponentOptionAsAJvmSystemPropertyShowsItOnlyInCamelMainDebug() throws Exception {
        System.setProperty("camel.component.letter-smtp.password", PASSWORD);
        try {
            List<LogCapture.Line> leaks = leaks(main -> main.configure().addRoutesBuilder(route(OPTIONS)));
            assertOnlyCamelCoreDebug(leaks, MAIN_LOGGERS);
            assertTrue(loggers(leaks).contains("org.apache.camel.main.MainHelper"), "measured: " + loggers(leaks));
        } finally {
            System.clearProperty("camel.component.letter-smtp.password");
        }
    }

    /** The README's former form: measured so that the documentation's statement stays true. */
    @Test
    void aPasswordInTheEndpointUriShowsInCamelCoreTraceAboutTheEndpoint() throws Exception {
        for (String form : List.of("RAW({{smtp.password}})", "{{smtp.password}}")) {
            List<LogCapture.Line> leaks = leaks(main -> {
                main.addInitialProperty("smtp.password", PASSWORD);
                main.configure().addRoutesBuilder(route(OPTIONS + "&password=" + form));
            });
            Set<String> expected = new TreeSet<>(PLACEHOLDER_LOGGERS);
            expected.addAll(ENDPOINT_LOGGERS);
            expected.addAll(JMX_LOGGERS);
            assertOnlyCamelCoreDebug(leaks, expected);
            assertTrue(loggers(leaks).containsAll(ENDPOINT_LOGGERS), form + " measured: " + loggers(leaks));
            assertTrue(loggers(leaks).containsAll(JMX_LOGGERS), form + " measured: " + loggers(leaks));
        }
    }
}
