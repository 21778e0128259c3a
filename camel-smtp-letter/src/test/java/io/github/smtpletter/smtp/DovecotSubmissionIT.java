package io.github.smtpletter.smtp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import com.sun.net.httpserver.HttpServer;
import io.github.smtpletter.letter.Letter;
import io.github.smtpletter.testsupport.TestParameters;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SCRAM and OAUTHBEARER against a real Dovecot 2.3 submission service, run privately: its own configuration,
 * base_dir and log under {@code target/dovecot}, a free loopback port, a passwd-file with the password, an OAuth 2
 * passdb whose token check (tokeninfo) is a JDK HTTP server of this class, and GreenMail as the relay Dovecot hands
 * the letters to. Dovecot 2.3 has no channel binding, so no -PLUS here. Runs with the real-server flag
 * ({@code -Dpostfix.tests=true}, as {@code .ci/run} sets it; needs root and {@code dovecot-core},
 * {@code dovecot-submissiond} from {@code .ci/postfix/install.sh}); stopped after the class.
 */
@EnabledIfSystemProperty(named = "postfix.tests", matches = "true")
class DovecotSubmissionIT {

    private static final String USER = "alice";
    private static final String PASSWORD = "wonderland-secret";
    private static final String TOKEN = "good-token-" + UUID.randomUUID();

