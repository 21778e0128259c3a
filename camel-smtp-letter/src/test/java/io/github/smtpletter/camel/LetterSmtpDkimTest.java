package io.github.smtpletter.camel;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.List;
import java.util.Properties;

import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.github.smtpletter.mime.dkim.DkimAlgorithm;
import io.github.smtpletter.smtp.SendResult;
import io.github.smtpletter.smtp.SendStatus;
import io.github.smtpletter.testsupport.DkimVerifier;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dkim options of the endpoint: keys from a file and from the registry, a MimeMessage body signed and verified
 * by dkimpy, and bad settings refused when the endpoint starts, naming the option, never showing the key.
 */
class LetterSmtpDkimTest {

    @RegisterExtension
    static final GreenMailExtension GREENMAIL = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
            .withPerMethodLifecycle(true);

    @TempDir
    Path dir;

    private String uri(String options) {
        return "letter-smtp:127.0.0.1:" + GREENMAIL.getSmtp().getPort() + "?" + options;
    }

    @Test
    void mimeMessageAndStringBodiesAreSignedWithKeysFromAFileAndTheRegistry() throws Exception {
        DkimVerifier.assumeAvailable();
        KeyPair rsa = DkimVerifier.keyPair("RSA");
        KeyPair ed = DkimVerifier.keyPair("Ed25519");
        Path pem = dir.resolve("rsa.pem");
        Files.writeString(pem, DkimVerifier.pem(rsa.getPrivate()));
        try (CamelContext context = new DefaultCamelContext()) {
            context.getRegistry().bind("edPem", DkimVerifier.pem(ed.getPrivate()));
            context.getRegistry().bind("rsaPem", DkimVerifier.pem(rsa.getPrivate()));
            context.start();
            ProducerTemplate template = context.createProducerTemplate();
            MimeMessage mime = new MimeMessage(Session.getInstance(new Properties()));
            mime.setFrom(new InternetAddress("news@example.org", "Nachrichten Größe"));
            mime.setRecipient(Message.RecipientType.TO, new InternetAddress("a@example.test"));
            mime.setSubject("MimeMessage über Camel", "UTF-8");
            mime.setText("a MimeMessage body\n.with a dot line\n", "UTF-8");
            mime.saveChanges();
            send(template, uri("dkimDomain=example.org&dkimSelector=file&dkimPrivateKey=file:" + pem), mime);
            send(template, uri("dkimDomain=example.org&dkimSelector=bean&dkimAlgorithm=ed25519-sha256"
                               + "&dkimPrivateKey=#bean:edPem&dkimIdentity=@mail.example.org"
                               + "&from=Jörg <joerg@mail.example.org>&to=c@example.test&subject=Grüße"),
                    "a String body");
            send(template, uri("dkimDomain=example.org&dkimSelector=pem&dkimPrivateKey=#rsaPem"
                               + "&dkimHeaders=From,To,Subject&from=news@example.org&to=b@example.test"
                               + "&subject=Betreff"),
                    "another String body");
        }
        assertTrue(GREENMAIL.waitForIncomingEmail(10_000, 3));
        MimeMessage[] received = GREENMAIL.getReceivedMessages();
        assertEquals(3, received.length);
        for (MimeMessage m : received) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            m.writeTo(out);
            String text = out.toString(StandardCharsets.UTF_8);
            String selector = text.contains("s=file;") ? "file" : text.contains("s=bean;") ? "bean" : "pem";
            KeyPair pair = selector.equals("bean") ? ed : rsa;
            assertEquals("pass", DkimVerifier.verify(out.toByteArray(), selector, "example.org",
                    DkimVerifier.txtRecord(pair.getPublic())), text);
            if (selector.equals("pem")) {
                assertTrue(text.replace("\r\n ", "").contains("h=from:from:to:subject;"), text);
            }
        }
    }

    private static void send(ProducerTemplate template, String uri, Object body) {
        List<?> results = template.requestBody(uri, body, List.class);
        assertEquals(SendStatus.SENT, ((SendResult) results.get(0)).status(), results::toString);
    }

    @Test
    void badSettingsFailTheEndpointStartNamingTheOptionWithoutShowingTheKey() throws Exception {
        KeyPairGenerator small = KeyPairGenerator.getInstance("RSA");
        small.initialize(512);
        String weak = DkimVerifier.pem(small.generateKeyPair().getPrivate());
        String rsa = DkimVerifier.pem(DkimVerifier.keyPair("RSA").getPrivate());
        String ed = DkimVerifier.pem(DkimVerifier.keyPair("Ed25519").getPrivate());
        Files.writeString(dir.resolve("weak.pem"), weak);
        Files.writeString(dir.resolve("rsa.pem"), rsa);
        Files.writeString(dir.resolve("ed.pem"), ed);
        Files.writeString(dir.resolve("garbage.pem"),
                "-----BEGIN PRIVATE KEY-----\nSECRETMARK\n-----END PRIVATE KEY-----\n");
        Files.writeString(dir.resolve("pkcs1.pem"),
                "-----BEGIN RSA PRIVATE KEY-----\nSECRETMARK\n-----END RSA PRIVATE KEY-----\n");
        String base = "dkimDomain=example.org&dkimSelector=s1&dkimPrivateKey=file:" + dir;
        String[][] cases = {
                { base + "/missing.pem", "dkimPrivateKey" },
                { base + "/garbage.pem", "dkimPrivateKey" },
                { base + "/pkcs1.pem", "dkimPrivateKey" },
                { base + "/weak.pem", "dkimPrivateKey" },
                { base + "/ed.pem", "dkimAlgorithm rsa-sha256" },
                { base + "/rsa.pem&dkimAlgorithm=ed25519-sha256", "dkimAlgorithm ed25519-sha256" },
                { base + "/rsa.pem&dkimAlgorithm=dsa", "dkimAlgorithm" },
                { "dkimDomain=example.org&dkimSelector=s_1;x&dkimPrivateKey=file:" + dir + "/rsa.pem", "dkimSelector" },
                { "dkimDomain=exa mple.org&dkimSelector=s1&dkimPrivateKey=file:" + dir + "/rsa.pem", "dkimDomain" },
                { base + "/rsa.pem&dkimIdentity=news@example.com", "dkimIdentity" },
                { base + "/rsa.pem&dkimHeaders=To,Subject", "dkimHeaders" },
                { "dkimDomain=example.org&dkimPrivateKey=file:" + dir + "/rsa.pem", "dkimSelector" },
                { "dkimDomain=example.org&dkimSelector=s1&dkimPrivateKey=#nothing", "dkimPrivateKey" } };
        try (CamelContext context = new DefaultCamelContext()) {
            context.start();
            for (String[] c : cases) {
                Exception e = assertThrows(Exception.class, () -> context.getEndpoint(uri(c[0])).start(), c[0]);
                Throwable t = e;
                StringBuilder all = new StringBuilder();
                while (t != null) {
                    all.append(t.getMessage()).append(" | ");
                    t = t.getCause();
                }
                assertTrue(all.toString().contains(c[1]), () -> c[0] + " -> " + all);
                for (String secret : List.of("SECRETMARK", weak.substring(40, 80), rsa.substring(40, 80),
                        ed.substring(30, 60))) {
                    assertFalse(all.toString().contains(secret), all::toString);
                }
            }
        }
        assertEquals(0, GREENMAIL.getReceivedMessages().length);
        assertInstanceOf(DkimAlgorithm.class, DkimAlgorithm.of("ED25519-SHA256"));
    }
}
