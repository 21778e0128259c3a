package io.github.smtpletter.camel;

import java.time.Duration;
import java.util.function.Supplier;

import io.github.smtpletter.smtp.SmtpConnectionParameters;
import io.github.smtpletter.smtp.SmtpSecurity;
import org.apache.camel.ResolveEndpointFailedException;
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
                                                   + "&connectTimeout=3s&readTimeout=1500&maxConnections=2"
                                                   + "&maxMessagesPerConnection=100&idleTimeout=1m&pipelining=false"
                                                   + "&chunking=false&ehloName=client.example.org",
                LetterSmtpEndpoint.class);
        SmtpConnectionParameters p = e.connectionParameters();
        assertEquals("mail.example.org", p.host());
        assertEquals(2525, p.port());
        assertEquals(SmtpSecurity.STARTTLS, p.security());
        assertEquals("XOAUTH2", p.authMechanism());
        assertSame(tokens, p.oauthTokenSupplier());
        assertEquals(Duration.ofSeconds(3), p.connectTimeout());
        assertEquals(Duration.ofMillis(1500), p.readTimeout());
        assertEquals(2, p.maxConnections());
        assertEquals(100, p.maxMessagesPerConnection());
        assertEquals(Duration.ofMinutes(1), p.idleTimeout());
        assertFalse(p.pipelining());
        assertFalse(p.chunking());
        assertEquals("client.example.org", p.ehloName());
    }

    @Test
    void defaultPortFollowsSecurity() {
        assertEquals(465, context.getEndpoint("letter-smtp:h?security=SMTPS", LetterSmtpEndpoint.class)
                .connectionParameters().effectivePort());
        assertEquals(587, context.getEndpoint("letter-smtp:h?security=STARTTLS", LetterSmtpEndpoint.class)
                .connectionParameters().effectivePort());
        assertEquals(25, context.getEndpoint("letter-smtp:h", LetterSmtpEndpoint.class)
                .connectionParameters().effectivePort());
    }

    @Test
    void componentOptionsAreEndpointDefaults() {
        LetterSmtpComponent component = context.getComponent("letter-smtp", LetterSmtpComponent.class);
        component.getConfiguration().setUsername("shared-user");
        component.getConfiguration().setReadTimeout(7000);
        LetterSmtpEndpoint a = context.getEndpoint("letter-smtp:a.example.org", LetterSmtpEndpoint.class);
        LetterSmtpEndpoint b = context.getEndpoint("letter-smtp:b.example.org?username=other",
                LetterSmtpEndpoint.class);
        assertEquals("shared-user", a.connectionParameters().username());
        assertEquals(Duration.ofSeconds(7), a.connectionParameters().readTimeout());
        assertEquals("other", b.connectionParameters().username());
        assertEquals("shared-user", component.getConfiguration().getUsername(), "endpoints work on copies");
    }

    @Test
    void connectionParametersBeanIsUsedAsIs() {
        SmtpConnectionParameters bean = SmtpConnectionParameters.builder().host("bean.example.org").port(1025).build();
        context.getRegistry().bind("smtp", bean);
        LetterSmtpEndpoint e = context.getEndpoint("letter-smtp:ignored?connectionParameters=#smtp",
                LetterSmtpEndpoint.class);
        assertSame(bean, e.connectionParameters());
    }

    @Test
    void ipv6HostAndPort() {
        LetterSmtpEndpoint e = context.getEndpoint("letter-smtp:[::1]:2525", LetterSmtpEndpoint.class);
        assertEquals("::1", e.connectionParameters().host());
        assertEquals(2525, e.connectionParameters().port());
    }

    @Test
    void slashesAndQueryNeverReachTheHost() {
        LetterSmtpEndpoint e = context.getEndpoint("letter-smtp://mail.example.org:2525?security=STARTTLS",
                LetterSmtpEndpoint.class);
        assertEquals("mail.example.org", e.connectionParameters().host());
        assertEquals(2525, e.connectionParameters().port());
        LetterSmtpEndpoint v6 = context.getEndpoint("letter-smtp://[::1]?maxConnections=1", LetterSmtpEndpoint.class);
        assertEquals("::1", v6.connectionParameters().host());
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
    void passwordNeverPrinted() {
        LetterSmtpEndpoint e = context.getEndpoint("letter-smtp:h?username=u&password=S3cr3t-value",
                LetterSmtpEndpoint.class);
        assertFalse(e.toString().contains("S3cr3t-value"), e.toString());
        assertFalse(e.connectionParameters().toString().contains("S3cr3t-value"));
    }
}
