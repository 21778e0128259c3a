package io.github.smtpletter.camel;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.github.smtpletter.letter.Letter;
import io.github.smtpletter.smtp.SendResult;
import io.github.smtpletter.smtp.SendStatus;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.console.DevConsole;
import org.apache.camel.console.DevConsoleRegistry;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.Registry;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.apache.camel.test.junit5.TestExecutionConfiguration;
import org.apache.camel.util.json.JsonArray;
import org.apache.camel.util.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Operations against GreenMail: Micrometer meters bound from the Camel registry, the endpoint's JMX attributes and
 * operation through the platform MBean server, and the letter-smtp dev console; a component without a MeterRegistry.
 */
class LetterSmtpOperationsTest extends CamelTestSupport {

    private static final String WRONG_PASSWORD = "Not-The-Pa55word";

    @RegisterExtension
    static final GreenMailExtension GREEN_MAIL = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("alice", "s3cret-Wonderland"));

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @Override
    public void configureTest(TestExecutionConfiguration testExecutionConfiguration) {
        super.configureTest(testExecutionConfiguration);
        testExecutionConfiguration.withJMX(true);
    }

    @Override
    protected void bindToRegistry(Registry registry) {
        registry.bind("meters", MeterRegistry.class, meters);
    }

    private static String server() {
        return "127.0.0.1:" + GREEN_MAIL.getSmtp().getPort();
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:send").routeId("send").to("letter-smtp:" + server() + "?connectTimeout=5s");
                from("direct:wrong").routeId("wrong").to("letter-smtp:" + server()
                                                         + "?authMechanism=PLAIN&username=alice&password=RAW("
                                                         + WRONG_PASSWORD
                                                         + ")&allowPlaintextAuth=true&failOnNotSent=false");
            }
        };
    }

    private List<SendResult> send(String route, Letter... letters) {
        @SuppressWarnings("unchecked")
        List<SendResult> results = template.requestBody(route, List.of(letters), List.class);
        return results;
    }

    private static Letter letter(String subject, String... to) {
        return Letter.from("sender@example.test").to(to).subject(subject).text("body of " + subject).build();
    }

    @Test
    void metersAreReadBackAfterSends() {
        send("direct:send", letter("one", "anna@example.test", "bob@example.test"));
        send("direct:send", letter("two", "anna@example.test"), letter("three", "carl@example.test"));
        send("direct:wrong", letter("refused", "anna@example.test"));

        String server = server();
        assertEquals(3.0, meters.get("letter.smtp.letters").tags("server", server, "status", "SENT").functionCounter()
                .count());
        assertEquals(1.0, meters.get("letter.smtp.letters").tags("server", server, "status", "FAILED")
                .functionCounter().count());
        assertEquals(0.0, meters.get("letter.smtp.letters").tags("server", server, "status", "UNKNOWN")
                .functionCounter().count());
        assertEquals(4.0, meters.get("letter.smtp.recipients").tags("server", server, "outcome", "accepted")
                .functionCounter().count());
        assertEquals(0.0, meters.get("letter.smtp.recipients").tags("server", server, "outcome", "rejected")
                .functionCounter().count());
        assertTrue(meters.get("letter.smtp.bytes").tags("server", server).functionCounter().count() > 100);
        assertEquals(1.0, meters.get("letter.smtp.auth.failures").tags("server", server).functionCounter().count());
        FunctionTimer time = meters.get("letter.smtp.letter.time").tags("server", server).functionTimer();
        assertEquals(4.0, time.count());
        assertTrue(time.totalTime(TimeUnit.NANOSECONDS) > 0);
        assertEquals(1.0, meters.get("letter.smtp.pool.connections").tags("server", server, "state", "open").gauge()
                .value());
        assertEquals(1.0, meters.get("letter.smtp.pool.connections").tags("server", server, "state", "idle").gauge()
                .value());
        assertEquals(0.0, meters.get("letter.smtp.pool.connections").tags("server", server, "state", "leased")
                .gauge().value());
        assertEquals(0.0, meters.get("letter.smtp.pool.waiting").tags("server", server).gauge().value());
        Set<String> tagKeys = new TreeSet<>();
        meters.getMeters().stream().filter(m -> m.getId().getName().startsWith("letter.smtp."))
                .forEach(m -> m.getId().getTags().forEach(t -> tagKeys.add(t.getKey())));
        assertEquals(Set.of("server", "status", "outcome", "state"), tagKeys, "never a recipient, subject or user");
    }

    @Test
    void jmxAttributesAndCloseIdleConnections() throws Exception {
        send("direct:send", letter("one", "anna@example.test", "bob@example.test"));
        send("direct:wrong", letter("refused", "anna@example.test"));

        MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = endpointMBean(mbeans, "letter-smtp://" + server() + "?connectTimeout=5s");
        assertEquals(server(), mbeans.getAttribute(name, "Server"));
        assertEquals(1L, mbeans.getAttribute(name, "LettersSent"));
        assertEquals(1L, mbeans.getAttribute(name, "LettersFailed"), "figures are per server");
        assertEquals(0L, mbeans.getAttribute(name, "LettersUnknown"));
        assertEquals(2L, mbeans.getAttribute(name, "AcceptedRecipients"));
        assertEquals(1L, mbeans.getAttribute(name, "AuthFailures"));
        assertTrue((Long) mbeans.getAttribute(name, "BytesSent") > 100);
        assertTrue((Double) mbeans.getAttribute(name, "MeanLetterTimeMillis") > 0);
        assertEquals(1, mbeans.getAttribute(name, "OpenConnections"));
        assertEquals(1, mbeans.getAttribute(name, "IdleConnections"));
        assertEquals(0, mbeans.getAttribute(name, "LeasedConnections"));
        assertEquals(0, mbeans.getAttribute(name, "WaitingCallers"));
        String[] errors = (String[]) mbeans.getAttribute(name, "LastErrors");
        assertEquals(1, errors.length);
        assertTrue(errors[0].contains("FAILED"), errors[0]);
        assertFalse(errors[0].contains(WRONG_PASSWORD), errors[0]);

        assertEquals(1, mbeans.invoke(name, "closeIdleConnections", null, null));
        assertEquals(0, mbeans.getAttribute(name, "OpenConnections"));
        assertEquals(0, mbeans.invoke(name, "closeIdleConnections", null, null));
        assertEquals(SendStatus.SENT, send("direct:send", letter("two", "anna@example.test")).get(0).status());
        assertEquals(2L, mbeans.getAttribute(name, "LettersSent"));
    }

    private ObjectName endpointMBean(MBeanServer mbeans, String uri) throws Exception {
        Set<ObjectName> names = mbeans.queryNames(new ObjectName("org.apache.camel:context=" + context
                .getManagementName()
                                                                 + ",type=endpoints,*"),
                null);
        for (ObjectName n : names) {
            Object endpointUri = mbeans.getAttribute(n, "EndpointUri");
            if (uri.equals(endpointUri)) {
                return n;
            }
        }
        throw new AssertionError("no endpoint MBean for " + uri + " among " + names);
    }

    @Test
    void devConsoleShowsPoolsCountsAndLastErrors() {
        send("direct:send", letter("one", "anna@example.test"));
        Letter refused = letter("refused", "anna@example.test");
        send("direct:wrong", refused);

        DevConsole console = DevConsoleRegistry.get(context).resolveById("letter-smtp");
        assertNotNull(console, "discovered through META-INF/services/org/apache/camel/dev-console/letter-smtp");
        assertEquals("camel", console.getGroup());

        String text = (String) console.call(DevConsole.MediaType.TEXT);
        assertTrue(text.contains("Server: " + server()), text);
        assertTrue(text.contains("SENT=1"), text);
        assertTrue(text.contains("FAILED=1"), text);
        assertTrue(text.contains("Pool: open=1 idle=1 leased=0 waiting=0"), text);
        assertTrue(text.contains(refused.messageId()), text);
        assertFalse(text.contains(WRONG_PASSWORD), text);

        JsonObject json = (JsonObject) console.call(DevConsole.MediaType.JSON);
        JsonObject component = (JsonObject) ((JsonArray) json.get("components")).get(0);
        assertEquals("letter-smtp", component.get("component"));
        JsonObject first = (JsonObject) ((JsonArray) component.get("servers")).get(0);
        assertEquals(server(), first.get("server"));
        assertEquals(1L, ((Map<?, ?>) first.get("letters")).get("SENT"));
        assertEquals(1, ((Map<?, ?>) first.get("pool")).get("idle"));
        JsonObject error = (JsonObject) ((JsonArray) component.get("lastErrors")).get(0);
        assertEquals(refused.messageId(), error.get("messageId"));
        assertEquals("FAILED", error.get("status"));
        assertFalse(json.toJson().contains(WRONG_PASSWORD));
    }

    @Test
    void aComponentWithoutMeterRegistryStartsAndSends() throws Exception {
        try (CamelContext plain = new DefaultCamelContext()) {
            plain.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:plain").to("letter-smtp:" + server());
                }
            });
            plain.start();
            @SuppressWarnings("unchecked")
            List<SendResult> results = plain.createProducerTemplate().requestBody("direct:plain",
                    letter("plain", "anna@example.test"), List.class);
            assertEquals(SendStatus.SENT, results.get(0).status());
            LetterSmtpComponent component = plain.getComponent("letter-smtp", LetterSmtpComponent.class);
            assertEquals(1, component.getStatistics().server(server()).letters(SendStatus.SENT));
        }
        assertTrue(meters.find("letter.smtp.letters").tags("server", server(), "status", "SENT").functionCounters()
                .stream().allMatch(c -> c.count() == 0), "the other context's registry is not touched");
    }
}
