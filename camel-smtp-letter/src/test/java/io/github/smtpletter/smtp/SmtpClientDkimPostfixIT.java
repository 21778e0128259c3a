package io.github.smtpletter.smtp;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.smtpletter.letter.Letter;
import io.github.smtpletter.mime.dkim.DkimAlgorithm;
import io.github.smtpletter.mime.dkim.DkimSettings;
import io.github.smtpletter.testsupport.DkimVerifier;
import io.github.smtpletter.testsupport.PostfixExtension;
import io.github.smtpletter.testsupport.PostfixTest;
import io.github.smtpletter.testsupport.TestParameters;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Signed letters through the real Postfix, over BDAT (Postfix offers CHUNKING) and over DATA, verified by dkimpy as
 * Postfix delivered them.
 */
@PostfixTest
class SmtpClientDkimPostfixIT {

    @RegisterExtension
    static final PostfixExtension POSTFIX = new PostfixExtension();
    private static final Pattern RAW_ID = Pattern.compile("Message-ID: <([^>]+)>");

    @ParameterizedTest
    @CsvSource({ "RSA,true", "Ed25519,true", "RSA,false", "Ed25519,false" })
    void deliveredLettersVerify(String alg, boolean chunking) throws Exception {
        DkimVerifier.assumeAvailable();
        KeyPair pair = DkimVerifier.keyPair(alg);
        DkimSettings dkim = DkimSettings.builder("example.org", "pf", pair.getPrivate())
                .algorithm(alg.equals("RSA") ? DkimAlgorithm.RSA_SHA256 : DkimAlgorithm.ED25519_SHA256).build();
        SmtpConnectionParameters params = TestParameters.builder().host(POSTFIX.host())
                .port(POSTFIX.anonymousPort()).chunking(chunking).readTimeout(Duration.ofSeconds(30)).build()
                .toBuilder().dkim(dkim).build();
        List<Letter> letters = SmtpClientDkimTest.letters();
        try (SmtpClient client = new SmtpClient()) {
            client.send(params, letters).forEach(r -> assertEquals(SendStatus.SENT, r.status(), r::toString));
        }
        for (Letter letter : letters) {
            String id = letter.messageId();
            if (letter.isRaw()) {
                try (InputStream in = letter.raw().open()) {
                    Matcher m = RAW_ID.matcher(new String(in.readAllBytes(), StandardCharsets.US_ASCII));
                    assertTrue(m.find());
                    id = m.group(1);
                }
            }
            var file = POSTFIX.awaitDeliveredFile(id, Duration.ofSeconds(30));
            assertTrue(file.isPresent(), "delivered: " + id);
            byte[] delivered = Files.readAllBytes(file.get());
            assertEquals("pass", DkimVerifier.verify(delivered, "pf", "example.org",
                    DkimVerifier.txtRecord(pair.getPublic())), () -> new String(delivered));
        }
        assertTrue(POSTFIX.maillog().contains(chunking ? "bdat=" : "data="));
    }
}
