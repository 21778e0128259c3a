package io.github.smtpletter.camel;

import java.time.Duration;
import java.util.function.Supplier;

import io.github.smtpletter.smtp.SmtpAuthentication;
import io.github.smtpletter.smtp.SmtpAuthentication.PasswordMechanism;
import io.github.smtpletter.smtp.SmtpConnectionParameters;
import io.github.smtpletter.smtp.SmtpSecurity;
import io.github.smtpletter.smtp.SmtpServer;
import org.apache.camel.ResolveEndpointFailedException;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** URI and option handling, no server needed. */
class LetterSmtpEndpointConfigurationTest extends CamelTestSupport {

    @Test
    void uriOptionsBecomeConnectionParameters() {
        Supplier<String> tokens = () -> "token";
        context.getRegistry().bind("tokens", tokens);
        LetterSmtpEndpoint e = context.getEndpoint("letter-smtp:mail.example.org:2525?security=STARTTLS"
                                                   + "&authMechanism=XOAUTH2&username=u&oauthTokenSupplier=#tokens"
                                                   + "&connectTimeout=3s&readTimeout=1500&dataTimeout=15m&maxConnections=2"
                                                   + "&maxMessagesPerConnection=100&idleTimeout=1m&pipelining=false"
                                                   + "&chunking=false&ehloName=client.example.org",
                LetterSmtpEndpoint.class);
        SmtpConnectionParameters p = e.connectionParameters();
        assertEquals("mail.example.org", p.server().host());
        assertEquals(2525, p.server().port());
        assertEquals(SmtpSecurity.STARTTLS, p.server().security());
        assertEquals("XOAUTH2", p.authentication().authMechanism());
        assertEquals(new SmtpAuthentication.OAuthToken("u", tokens), p.authentication());
        assertEquals(Duration.ofSeconds(3), p.timeouts().connectTimeout());
        assertEquals(Duration.ofMillis(1500), p.timeouts().readTimeout());
        assertEquals(Duration.ofMinutes(15), p.timeouts().dataTimeout());
        assertEquals(2, p.pool().maxConnections());
        assertEquals(100, p.pool().maxMessagesPerConnection());
        assertEquals(Duration.ofMinutes(1), p.pool().idleTimeout());
        assertFalse(p.pool().pipelining());
        assertFalse(p.pool().chunking());
        assertEquals("client.example.org", p.server().ehloName());
    }

    @Test
    void defaultPortFollowsSecurity() {
        assertEquals(465, context.getEndpoint("letter-smtp:h?security=SMTPS", LetterSmtpEndpoint.class)
                .connectionParameters().server().effectivePort());
        assertEquals(587, context.getEndpoint("letter-smtp:h?security=STARTTLS", LetterSmtpEndpoint.class)
                .connectionParameters().server().effectivePort());
        assertEquals(25, context.getEndpoint("letter-smtp:h", LetterSmtpEndpoint.class)
                .connectionParameters().server().effectivePort());
    }

    @Test
    void componentOptionsAreEndpointDefaults() {
        LetterSmtpComponent component = context.getComponent("letter-smtp", LetterSmtpComponent.class);
        component.getConfiguration().setAuthMechanism("PLAIN");
        component.getConfiguration().setUsername("shared-user");
        component.getConfiguration().setReadTimeout(7000);
        LetterSmtpEndpoint a = context.getEndpoint("letter-smtp:a.example.org", LetterSmtpEndpoint.class);
        LetterSmtpEndpoint b = context.getEndpoint("letter-smtp:b.example.org?username=other",
                LetterSmtpEndpoint.class);
        assertEquals(new SmtpAuthentication.Password(PasswordMechanism.PLAIN, "shared-user", null, null),
                a.connectionParameters().authentication());
        assertEquals(Duration.ofSeconds(7), a.connectionParameters().timeouts().readTimeout());
        assertEquals(Duration.ofMinutes(10), a.connectionParameters().timeouts().dataTimeout(), "RFC 5321 default");
        assertEquals(new SmtpAuthentication.Password(PasswordMechanism.PLAIN, "other", null, null),
                b.connectionParameters().authentication());
        assertEquals("shared-user", component.getConfiguration().getUsername(), "endpoints work on copies");
    }

