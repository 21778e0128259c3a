package io.github.smtpletter.mime.dkim;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.smtpletter.testsupport.DkimVerifier;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The signer on its own: canonicalisation, the RFC 8463 example, dkimpy's verdict, and a content change. */
class DkimSignerTest {

    /** RFC 8463 appendix A.2: the example message (the RFC 6376 example). */
    static final String RFC8463_MESSAGE = "From: Joe SixPack <joe@football.example.com>\r\n"
                                          + "To: Suzie Q <suzie@shopping.example.net>\r\n"
                                          + "Subject: Is dinner ready?\r\n"
                                          + "Date: Fri, 11 Jul 2003 21:00:37 -0700 (PDT)\r\n"
                                          + "Message-ID: <20030712040037.46341.5F8J@football.example.com>\r\n"
                                          + "\r\n"
                                          + "Hi.\r\n\r\nWe lost the game.  Are you hungry yet?\r\n\r\nJoe.\r\n\r\n";
    /** RFC 8463 appendix A.1: the Ed25519 private and public key (the RFC 8032 section 7.1 test 1 key). */
    static final String RFC8463_PRIVATE = "nWGxne/9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A=";
    static final String RFC8463_PUBLIC = "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";

    // ------------------------------------------------------------------------------------------ canonicalisation

    @Test
    void relaxedBodyFollowsRfc6376Section344() {
        assertEquals("", body(""));
        assertEquals("", body("\r\n\r\n"));
        assertEquals("", body(" \t \r\n"));
        assertEquals("abc\r\n", body("abc"));
        assertEquals("abc\r\n", body("abc \t\r\n\r\n \r\n"));
        assertEquals(" C\r\nD E\r\n", body(" C \r\nD \t E\r\n\r\n\r\n")); // RFC 6376 section 3.4.6
        assertEquals("\r\n\r\nx y\r\n", body("\r\n\r\nx   y"));
        assertEquals("a\rb\r\n", body("a\rb\r\n")); // a lone CR is a byte
        assertEquals("a\r\r\n", body("a\r")); // ... also at the very end
    }

    @Test
    void relaxedBodyIsTheSameWhateverTheWriteBoundaries() throws IOException {
        Random random = new Random(42);
        String[] tokens = { "a", "b", " ", "\t", "\r\n", "." };
        for (int round = 0; round < 300; round++) {
            StringBuilder s = new StringBuilder();
            int n = random.nextInt(200);
            for (int i = 0; i < n; i++) {
                s.append(tokens[random.nextInt(tokens.length)]);
            }
            String text = s.toString();
            byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
            String whole = body(text);
            assertEquals(reference(text), whole, () -> "reference differs for " + text.replace("\r", "\\r"));
            ByteArrayOutputStream split = new ByteArrayOutputStream();
            RelaxedBodyStream one = stream(split);
            for (int i = 0; i < bytes.length;) {
                int len = Math.min(bytes.length - i, random.nextInt(5));
                one.write(bytes, i, len);
                i += len;
            }
            one.finish();
            assertEquals(whole, split.toString(StandardCharsets.US_ASCII));
        }
    }

