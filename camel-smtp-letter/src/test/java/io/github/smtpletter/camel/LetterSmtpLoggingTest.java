package io.github.smtpletter.camel;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.github.smtpletter.letter.Letter;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
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

    private final Capture capture = new Capture();

    /** Collects every event of the io.github.smtpletter loggers (DEBUG in log4j2-test.xml). */
    static final class Capture extends AbstractAppender {
        final List<LogEvent> events = new CopyOnWriteArrayList<>();

        Capture() {
            super("capture", null, null, true, Property.EMPTY_ARRAY);
        }

        @Override
        public void append(LogEvent event) {
            events.add(event.toImmutable());
        }

        List<String> producerLines() {
            return events.stream().filter(e -> e.getLoggerName().equals(LetterSmtpProducer.class.getName()))
                    .map(e -> e.getMessage().getFormattedMessage()).toList();
        }
    }

    @BeforeEach
    void attach() {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        Configuration config = ctx.getConfiguration();
        capture.start();
        LoggerConfig logger = config.getLoggerConfig("io.github.smtpletter");
        logger.addAppender(capture, Level.DEBUG, null);
        ctx.updateLoggers();
    }

    @AfterEach
    void detach() {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        ctx.getConfiguration().getLoggerConfig("io.github.smtpletter").removeAppender(capture.getName());
        ctx.updateLoggers();
        capture.stop();
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
                java.util.Map.of("from", "shop@example.org", "to", "not-an-address"));
        Exchange out = template.send("direct:good", e -> e.getIn().setBody(letters));
        assertEquals(2, out.getMessage().getHeader(LetterSmtpConstants.SENT_COUNT));

        List<String> lines = capture.producerLines().stream().filter(l -> l.startsWith("letter ")).toList();
        assertEquals(3, lines.size(), lines.toString());
        String server = "127.0.0.1:" + GREEN_MAIL.getSmtp().getPort();
        assertTrue(lines.get(0).startsWith("letter SENT <one@example.org> via " + server + ": 250"), lines.get(0));
        assertTrue(lines.get(1).startsWith("letter SENT <two@example.org> via " + server + ": 250"), lines.get(1));
        assertTrue(lines.get(2).startsWith("letter REJECTED (invalid letter) via " + server + ": Invalid letter field"),
                lines.get(2));
        assertTrue(capture.events.stream().filter(e -> e.getLoggerName().equals(LetterSmtpProducer.class.getName()))
                .allMatch(e -> e.getLevel() == Level.DEBUG));
        assertNoSecretLogged();
    }

    @Test
    void failedLettersAreLoggedWithTheReplyAndWithoutThePassword() {
        template.send("direct:wrong", e -> e.getIn().setBody(
                Letter.from("shop@example.org").to("ann@example.org").messageId("three@example.org").build()));
        List<String> lines = capture.producerLines().stream().filter(l -> l.startsWith("letter ")).toList();
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).startsWith("letter FAILED <three@example.org> via 127.0.0.1:"), lines.get(0));
        assertTrue(lines.get(0).contains("535"), lines.get(0));
        assertNoSecretLogged();
    }

    private void assertNoSecretLogged() {
        for (LogEvent e : capture.events) {
            String text = e.getMessage().getFormattedMessage()
                          + (e.getThrown() == null ? "" : " " + e.getThrown());
            assertFalse(text.contains(PASSWORD), "secret in log line: " + text);
        }
    }
}
