package io.github.smtpletter.camel.springboot;

import io.github.smtpletter.camel.LetterSmtpMeterBinder;
import io.github.smtpletter.smtp.SmtpStatistics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** The binder bean is contributed only when Micrometer is on the class path. */
class LetterSmtpMetricsAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(LetterSmtpMetricsAutoConfiguration.class));

    @Test
    void withMicrometerTheBinderAndItsStatisticsAreBeans() {
        runner.run(context -> {
            assertEquals(1, context.getBeansOfType(LetterSmtpMeterBinder.class).size());
            SmtpStatistics statistics = context.getBean(SmtpStatistics.class);
            MeterRegistry registry = new SimpleMeterRegistry();
            context.getBean(LetterSmtpMeterBinder.class).bindTo(registry);
            statistics.server("mail.example.org:587");
            assertNotNull(registry.find("letter.smtp.letters").tags("server", "mail.example.org:587", "status",
                    "SENT").functionCounter());
        });
    }

    @Test
    void withoutMicrometerThereIsNone() {
        runner.withClassLoader(new FilteredClassLoader(MeterRegistry.class)).run(context -> {
            assertEquals(0, context.getBeansOfType(LetterSmtpMeterBinder.class).size());
            assertEquals(0, context.getBeansOfType(SmtpStatistics.class).size());
        });
    }
}
