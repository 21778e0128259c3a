package io.github.smtpletter.camel.springboot;

import io.github.smtpletter.camel.LetterSmtpComponent;
import io.github.smtpletter.camel.LetterSmtpMeterBinder;
import io.github.smtpletter.smtp.SmtpStatistics;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The {@code letter-smtp} meters ({@code letter.smtp.*}, see {@link LetterSmtpMeterBinder}) when Micrometer is on the
 * class path: an {@link SmtpStatistics} bean, which the component autowires (its {@code statistics} option), and a
 * {@link LetterSmtpMeterBinder} over it, which Spring Boot binds to its meter registries (actuator
 * {@code /actuator/metrics}, Prometheus ...).
 */
@AutoConfiguration
@ConditionalOnClass({ LetterSmtpComponent.class, MeterRegistry.class })
public class LetterSmtpMetricsAutoConfiguration {

    /** @return the statistics the component counts into */
    @Bean
    @ConditionalOnMissingBean
    public SmtpStatistics letterSmtpStatistics() {
        return new SmtpStatistics();
    }

    /**
     * @param  statistics the component's statistics
     * @return            the binder of the {@code letter.smtp.*} meters
     */
    @Bean
    @ConditionalOnMissingBean
    public LetterSmtpMeterBinder letterSmtpMeterBinder(SmtpStatistics statistics) {
        return new LetterSmtpMeterBinder(statistics);
    }
}
