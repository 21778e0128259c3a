package io.github.smtpletter.camel;

import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.github.smtpletter.letter.Letter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Micrometer in a Camel Main application: a {@code MeterRegistry} in Main's registry (bound in code, or declared as
 * a {@code camel.beans.*} property) gets the letter-smtp meters when the component starts; letters sent to GreenMail
 * are read back from it.
 */
class LetterSmtpMainMetricsTest {

    @RegisterExtension
    static final GreenMailExtension GREEN_MAIL = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    private static String server() {
        return "127.0.0.1:" + GREEN_MAIL.getSmtp().getPort();
    }

    @Test
    void meterRegistryBoundInMainsRegistry() throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();

        runAndSend(main -> main.bind("meters", meters), main -> assertMeters(meters));
    }

    @Test
    void meterRegistryDeclaredAsCamelBeansProperty() throws Exception {
        runAndSend(main -> main.addInitialProperty("camel.beans.meters",
                "#class:" + SimpleMeterRegistry.class.getName()), main -> {
                    Set<MeterRegistry> registries = main.getCamelContext().getRegistry().findByType(
                            MeterRegistry.class);
                    assertEquals(1, registries.size());
                    assertMeters(registries.iterator().next());
                });
    }

    @Test
    void noMeterRegistryNoMeters() throws Exception {
        runAndSend(main -> {
        }, main -> assertTrue(main.getCamelContext().getRegistry().findByType(MeterRegistry.class).isEmpty()));
    }

    /** Starts a Main with one route to GreenMail, sends two letters (three recipients), checks, stops. */
    private static void runAndSend(Consumer<Main> configure, Consumer<Main> check) throws Exception {
        Main main = new Main();
        main.addInitialProperty("camel.main.name", "main-metrics");
        main.configure().addRoutesBuilder(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:send").routeId("send").to("letter-smtp:" + server());
            }
        });
        configure.accept(main);
        main.start();
        try {
            ProducerTemplate template = main.getCamelContext().createProducerTemplate();
            SendResults results = template.requestBody("direct:send",
                    List.of(Letter.from("app@example.test").to("anna@example.test").subject("one").text("1").build(),
                            Letter.from("app@example.test").to("bob@example.test", "carl@example.test")
                                    .subject("two").text("2").build()),
                    SendResults.class);
            assertEquals(2, results.sentCount(), results::toString);
            check.accept(main);
        } finally {
            main.stop();
        }
    }

    private static void assertMeters(MeterRegistry meters) {
        String server = server();
        assertEquals(2.0, meters.get("letter.smtp.letters").tags("server", server, "status", "SENT").functionCounter()
                .count());
        assertEquals(0.0, meters.get("letter.smtp.letters").tags("server", server, "status", "FAILED")
                .functionCounter().count());
        assertEquals(3.0, meters.get("letter.smtp.recipients").tags("server", server, "outcome", "accepted")
                .functionCounter().count());
        assertTrue(meters.get("letter.smtp.bytes").tags("server", server).functionCounter().count() > 100);
        assertEquals(2.0, meters.get("letter.smtp.letter.time").tags("server", server).functionTimer().count());
        assertEquals(1.0, meters.get("letter.smtp.pool.connections").tags("server", server, "state", "idle").gauge()
                .value());
    }
}
