package io.github.smtpletter.smtp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import io.github.smtpletter.letter.Letter;
import io.github.smtpletter.letter.MailAddress;
import io.github.smtpletter.testsupport.ScriptedSmtpPeer;
import io.github.smtpletter.testsupport.TestParameters;
import org.junit.jupiter.api.AfterEach;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Shared setup for tests against {@link ScriptedSmtpPeer}. */
abstract class ScriptedTestSupport {

    protected ScriptedSmtpPeer peer;
    protected SmtpClient client;

    @AfterEach
    void closeAll() throws Exception {
        if (client != null) {
            client.close();
        }
        if (peer != null) {
            peer.close();
        }
    }

    protected ScriptedSmtpPeer peer(ScriptedSmtpPeer.Script... scripts) throws IOException {
        peer = new ScriptedSmtpPeer(scripts);
        return peer;
    }

    protected SmtpClient client() {
        return client(new TestWriter(), 64 * 1024, Duration.ofSeconds(2));
    }

    protected SmtpClient client(MessageWriter writer, int chunkSize, Duration validateAfter) {
        client = new SmtpClient(writer, chunkSize, validateAfter, SmtpSession::open);
        return client;
    }

    protected TestParameters params() {
        return TestParameters.builder().host("127.0.0.1").port(peer.port()).ehloName("client.test")
                .connectTimeout(Duration.ofSeconds(3)).readTimeout(Duration.ofSeconds(5));
    }

    protected static Letter letter(String text, String... to) {
        return Letter.from("sender@example.test").to(to).subject("s").text(text).build();
    }

    /** The exact DATA bytes the client must send for a TestWriter letter whose text ends with CRLF. */
    protected static byte[] stuffed(String wire) {
        return wire.getBytes(StandardCharsets.UTF_8);
    }

    protected static void assertData(String expectedWire, byte[] actual) {
        assertArrayEquals(stuffed(expectedWire), actual,
                () -> "DATA bytes differ:\n" + new String(actual, StandardCharsets.UTF_8));
    }

    /** Serves one plain (non-pipelined, DATA) transaction and checks the message bytes when given. */
    protected static void plainTransaction(ScriptedSmtpPeer.Conn c, String queueId, String... rcpts)
            throws IOException {
        c.expect("MAIL FROM:<sender@example.test>");
        c.send("250 2.1.0 Ok");
        for (String r : rcpts) {
            c.expect("RCPT TO:<" + r + ">");
            c.send("250 2.1.5 Ok");
        }
        c.expect("DATA");
        c.send("354 End data with <CR><LF>.<CR><LF>");
        c.readData();
        c.send("250 2.0.0 Ok: queued as " + queueId);
    }

    protected static List<String> addresses(List<MailAddress> list) {
        return list.stream().map(MailAddress::address).toList();
    }

    protected static void assertStatuses(List<SendResult> results, SendStatus... expected) {
        assertEquals(List.of(expected), results.stream().map(SendResult::status).toList(), results::toString);
    }
}
