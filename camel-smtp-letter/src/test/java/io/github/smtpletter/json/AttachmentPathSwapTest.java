package io.github.smtpletter.json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import jakarta.mail.internet.MimeMessage;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.github.smtpletter.letter.Letter;
import io.github.smtpletter.smtp.SendResult;
import io.github.smtpletter.smtp.SendStatus;
import io.github.smtpletter.smtp.SmtpClient;
import io.github.smtpletter.testsupport.TestParameters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A {@code path} attachment is checked when the JSON is read and again when the file is opened for sending: a file
 * swapped for a link to a file outside the attachment directory in between is refused, never mailed.
 */
class AttachmentPathSwapTest {

    private static final String SECRET = "OUTSIDE-SECRET-0123456789";

    @RegisterExtension
    static final GreenMailExtension GREEN_MAIL = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
            .withPerMethodLifecycle(true);

    @TempDir
    Path tmp;

    private Path box;
    private Path outside;
    private final SmtpClient client = new SmtpClient();

    @BeforeEach
    void files() throws IOException {
        box = Files.createDirectory(tmp.resolve("box"));
        Files.createDirectory(box.resolve("reports"));
        Files.writeString(box.resolve("reports/q3.txt"), "inside the box");
        outside = Files.writeString(tmp.resolve("secret.txt"), SECRET);
    }

    @AfterEach
    void close() {
        client.close();
    }

    private Letter readLetter() throws IOException {
        String json = """
                {"from": "shop@example.org", "to": "ann@example.org", "subject": "Report", "text": "Attached.",
                 "attachments": [{"path": "reports/q3.txt"}]}
                """;
        return new ObjectMapper().registerModule(new LetterJacksonModule(box)).readValue(json, Letter.class);
    }

    private SendResult send(Letter letter) {
        List<SendResult> results = client.send(TestParameters.builder().host("127.0.0.1")
                .port(GREEN_MAIL.getSmtp().getPort()).connectTimeout(Duration.ofSeconds(5))
                .readTimeout(Duration.ofSeconds(10)).build(), letter);
        return results.get(0);
    }

    private void assertSecretNeverArrived() {
        String encoded = Base64.getEncoder().encodeToString(SECRET.getBytes(StandardCharsets.US_ASCII));
        for (MimeMessage m : GREEN_MAIL.getReceivedMessages()) {
            String raw = GreenMailUtil.getWholeMessage(m);
            assertFalse(raw.contains(SECRET) || raw.contains(encoded.substring(0, 20)), raw);
        }
    }

    @Test
    void theUntouchedFileIsSent() throws Exception {
        SendResult result = send(readLetter());
        assertEquals(SendStatus.SENT, result.status(), result::toString);
        assertTrue(GREEN_MAIL.waitForIncomingEmail(5000, 1));
        assertTrue(GreenMailUtil.getWholeMessage(GREEN_MAIL.getReceivedMessages()[0])
                .contains(Base64.getEncoder().encodeToString("inside the box".getBytes(StandardCharsets.US_ASCII))));
    }

    @Test
    void aFileSwappedForALinkToAnOutsideFileIsNotSent() throws Exception {
        Letter letter = readLetter();
        Path file = box.resolve("reports/q3.txt");
        Files.delete(file);
        Files.createSymbolicLink(file, outside);

        SendResult result = send(letter);

        assertNotEquals(SendStatus.SENT, result.status(), result::toString);
        assertTrue(result.error().contains("\"reports/q3.txt\" was replaced by a symbolic link"),
                result::toString);
        assertSecretNeverArrived();
    }

    @Test
    void aFolderSwappedForALinkToAnOutsideFolderIsNotSent() throws Exception {
        Letter letter = readLetter();
        Path elsewhere = Files.createDirectory(tmp.resolve("elsewhere"));
        Files.move(outside, elsewhere.resolve("q3.txt"));
        Path reports = box.resolve("reports");
        Files.delete(reports.resolve("q3.txt"));
        Files.delete(reports);
        Files.createSymbolicLink(reports, elsewhere);

        SendResult result = send(letter);

        assertNotEquals(SendStatus.SENT, result.status(), result::toString);
        assertTrue(result.error().contains("has a symbolic link in its path: \"reports\""), result::toString);
        assertSecretNeverArrived();
    }

    @Test
    void openingTheSwappedFileDirectlyIsRefusedToo() throws Exception {
        Letter letter = readLetter();
        Path file = box.resolve("reports/q3.txt");
        Files.delete(file);
        Files.createSymbolicLink(file, outside);

        IOException e = assertThrows(IOException.class, () -> letter.attachments().get(0).source().open());
        assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());
    }
}