    @RegisterExtension
    static final GreenMailExtension RELAY = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withDisabledAuthentication())
            .withPerMethodLifecycle(false);

    private static Path dir;
    private static int port;
    private static HttpServer tokeninfo;
    private final SmtpClient client = new SmtpClient();

    @BeforeAll
    static void startDovecot() throws Exception {
        Path dovecot = Paths.get("/usr/sbin/dovecot");
        assertTrue(Files.isExecutable(dovecot), "dovecot is not installed: run .ci/postfix/install.sh");
        tokeninfo = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        tokeninfo.createContext("/tokeninfo", ex -> {
            boolean ok = String.valueOf(ex.getRequestURI().getQuery()).equals("access_token=" + TOKEN);
            byte[] body = (ok ? "{\"username\":\"" + USER + "\",\"active\":true}" : "{\"error\":\"invalid\"}")
                    .getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(ok ? 200 : 401, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        tokeninfo.start();

        dir = Paths.get(System.getProperty("basedir", System.getProperty("user.dir")), "target", "dovecot")
                .toAbsolutePath();
        stop(); // one left by a crashed run
        Files.createDirectories(dir.resolve("run"));
        Files.createDirectories(dir.resolve("state"));
        Path home = Files.createDirectories(dir.resolve("home"));
        home.toFile().setWritable(true, false);
        port = AvailablePortFinder.getNextAvailable();
        Process cert = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-sha256",
                "-days", "2", "-keyout", dir.resolve("key.pem").toString(), "-out", dir.resolve("cert.pem").toString(),
                "-subj", "/CN=dovecot.smtpletter.test").redirectErrorStream(true)
                .redirectOutput(dir.resolve("openssl.log").toFile()).start();
        assertTrue(cert.waitFor(60, TimeUnit.SECONDS) && cert.exitValue() == 0, "openssl failed");
        Files.writeString(dir.resolve("users"), USER + ":{PLAIN}" + PASSWORD + "\n");
        Files.writeString(dir.resolve("oauth2.conf.ext"), "tokeninfo_url = http://127.0.0.1:"
                                                          + tokeninfo.getAddress().getPort()
                                                          + "/tokeninfo?access_token=\nusername_attribute = username\n");
        Files.writeString(dir.resolve("dovecot.conf"), String.join("\n",
                "base_dir = " + dir.resolve("run"),
                "state_dir = " + dir.resolve("state"),
                "log_path = " + dir.resolve("dovecot.log"),
                "instance_name = letter-dovecot-test",
                "protocols = submission",
                "listen = 127.0.0.1",
                "ssl = yes",
                "ssl_cert = <" + dir.resolve("cert.pem"),
                "ssl_key = <" + dir.resolve("key.pem"),
                "auth_mechanisms = plain scram-sha-1 scram-sha-256 oauthbearer",
                "disable_plaintext_auth = no",
                "hostname = dovecot.smtpletter.test",
                "mail_location = maildir:" + home.resolve("Maildir"),
                "submission_relay_host = 127.0.0.1",
                "submission_relay_port = " + RELAY.getSmtp().getPort(),
                "submission_relay_trusted = yes",
                "passdb {", "  driver = oauth2", "  mechanisms = oauthbearer",
                "  args = " + dir.resolve("oauth2.conf.ext"), "}",
                "passdb {", "  driver = passwd-file", "  mechanisms = plain scram-sha-1 scram-sha-256",
                "  args = " + dir.resolve("users"), "}",
                "userdb {", "  driver = static", "  args = uid=nobody gid=nogroup home=" + home, "}",
                "service submission-login {", "  inet_listener submission {", "    port = " + port, "  }", "}",
                ""));
        Process start = new ProcessBuilder("/usr/sbin/dovecot", "-c", dir.resolve("dovecot.conf").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("start.log").toFile()).start();
        assertTrue(start.waitFor(60, TimeUnit.SECONDS) && start.exitValue() == 0,
                () -> "dovecot did not start: " + read("start.log") + read("dovecot.log"));
        await().atMost(Duration.ofSeconds(30)).until(DovecotSubmissionIT::listening);
    }

    @AfterAll
    static void stopAll() throws Exception {
        if (tokeninfo != null) {
            tokeninfo.stop(0);
        }
        stop();
    }

    private static void stop() throws Exception {
        if (dir == null || !Files.exists(dir.resolve("dovecot.conf"))) {
            return;
        }
        Process p = new ProcessBuilder("/usr/sbin/dovecot", "-c", dir.resolve("dovecot.conf").toString(), "stop")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        p.waitFor(60, TimeUnit.SECONDS);
        Path pid = dir.resolve("run").resolve("master.pid");
        await().atMost(Duration.ofSeconds(30)).until(() -> !Files.exists(pid));
    }

    private static boolean listening() {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String read(String name) {
        try {
            return Files.readString(dir.resolve(name));
        } catch (IOException e) {
            return "";
        }
    }

    private static TestParameters params(String mechanism, boolean startTls) {
        TestParameters p = TestParameters.builder().host("127.0.0.1").port(port).ehloName("client.test")
                .connectTimeout(Duration.ofSeconds(5)).readTimeout(Duration.ofSeconds(20))
                .authMechanism(mechanism).username(USER);
        return startTls ? p.security(SmtpSecurity.STARTTLS).trustAllCertificates(true) : p;
    }

    private SendResult send(TestParameters p, String tag) {
        Letter letter = Letter.from("sender@example.test").to("to-" + tag + "@example.org").subject(tag).text("x")
                .build();
        List<SendResult> results = client.send(p.build(), letter);
        client.close();
        return results.get(0);
    }

    @ParameterizedTest(name = "{0} STARTTLS={1}")
    @CsvSource({ "SCRAM-SHA-256,false", "SCRAM-SHA-256,true", "SCRAM-SHA-1,false", "SCRAM-SHA-1,true",
            "AUTO,true" })
    void scramLogsInAndDovecotRelaysTheLetter(String mechanism, boolean startTls) {
        String tag = mechanism.toLowerCase(Locale.ROOT) + "-" + startTls + "-" + UUID.randomUUID();
        SendResult r = send(params(mechanism, startTls).password(PASSWORD), tag);
        assertEquals(SendStatus.SENT, r.status(), r::toString);
        await().atMost(Duration.ofSeconds(30)).until(() -> List.of(RELAY.getReceivedMessages()).stream()
                .anyMatch(m -> {
                    try {
                        return m.getSubject().equals(tag);
                    } catch (Exception e) {
                        return false;
                    }
                }));
        String method = mechanism.equals("AUTO") ? "SCRAM-SHA-256" : mechanism;
        assertTrue(read("dovecot.log").contains("user=<" + USER + ">, method=" + method + ","), read("dovecot.log"));
    }

    @Test
    void scramWithAWrongPasswordFailsWith535() {
        SendResult r = send(params("SCRAM-SHA-256", false).password("Not-The-Right-0ne"), "wrong");
        assertEquals(SendStatus.FAILED, r.status(), r::toString);
        assertEquals(535, r.serverReply().code(), r::toString);
        assertFalse(r.isRetryable());
        assertFalse(r.toString().contains("Not-The-Right-0ne"));
    }

    @Test
    void oauthBearerLogsInOverStartTls() {
        String tag = "oauthbearer-" + UUID.randomUUID();
        SendResult r = send(params("OAUTHBEARER", true).oauthTokenSupplier(() -> TOKEN), tag);
        assertEquals(SendStatus.SENT, r.status(), r::toString);
        assertTrue(read("dovecot.log").contains("user=<" + USER + ">, method=OAUTHBEARER,"), read("dovecot.log"));
    }

    @Test
    void oauthBearerWithARefusedTokenReportsTheServersStatus() {
        SendResult r = send(params("OAUTHBEARER", true).oauthTokenSupplier(() -> "expired-token-0123456789"), "bad");
        assertEquals(SendStatus.FAILED, r.status(), r::toString);
        assertEquals(535, r.serverReply().code(), r::toString);
        assertTrue(r.error().contains("OAUTHBEARER error from server: status invalid_token"), r.error());
        assertFalse(r.toString().contains("expired-token-0123456789"), r.toString());
    }
}