    @Test
    void relaxedHeaderUnfoldsAndCompressesWhitespace() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        HeaderFields.relaxed("SubJect \t:  A \t long\r\n\t subject  ".getBytes(StandardCharsets.US_ASCII), out);
        assertEquals("subject:A long subject", out.toString(StandardCharsets.US_ASCII));
    }

    @Test
    void repeatedHeadersAreTakenBottomUpAndOverSigningAddsNothing() {
        HeaderFields f = HeaderFields.parse("X: 1\r\nFrom: a@b\r\nX: 2\r\n".getBytes(StandardCharsets.US_ASCII));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        f.canonicalise(List.of("x", "from", "x", "from", "x"), out);
        assertEquals("x:2\r\nfrom:a@b\r\nx:1\r\n", out.toString(StandardCharsets.US_ASCII));
    }

    // ------------------------------------------------------------------------------------------ RFC 8463

    @Test
    void rfc8463ExampleGivesTheRfcBodyHashAndDkimpyVerifiesOurSignatureWithTheRfcKey() throws Exception {
        PrivateKey key = DkimKeys.fromPkcs8(concat(HexFormat.of().parseHex("302e020100300506032b657004220420"),
                Base64.getDecoder().decode(RFC8463_PRIVATE)));
        DkimSettings settings = DkimSettings.builder("football.example.com", "brisbane", key)
                .algorithm(DkimAlgorithm.ED25519_SHA256).identity("@football.example.com")
                .headers(List.of("From", "To", "Subject", "Date", "Message-ID")).build();
        DkimSigner signer = new DkimSigner(settings,
                Clock.fixed(Instant.ofEpochSecond(1528637909), ZoneOffset.UTC));
        byte[] signed = signed(signer, RFC8463_MESSAGE);
        String field = new String(signed, 0, signed.length - RFC8463_MESSAGE.length(), StandardCharsets.US_ASCII);
        assertTrue(field.contains("bh=2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=;"), field); // as in A.3
        assertTrue(field.contains("t=1528637909;"), field);
        assertTrue(field.replace("\r\n ", "").contains("h=from:from:to:subject:date:message-id;"), field);
        for (String line : field.split("\r\n")) {
            assertTrue(line.length() <= 78, line);
        }
        // the public key of A.1 is the one that belongs to the private key
        PublicKey pub = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(
                concat(HexFormat.of().parseHex("302a300506032b6570032100"), Base64.getDecoder().decode(
                        RFC8463_PUBLIC))));
        assertEquals("v=DKIM1; k=ed25519; p=" + RFC8463_PUBLIC, DkimVerifier.txtRecord(pub));
        DkimVerifier.assumeAvailable();
        assertEquals("pass", DkimVerifier.verify(signed, "brisbane", "football.example.com",
                "v=DKIM1; k=ed25519; p=" + RFC8463_PUBLIC)); // the TXT record of A.2
        assertFalse(DkimVerifier.verify(new String(signed, StandardCharsets.US_ASCII)
                .replace("Are you hungry", "Are you angry").getBytes(StandardCharsets.US_ASCII), "brisbane",
                "football.example.com", "v=DKIM1; k=ed25519; p=" + RFC8463_PUBLIC).equals("pass"));
    }

    // ------------------------------------------------------------------------------------------ dkimpy

    @Test
    void dkimpyVerifiesRsaAndEd25519SignaturesOverAwkwardWhitespaceAndRejectsChanges() throws Exception {
        DkimVerifier.assumeAvailable();
        String message = "From: \"Jörg\" <joerg@example.org>\r\n"
                         + "To: a@example.net,\r\n\t b@example.net\r\n"
                         + "Subject:   folded \t and\r\n   spaced   \r\n"
                         + "From-Not: decoy\r\n"
                         + "Date: Fri, 11 Jul 2003 21:00:37 -0700\r\n"
                         + "Message-ID: <x@example.org>\r\n"
                         + "\r\n"
                         + "  leading and trailing \t \r\n"
                         + ".a dot line\r\n\r\n"
                         + "tabs\t\tin\t the middle\r\n"
                         + "\r\n \r\n\t\r\n";
        for (String alg : List.of("RSA", "Ed25519")) {
            KeyPair pair = DkimVerifier.keyPair(alg);
            DkimSettings settings = DkimSettings.builder("example.org", "s1.2026", pair.getPrivate())
                    .algorithm(alg.equals("RSA") ? DkimAlgorithm.RSA_SHA256 : DkimAlgorithm.ED25519_SHA256)
                    .identity("joerg@mail.example.org").build();
            byte[] signed = signed(new DkimSigner(settings), message);
            String txt = DkimVerifier.txtRecord(pair.getPublic());
            assertEquals("pass", DkimVerifier.verify(signed, "s1.2026", "example.org", txt), alg);
            String text = new String(signed, StandardCharsets.UTF_8);
            // relaxed: whitespace changes still verify
            assertEquals("pass", DkimVerifier.verify(text.replace("tabs\t\tin", "tabs in").getBytes(
                    StandardCharsets.UTF_8), "s1.2026", "example.org", txt), alg);
            // a changed body, a changed header, an added From fail
            assertTrue(DkimVerifier.verify(text.replace("a dot line", "a dot lime").getBytes(StandardCharsets.UTF_8),
                    "s1.2026", "example.org", txt).startsWith("fail"), alg);
            assertTrue(DkimVerifier.verify(text.replace("folded", "felded").getBytes(StandardCharsets.UTF_8),
                    "s1.2026", "example.org", txt).startsWith("fail"), alg);
            assertTrue(DkimVerifier.verify(text.replace("Message-ID:", "From: evil@example.com\r\nMessage-ID:")
                    .getBytes(StandardCharsets.UTF_8), "s1.2026", "example.org", txt).startsWith("fail"), alg);
        }
    }

    // ------------------------------------------------------------------------------------------ two passes

    @Test
    void aMessageThatChangesBetweenThePassesFailsAfterItsLastByteAndBeforeReturning() throws Exception {
        KeyPair pair = DkimVerifier.keyPair("Ed25519");
        DkimSigner signer = new DkimSigner(DkimSettings.builder("example.org", "s", pair.getPrivate())
                .algorithm(DkimAlgorithm.ED25519_SHA256).build());
        AtomicInteger pass = new AtomicInteger();
        DkimSignedMessage signed = signer.sign(out -> out.write(("From: a@example.org\r\n\r\nversion "
                                                                 + pass.incrementAndGet() + "\r\n")
                .getBytes(StandardCharsets.US_ASCII)));
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        DkimContentChangedException e = assertThrows(DkimContentChangedException.class, () -> signed.writeTo(wire));
        assertTrue(e.getMessage().contains("body differs"), e.getMessage());
        assertTrue(wire.toString(StandardCharsets.US_ASCII).endsWith("version 2\r\n"));
        assertEquals(signed.size(), wire.size());
    }

    private static byte[] signed(DkimSigner signer, String message) throws IOException {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        DkimSignedMessage s = signer.sign(out -> out.write(bytes));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        s.writeTo(out);
        assertEquals(s.size(), out.size());
        assertArrayEquals(bytes, Arrays.copyOfRange(out.toByteArray(), s.signatureField().length,
                out.size()));
        return out.toByteArray();
    }

    private static String body(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RelaxedBodyStream s = stream(out);
        byte[] b = text.getBytes(StandardCharsets.US_ASCII);
        s.write(b, 0, b.length);
        s.finish();
        return out.toString(StandardCharsets.US_ASCII);
    }

    /** The canonical body, collected instead of hashed. */
    private static RelaxedBodyStream stream(ByteArrayOutputStream out) {
        return new RelaxedBodyStream(new MessageDigest("collect") {
            @Override
            protected void engineUpdate(byte input) {
                out.write(input);
            }

            @Override
            protected void engineUpdate(byte[] input, int offset, int len) {
                out.write(input, offset, len);
            }

            @Override
            protected byte[] engineDigest() {
                return new byte[0];
            }

            @Override
            protected void engineReset() {
            }
        });
    }

    /** RFC 6376 section 3.4.4 with regular expressions, in the manner of the RFC's wording. */
    private static String reference(String body) {
        String lines = body.replaceAll("[ \t]+\r\n", "\r\n").replaceAll("[ \t]+", " ").replaceAll("[ \t]+\r\n", "\r\n");
        lines = lines.replaceAll(" \\z", ""); // trailing WSP of an unterminated last line
        lines = lines.replaceAll("(\r\n)+\\z", "");
        return lines.isEmpty() ? "" : lines + "\r\n";
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = new byte[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