    @Test
    void connectionParametersBeanIsUsedAsIs() {
        SmtpConnectionParameters bean = SmtpConnectionParameters.builder(SmtpServer.of("bean.example.org", 1025, null))
                .build();
        context.getRegistry().bind("smtp", bean);
        LetterSmtpEndpoint e = context.getEndpoint("letter-smtp:ignored?connectionParameters=#smtp",
                LetterSmtpEndpoint.class);
        assertSame(bean, e.connectionParameters());
    }

    @Test
    void ipv6HostAndPort() {
        LetterSmtpEndpoint e = context.getEndpoint("letter-smtp:[::1]:2525", LetterSmtpEndpoint.class);
        assertEquals("::1", e.connectionParameters().server().host());
        assertEquals(2525, e.connectionParameters().server().port());
    }

    @Test
    void slashesAndQueryNeverReachTheHost() {
        LetterSmtpEndpoint e = context.getEndpoint("letter-smtp://mail.example.org:2525?security=STARTTLS",
                LetterSmtpEndpoint.class);
        assertEquals("mail.example.org", e.connectionParameters().server().host());
        assertEquals(2525, e.connectionParameters().server().port());
        LetterSmtpEndpoint v6 = context.getEndpoint("letter-smtp://[::1]?maxConnections=1", LetterSmtpEndpoint.class);
        assertEquals("::1", v6.connectionParameters().server().host());
    }

    @Test
    void badPortIsRefusedNamingIt() {
        ResolveEndpointFailedException e = assertThrows(ResolveEndpointFailedException.class,
                () -> context.getEndpoint("letter-smtp:h:99999"));
        assertTrue(e.getMessage().contains("99999"), e.getMessage());
    }

    @Test
    void unknownOptionIsRefused() {
        ResolveEndpointFailedException e = assertThrows(ResolveEndpointFailedException.class,
                () -> context.getEndpoint("letter-smtp:h?noSuchOption=1"));
        assertTrue(e.getMessage().contains("noSuchOption"), e.getMessage());
    }

    @Test
    void unknownAuthMechanismFailsTheRouteStartNamingTheOption() {
        Exception e = assertThrows(Exception.class, () -> startRoute("letter-smtp:h?authMechanism=FOO"));
        String message = messages(e);
        assertTrue(message.contains("authMechanism") && message.contains("'FOO'"), message);
        assertTrue(message.contains(
                "NONE, AUTO, PLAIN, LOGIN, CRAM-MD5, SCRAM-SHA-256, SCRAM-SHA-1, ANONYMOUS, XOAUTH2, OAUTHBEARER, SASL"),
                message);
    }

    @Test
    void saslMechanismWithoutJdkClientFailsTheRouteStartNamingTheOption() {
        Exception e = assertThrows(Exception.class,
                () -> startRoute("letter-smtp:h?authMechanism=SASL&saslMechanism=SCRAM-SHA-256&username=u&password=p"));
        String message = messages(e);
        assertTrue(message.contains("saslMechanism") && message.contains("'SCRAM-SHA-256'"), message);
        Exception missing = assertThrows(Exception.class, () -> startRoute("letter-smtp:h?authMechanism=SASL"));
        assertTrue(messages(missing).contains("needs saslMechanism"), messages(missing));
    }

    private void startRoute(String uri) throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:start-" + uri.hashCode()).to(uri);
            }
        });
    }

    private static String messages(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            sb.append(t.getMessage()).append(" | ");
        }
        return sb.toString();
    }

    @Test
    void passwordNeverPrinted() {
        LetterSmtpEndpoint e = context.getEndpoint("letter-smtp:h?username=u&password=S3cr3t-value",
                LetterSmtpEndpoint.class);
        assertFalse(e.toString().contains("S3cr3t-value"), e.toString());
        assertFalse(e.connectionParameters().toString().contains("S3cr3t-value"));
    }
}
