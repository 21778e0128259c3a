package io.github.smtpletter.smtp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.github.smtpletter.letter.Letter;
import io.github.smtpletter.testsupport.TestParameters;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The client's statistics after real sends against GreenMail, a closed port and a wrong password. */
class SmtpStatisticsTest {

    @RegisterExtension
    static final GreenMailExtension GREENMAIL = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("sender@example.test", "joe", "s3cret"))
            .withPerMethodLifecycle(true);

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    private SmtpClient client() {
        SmtpClient c = new SmtpClient();
        toClose.add(c);
        return c;
    }

    private static TestParameters greenMail() {
        return TestParameters.builder().host("127.0.0.1").port(GREENMAIL.getSmtp().getPort())
                .connectTimeout(Duration.ofSeconds(5)).readTimeout(Duration.ofSeconds(10));
    }

    private static Letter letter(String subject, String... to) {
        return Letter.from("sender@example.test").to(to).subject(subject).text("body of " + subject).build();
    }

    @Test
    void countsLettersRecipientsBytesAndTimePerServer() {
        SmtpClient client = client();
        SmtpConnectionParameters params = greenMail().build();
        String server = params.server().address();

        client.send(params, letter("one", "anna@example.test"));
        client.send(params, letter("two", "anna@example.test", "bob@example.test"),
                letter("three", "carl@example.test"));

        SmtpStatistics.Server s = client.statistics().server(server);
        assertEquals(3, s.letters(SendStatus.SENT));
        assertEquals(0, s.letters(SendStatus.FAILED));
        assertEquals(4, s.acceptedRecipients());
        assertEquals(0, s.rejectedRecipients());
        assertTrue(s.bytesSent() > 3 * "body of one".length(), () -> "bytes " + s.bytesSent());
        assertEquals(3, s.timedLetters());
        assertTrue(s.sendingTime().toNanos() > 0);
        assertEquals(new SmtpStatistics.Pool(1, 1, 0, 0), s.pool());
        assertTrue(client.statistics().lastErrors().isEmpty());
        assertEquals(List.of(s), client.statistics().servers());
    }

    @Test
    void failuresAndAuthFailuresAreCountedAndKeptAsLastErrors() {
        SmtpClient client = client();
        int closedPort = AvailablePortFinder.getNextAvailable();
        SmtpConnectionParameters closed = TestParameters.builder().host("127.0.0.1").port(closedPort)
                .connectTimeout(Duration.ofSeconds(2)).build();
        SmtpConnectionParameters wrongPassword = greenMail().authMechanism("PLAIN").username("joe")
                .password("Not-The-Pa55word").allowPlaintextAuth(true).build();

        Letter lost = letter("lost", "anna@example.test");
        client.send(closed, lost);
        client.send(wrongPassword, letter("refused", "anna@example.test"));

        SmtpStatistics stats = client.statistics();
        assertEquals(1, stats.server("127.0.0.1:" + closedPort).letters(SendStatus.FAILED));
        assertEquals(0, stats.server("127.0.0.1:" + closedPort).authFailures());
        SmtpStatistics.Server green = stats.server(wrongPassword.server().address());
        assertEquals(1, green.authFailures());
        assertEquals(1, green.letters(SendStatus.FAILED));
        assertEquals(0, green.letters(SendStatus.SENT));

        List<SmtpStatistics.LastError> errors = stats.lastErrors();
        assertEquals(2, errors.size());
        assertEquals(wrongPassword.server().address(), errors.get(0).server(), "newest first");
        assertEquals(lost.messageId(), errors.get(1).messageId());
        assertEquals(SendStatus.FAILED, errors.get(1).status());
        assertNotNull(errors.get(1).error());
        for (SmtpStatistics.LastError e : errors) {
            assertFalse(e.error().contains("Not-The-Pa55word"), e::toString);
        }
    }

    @Test
    void lastErrorsAreBounded() {
        SmtpClient client = client();
        SmtpConnectionParameters closed = TestParameters.builder().host("127.0.0.1")
                .port(AvailablePortFinder.getNextAvailable()).connectTimeout(Duration.ofSeconds(2)).build();
        List<Letter> letters = new ArrayList<>();
        for (int i = 0; i < SmtpStatistics.LAST_ERRORS + 5; i++) {
            letters.add(letter("lost " + i, "anna@example.test"));
        }
        client.send(closed, letters);

        List<SmtpStatistics.LastError> errors = client.statistics().lastErrors();
        assertEquals(SmtpStatistics.LAST_ERRORS, errors.size());
        assertEquals(letters.get(letters.size() - 1).messageId(), errors.get(0).messageId());
        assertEquals(SmtpStatistics.LAST_ERRORS + 5,
                client.statistics().server(closed.server().address()).letters(SendStatus.FAILED));
    }

    @Test
    void closeIdleConnectionsKeepsThePoolUsable() {
        SmtpClient client = client();
        SmtpConnectionParameters params = greenMail().build();
        client.send(params, letter("one", "anna@example.test"));
        assertEquals(1, client.statistics().server(params.server().address()).pool().idle());

        assertEquals(1, client.closeIdleConnections(params));
        assertEquals(0, client.closeIdleConnections(greenMail().port(1).build()), "no pool for these");

        assertEquals(new SmtpStatistics.Pool(0, 0, 0, 0), client.statistics().server(params.server().address()).pool());
        assertEquals(SendStatus.SENT, client.send(params, letter("two", "anna@example.test")).get(0).status());
        assertEquals(2, client.statistics().server(params.server().address()).letters(SendStatus.SENT));
    }

    @Test
    void statisticsOutliveAClientAndShowTheNewestClientsPools() throws Exception {
        SmtpStatistics stats = new SmtpStatistics();
        List<SmtpStatistics.Server> seen = new ArrayList<>();
        stats.onEachServer(seen::add);
        ExecutorService senders = Executors.newCachedThreadPool();
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        toClose.add(timer::shutdownNow);
        toClose.add(senders::shutdownNow);
        SmtpConnectionParameters params = greenMail().build();

        SmtpClient first = new SmtpClient(senders, timer, stats);
        first.send(params, letter("one", "anna@example.test"));
        first.close();
        assertEquals(new SmtpStatistics.Pool(0, 0, 0, 0), stats.server(params.server().address()).pool());

        SmtpClient second = new SmtpClient(senders, timer, stats);
        toClose.add(0, second);
        second.send(params, letter("two", "anna@example.test"));

        SmtpStatistics.Server s = stats.server(params.server().address());
        assertEquals(2, s.letters(SendStatus.SENT));
        assertEquals(1, s.pool().open());
        assertEquals(List.of(s), seen, "the listener is told once per server");
    }
}
