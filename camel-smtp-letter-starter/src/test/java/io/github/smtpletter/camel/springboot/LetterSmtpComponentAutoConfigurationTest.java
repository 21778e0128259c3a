package io.github.smtpletter.camel.springboot;

import java.util.Map;

import io.github.smtpletter.camel.LetterSmtpComponent;
import io.github.smtpletter.smtp.SmtpSecurity;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LetterSmtpComponentAutoConfigurationTest {

    @Test
    void kebabCaseOptionsWithPlaceholdersAreBoundThroughTheConfigurer() throws Exception {
        MockEnvironment env = new MockEnvironment()
                .withProperty("smtp.auth", "CRAM-MD5")
                .withProperty("camel.component.letter-smtp.enabled", "true")
                .withProperty("camel.component.letter-smtp.auth-mechanism", "${smtp.auth}")
                .withProperty("camel.component.letter-smtp.security", "STARTTLS")
                .withProperty("camel.component.letter-smtp.username", "robot")
                .withProperty("camel.component.letter-smtp.password", "t0p-secret")
                .withProperty("camel.component.letter-smtp.read-timeout", "20s")
                .withProperty("camel.component.letter-smtp.maxConnections", "8")
                .withProperty("camel.component.letter-smtp.fail-on-not-sent", "false")
                .withProperty("camel.component.letter-smtp.health-check-producer-enabled", "false")
                .withProperty("camel.component.letter-smtp.customizer.enabled", "true");
        Map<String, Object> options = LetterSmtpComponentAutoConfiguration.options(env);
        assertFalse(options.containsKey("enabled"));
        assertFalse(options.containsKey("customizer.enabled"));

        try (DefaultCamelContext context = new DefaultCamelContext()) {
            LetterSmtpComponent component = new LetterSmtpComponent(context);
            LetterSmtpComponentAutoConfiguration.apply(options, component);
            assertEquals("CRAM-MD5", component.getConfiguration().getAuthMechanism());
            assertEquals(SmtpSecurity.STARTTLS, component.getConfiguration().getSecurity());
            assertEquals("robot", component.getConfiguration().getUsername());
            assertEquals("t0p-secret", component.getConfiguration().getPassword());
            assertEquals(20_000, component.getConfiguration().getReadTimeout());
            assertEquals(8, component.getConfiguration().getMaxConnections());
            assertFalse(component.getConfiguration().isFailOnNotSent());
            assertFalse(component.isHealthCheckProducerEnabled());
        }
    }

    @Test
    void anUnknownOptionFailsNamingItButNotItsValue() throws Exception {
        MockEnvironment env = new MockEnvironment()
                .withProperty("camel.component.letter-smtp.pasword", "t0p-secret")
                .withProperty("camel.component.letter-smtp.host", "mail.example.org");
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> LetterSmtpComponentAutoConfiguration.apply(
                            LetterSmtpComponentAutoConfiguration.options(env), new LetterSmtpComponent(context)));
            assertTrue(e.getMessage().contains("camel.component.letter-smtp.pasword"), e.getMessage());
            assertTrue(e.getMessage().contains("camel.component.letter-smtp.host"), e.getMessage());
            assertFalse(e.getMessage().contains("t0p-secret"), e.getMessage());
        }
    }
}
