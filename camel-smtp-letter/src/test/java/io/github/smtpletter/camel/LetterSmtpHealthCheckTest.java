package io.github.smtpletter.camel;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.github.smtpletter.letter.Letter;
import io.github.smtpletter.smtp.SendResult;
import io.github.smtpletter.smtp.SendStatus;
import io.github.smtpletter.testsupport.ScriptedSmtpPeer;
import io.github.smtpletter.testsupport.SmtpResponder;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.HealthCheckRepository;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.apache.camel.test.AvailablePortFinder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The producer health check against GreenMail (which requires a password) and against a closed port; its cache and
 * the updates from real sends against a scripted peer that counts connections.
 */
class LetterSmtpHealthCheckTest extends CamelTestSupport {

    private static final String PASSWORD = "s3cret-Wonderland";
    private static final String WRONG_PASSWORD = "Not-The-Pa55word";

    @RegisterExtension
    static final GreenMailExtension GREEN_MAIL = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("alice", PASSWORD));

    private static int closedPort;
    /** Holds {@link #closedPort}: bound, never listening, so connects to it are refused and nobody else can take it. */
    private static Socket closedPortHolder;

    private ScriptedSmtpPeer peer;
    private Socket peerPortHolder;

    @BeforeAll
    static void findAClosedPort() throws IOException {
        closedPort = AvailablePortFinder.getNextAvailable();
        closedPortHolder = holdClosed(closedPort);
    }

    @AfterAll
    static void releaseTheClosedPort() throws IOException {
        closedPortHolder.close();
    }

    /**
     * Binds a socket to the loopback port without listening: a connect to it is refused, and no other process (on a
     * machine busy with other test runs) can start a server on it while the test expects nothing there.
     */
    private static Socket holdClosed(int port) throws IOException {
        Socket holder = new Socket();
        holder.setReuseAddress(true);
        holder.bind(new InetSocketAddress("127.0.0.1", port));
        return holder;
    }

    private String uri(int port, String password) {
        return "letter-smtp:127.0.0.1:" + port + "?authMechanism=PLAIN&username=alice&password=RAW(" + password
               + ")&allowPlaintextAuth=true&connectTimeout=2s&readTimeout=5s";
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:good").routeId("good").to(uriOf("good"));
                from("direct:closed").routeId("closed").to(uriOf("closed"));
                from("direct:wrong").routeId("wrong").to(uriOf("wrong"));
            }
        };
    }

    @AfterEach
    void closePeer() throws IOException {
        if (peer != null) {
            peer.close();
        }
        if (peerPortHolder != null) {
            peerPortHolder.close();
        }
    }

    private HealthCheckRepository producers() {
        Optional<HealthCheckRepository> repo = Optional.ofNullable(
                HealthCheckHelper.getHealthCheckRepository(context, "producers"));
        assertTrue(repo.isPresent(), "the producers repository is registered by the producers");
        repo.get().setEnabled(true); // camel.health.producersEnabled=true does this in Camel Main / Spring Boot
        return repo.get();
    }

    /** The letter-smtp endpoint each route sends to. */
    private String uriOf(String routeId) {
        int port = GREEN_MAIL.getSmtp().getPort();
        return switch (routeId) {
            case "good" -> uri(port, PASSWORD);
            case "good2" -> uri(port, PASSWORD) + "&subject=other";
            case "closed" -> uri(closedPort, PASSWORD);
            default -> "letter-smtp:localhost:" + port + "?authMechanism=PLAIN&username=alice&password=RAW("
                       + WRONG_PASSWORD + ")&allowPlaintextAuth=true";
        };
    }

    /** The health check id of the letter-smtp endpoint a route sends to: {@code producer:letter-smtp-HOST:PORT-ID}. */
    private String idOf(String routeId) {
        return context.getEndpoint(uriOf(routeId), LetterSmtpEndpoint.class).healthCheckId();
    }

    private HealthCheck check(String id) {
        return producers().stream().filter(c -> c.getId().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no health check " + id + " in "
                                                      + producers().stream().map(HealthCheck::getId).toList()));
    }

    @Test
    void upAgainstAServerThatTakesTheCredentials() {
        HealthCheck.Result r = check(idOf("good")).call();
        assertEquals(HealthCheck.State.UP, r.getState(), r.getMessage().orElse(""));
        assertEquals("127.0.0.1:" + GREEN_MAIL.getSmtp().getPort(), r.getDetails().get("server"));
        assertEquals("PLAIN", r.getDetails().get("authMechanism"));
        assertNoSecret(r);
        assertEquals(0, GREEN_MAIL.getReceivedMessages().length, "a health check sends no letter");
    }

    @Test
    void downAgainstAClosedPortNamingIt() {
        HealthCheck.Result r = check(idOf("closed")).call();
        assertEquals(HealthCheck.State.DOWN, r.getState());
        String message = r.getMessage().orElseThrow();
        assertTrue(message.contains("127.0.0.1:" + closedPort), message);
        assertTrue(r.getError().isPresent());
        assertEquals(true, r.getDetails().get("retryable"));
        assertNoSecret(r);
    }

    @Test
    void downWithAWrongPasswordShowingTheReplyButNotThePassword() {
        HealthCheck.Result r = check(idOf("wrong")).call();
        assertEquals(HealthCheck.State.DOWN, r.getState());
        String message = r.getMessage().orElseThrow();
        assertTrue(message.contains("localhost:" + GREEN_MAIL.getSmtp().getPort()), message);
        assertTrue(message.contains("535"), message);
        assertEquals(535, r.getDetails().get(AbstractHealthCheck.SERVICE_STATUS_CODE));
        assertTrue(r.getDetails().get("reply").toString().startsWith("535"), r.getDetails().toString());
        assertEquals(false, r.getDetails().get("retryable"));
        assertNoSecret(r);
    }

    @Test
    void readinessOnlyAndReportedThroughTheRegistry() {
        producers();
        Collection<HealthCheck.Result> readiness = HealthCheckHelper.invokeReadiness(context, "full");
        assertEquals(3, readiness.stream().filter(r -> r.getCheck().getId().startsWith("producer:letter-smtp-"))
                .count());
        assertFalse(HealthCheckHelper.invokeLiveness(context, "full").stream()
                .anyMatch(r -> r.getCheck().getId().startsWith("producer:letter-smtp-")));
        assertFalse(HealthCheckHelper.isResultsUp(readiness, true), "one server is down, so not ready");
    }

    @Test
    void disabledWhenTheComponentSaysSo() throws Exception {
        LetterSmtpComponent component = context.getComponent("letter-smtp", LetterSmtpComponent.class);
        component.setHealthCheckProducerEnabled(false);
        context.getRouteController().stopRoute("good");
        context.getRouteController().startRoute("good");
        HealthCheck.Result r = check(idOf("good")).call();
        assertEquals(HealthCheck.State.UNKNOWN, r.getState());
        assertEquals("Disabled", r.getMessage().orElse(""));
    }

    @Test
    void twoProducersForOneServerGetTwoChecks() throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:good2").routeId("good2").to(uriOf("good2"));
            }
        });
        String id = idOf("good");
        String other = idOf("good2");
        assertTrue(id.startsWith("producer:letter-smtp-127.0.0.1:" + GREEN_MAIL.getSmtp().getPort() + "-"), id);
        assertTrue(other.startsWith("producer:letter-smtp-127.0.0.1:" + GREEN_MAIL.getSmtp().getPort() + "-"), other);
        assertNotEquals(id, other);
        assertEquals(HealthCheck.State.UP, check(id).call().getState());
        assertEquals(HealthCheck.State.UP, check(other).call().getState());
    }

    /** Adds route {@code direct:peer} sending to the scripted peer with these options; returns its check. */
    private HealthCheck peerRoute(String options) throws Exception {
        String uri = "letter-smtp:127.0.0.1:" + peer.port() + "?ehloName=client.test&connectTimeout=2s&readTimeout=5s"
                     + options;
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:peer").routeId("peer").to(uri);
            }
        });
        return check(context.getEndpoint(uri, LetterSmtpEndpoint.class).healthCheckId());
    }

    private SendResult sendToPeer() {
        Letter letter = Letter.from("sender@t.test").to("rcpt@t.test").subject("s").text("hello").build();
        Exchange out = template.send("direct:peer", e -> e.getIn().setBody(letter));
        return out.getMessage().getBody(List.class).isEmpty() ? null
                : (SendResult) out.getMessage().getBody(List.class).get(0);
    }

    @Test
    void callsWithinTheCacheTimeShareOneProbeAndAProbeFollowsWhenItIsOver() throws Exception {
        peer = ScriptedSmtpPeer.serving(new SmtpResponder());
        HealthCheck check = peerRoute("&healthCheckCacheTime=300");
        for (int i = 0; i < 5; i++) {
            HealthCheck.Result r = check.call();
            assertEquals(HealthCheck.State.UP, r.getState(), r.getMessage().orElse(""));
            assertEquals("probe", r.getDetails().get("source"));
        }
        assertTrue(peer.connectionCount() <= 1, "connections: " + peer.connectionCount());
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
            assertEquals(HealthCheck.State.UP, check.call().getState());
            return peer.connectionCount() == 2;
        });
        peer.assertNoErrors();
    }

    @Test
    void noCacheTimeProbesOnEveryCall() throws Exception {
        peer = ScriptedSmtpPeer.serving(new SmtpResponder());
        HealthCheck check = peerRoute("&healthCheckCacheTime=0");
        for (int i = 0; i < 3; i++) {
            assertEquals(HealthCheck.State.UP, check.call().getState());
        }
        assertEquals(3, peer.connectionCount());
    }

    @Test
    void aSendThatCannotConnectTurnsTheCheckDownWithoutAProbe() throws Exception {
        peer = ScriptedSmtpPeer.serving(new SmtpResponder());
        HealthCheck check = peerRoute("");
        assertEquals(HealthCheck.State.UP, check.call().getState());
        int port = peer.port();
        peer.close(); // the server goes away
        // the closed listener may need a moment to let go of the port; then nobody else can take it
        peerPortHolder = await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> holdClosed(port),
                holder -> holder != null);

        assertEquals(SendStatus.FAILED, sendToPeer().status());
        HealthCheck.Result r = check.call();
        assertEquals(HealthCheck.State.DOWN, r.getState());
        assertEquals("send", r.getDetails().get("source"), "the send's failure, not a probe");
        String message = r.getMessage().orElseThrow();
        assertTrue(message.contains("127.0.0.1:" + port), message);
        assertEquals(true, r.getDetails().get("retryable"));
        assertTrue(r.getError().isPresent());
    }

    @Test
    void aSendRefusedAtAuthTurnsTheCheckDownWithTheReplyButNoSecret() throws Exception {
        ScriptedSmtpPeer.Script probe = c -> {
            c.greetAndEhlo("AUTH PLAIN");
            authLine(c);
            c.send("235 2.7.0 Authentication successful");
            c.expectQuit();
        };
        ScriptedSmtpPeer.Script send = c -> {
            c.greetAndEhlo("AUTH PLAIN");
            authLine(c);
            c.send("535 5.7.8 Authentication credentials invalid");
            c.awaitClientClose();
        };
        peer = new ScriptedSmtpPeer(0, Duration.ofSeconds(10), null, List.of(probe, send));
        HealthCheck check = peerRoute("&authMechanism=PLAIN&username=alice&password=RAW(" + PASSWORD
                                      + ")&allowPlaintextAuth=true");
        assertEquals(HealthCheck.State.UP, check.call().getState());

        SendResult sent = sendToPeer();
        assertEquals(SendStatus.FAILED, sent.status(), sent::toString);
        HealthCheck.Result r = check.call();
        assertEquals(HealthCheck.State.DOWN, r.getState());
        assertEquals("send", r.getDetails().get("source"));
        assertEquals(535, r.getDetails().get(AbstractHealthCheck.SERVICE_STATUS_CODE));
        assertEquals(false, r.getDetails().get("retryable"));
        assertEquals(2, peer.connectionCount(), "no probe after the send");
        assertNoSecret(r);
        peer.assertNoErrors();
    }

    /** Reads the AUTH PLAIN command, with its initial response or after asking for it. */
    private static void authLine(ScriptedSmtpPeer.Conn c) throws IOException {
        String line = c.readLine();
        assertTrue(line.startsWith("AUTH PLAIN"), line);
        if (line.equals("AUTH PLAIN")) {
            c.send("334 ");
            c.readLine();
        }
    }

    @Test
    void aSuccessfulSendTurnsTheCheckUpWithoutAProbe() throws Exception {
        SmtpResponder responder = new SmtpResponder();
        peer = new ScriptedSmtpPeer(0, Duration.ofSeconds(10), responder,
                List.of(c -> c.send("554 5.3.2 not accepting connections now")));
        HealthCheck check = peerRoute("");
        HealthCheck.Result down = check.call();
        assertEquals(HealthCheck.State.DOWN, down.getState());
        assertEquals("probe", down.getDetails().get("source"));

        assertEquals(SendStatus.SENT, sendToPeer().status());
        HealthCheck.Result r = check.call();
        assertEquals(HealthCheck.State.UP, r.getState(), r.getMessage().orElse(""));
        assertEquals("send", r.getDetails().get("source"));
        assertEquals(2, peer.connectionCount(), "the probe and the send, no second probe");
        assertEquals(1, responder.messages().size());
    }

    private static void assertNoSecret(HealthCheck.Result r) {
        StringBuilder all = new StringBuilder(r.getMessage().orElse(""));
        for (Map.Entry<String, Object> e : r.getDetails().entrySet()) {
            all.append(' ').append(e.getKey()).append('=').append(e.getValue());
        }
        Throwable t = r.getError().orElse(null);
        while (t != null) {
            all.append(' ').append(t);
            t = t.getCause();
        }
        assertFalse(all.toString().contains(PASSWORD), all.toString());
        assertFalse(all.toString().contains(WRONG_PASSWORD), all.toString());
        assertFalse(all.toString().contains("alice"), "no user name either: " + all);
        assertNotNull(r.getCheck());
    }
}
