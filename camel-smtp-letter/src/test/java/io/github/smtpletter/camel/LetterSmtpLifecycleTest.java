package io.github.smtpletter.camel;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import io.github.smtpletter.letter.Letter;
import io.github.smtpletter.smtp.SendResult;
import io.github.smtpletter.smtp.SmtpClient;
import io.github.smtpletter.testsupport.ScriptedSmtpPeer;
import io.github.smtpletter.testsupport.SmtpResponder;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The component's SMTP client lives from the component's start to its stop, on threads of the CamelContext's
 * ExecutorServiceManager; a route defined before the context starts sends through it.
 */
class LetterSmtpLifecycleTest extends CamelTestSupport {

    private final SmtpResponder responder = new SmtpResponder("PIPELINING");
    private ScriptedSmtpPeer peer;

    @Override
    protected RouteBuilder createRouteBuilder() throws Exception {
        peer = new ScriptedSmtpPeer(0, Duration.ofSeconds(10), responder, List.of());
        String uri = "letter-smtp:127.0.0.1:" + peer.port() + "?ehloName=client.test&maxConnections=3";
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:send").to(uri);
            }
        };
    }

    @AfterEach
    void closePeer() throws Exception {
        if (peer != null) {
            peer.close();
        }
    }

    private static List<Letter> letters(int n) {
        List<Letter> letters = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            letters.add(Letter.from("sender@t.test").to("r" + i + "@t.test").subject("s").text("letter " + i).build());
        }
        return letters;
    }

    private List<String> send(int n) {
        Exchange out = template.send("direct:send", e -> e.getIn().setBody(letters(n)));
        assertNull(out.getException(), () -> String.valueOf(out.getException()));
        List<String> statuses = new ArrayList<>();
        for (Object r : out.getMessage().getBody(List.class)) {
            statuses.add(((SendResult) r).status().name());
        }
        return statuses;
    }

    @Test
    void aRouteSendsOnTheContextsThreadsAndStoppingTheContextLeavesNoneBehind() throws Exception {
        // 12 letters over up to 3 connections: two slices go to the sender pool
        assertEquals(Collections.nCopies(12, "SENT"), send(12));
        SmtpClient client = LetterSmtpTestHelper.client(context);
        List<String> threads = LetterSmtpTestHelper.componentThreads(context);
        assertTrue(threads.stream().anyMatch(n -> n.endsWith(" - LetterSmtpSender")), threads::toString);
        assertTrue(threads.stream().anyMatch(n -> n.endsWith(" - LetterSmtpTimer")), threads::toString);

        context.stop();
        LetterSmtpTestHelper.awaitNoComponentThreads(context);
        assertEquals(0, client.openConnections(), "connections open after the context stopped");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> LetterSmtpTestHelper.client(context));
        assertTrue(e.getMessage().contains("not started"), e::getMessage);
        peer.assertNoErrors();
    }

    @Test
    void aRestartedComponentSendsWithANewClient() throws Exception {
        assertEquals(List.of("SENT"), send(1));
        LetterSmtpComponent component = context.getComponent("letter-smtp", LetterSmtpComponent.class);
        SmtpClient first = component.client();

        component.stop();
        assertThrows(IllegalStateException.class, component::client);
        assertEquals(0, first.openConnections(), "the stopped component's client said QUIT");
        component.start();

        assertNotSame(first, component.client());
        assertEquals(List.of("SENT", "SENT"), send(2));
        context.stop(); // QUIT on the pooled connection, so the peer's script ends
        peer.assertNoErrors();
    }
}
