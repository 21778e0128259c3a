package io.github.smtpletter.camel;

import java.util.List;
import java.util.Map;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.github.smtpletter.letter.Letter;
import io.github.smtpletter.testsupport.LogCapture;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One DEBUG line per letter from the producer, with status, Message-ID and reply, and nothing secret anywhere. */
class LetterSmtpLoggingTest extends CamelTestSupport {

    private static final String PASSWORD = "Pa55-Log-Secret";

    @RegisterExtension
    static final GreenMailExtension GREEN_MAIL = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("alice", PASSWORD));

    private LogCapture capture;

    /** Captures every event of the io.github.smtpletter loggers (DEBUG in log4j2-test.xml). */
    @BeforeEach
    void attach() {
        capture = LogCapture.loggers(Level.DEBUG, "io.github.smtpletter");
    }

    @AfterEach
    void detach() {
        capture.close();
    }

    private List<String> producerLines() {
        return capture.messages(LetterSmtpProducer.class.getName());
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                String base = "letter-smtp:127.0.0.1:" + GREEN_MAIL.getSmtp().getPort()
                              + "?authMechanism=PLAIN&username=alice&allowPlaintextAuth=true&failOnNotSent=false"
                              + "&password=RAW(";
                from("direct:good").to(base + PASSWORD + ")");
                from("direct:wrong").to(base + PASSWORD + "-wrong)");
            }
        };
    }

    @Test
    void oneDebugLinePerLetterWithStatusMessageIdAndReply() {
        List<Object> letters = List.of(
                Letter.from("shop@example.org").to("ann@example.org").subject("one").messageId("one@example.org")
                        .build(),
                Letter.from("shop@example.org").to("bob@example.org").subject("two").messageId("two@example.org")
                        .build(),
                Map.of("from", "shop@example.org", "to", "not-an-address"));
        Exchange out = template.send("direct:good", e -> e.getIn().setBody(letters));
        assertEquals(2, out.getMessage().getHeader(LetterSmtpConstants.SENT_COUNT));

        List<String> lines = producerLines().stream().filter(l -> l.startsWith("letter ")).toList();
        assertEquals(3, lines.size(), lines.toString());
        String server = "127.0.0.1:" + GREEN_MAIL.getSmtp().getPort();
        assertTrue(lines.get(0).startsWith("letter SENT <one@example.org> via " + server + ": 250"), lines.get(0));
        assertTrue(lines.get(1).startsWith("letter SENT <two@example.org> via " + server + ": 250"), lines.get(1));
        assertTrue(lines.get(2).startsWith("letter REJECTED (invalid letter) via " + server + ": Invalid letter field"),
                lines.get(2));
        assertTrue(capture.lines().stream().filter(l -> l.logger().equals(LetterSmtpProducer.class.getName()))
                .allMatch(l -> l.level() == Level.DEBUG));
        assertNoSecretLogged();
    }

    @Test
    void failedLettersAreLoggedWithTheReplyAndWithoutThePassword() {
        template.send("direct:wrong", e -> e.getIn().setBody(
                Letter.from("shop@example.org").to("ann@example.org").messageId("three@example.org").build()));
        List<String> lines = producerLines().stream().filter(l -> l.startsWith("letter ")).toList();
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).startsWith("letter FAILED <three@example.org> via 127.0.0.1:"), lines.get(0));
        assertTrue(lines.get(0).contains("535"), lines.get(0));
        assertNoSecretLogged();
    }

    private void assertNoSecretLogged() {
        for (LogCapture.Line l : capture.lines()) {
            String text = l.full();
            assertFalse(text.contains(PASSWORD), "secret in log line: " + text);
        }
    }
}
