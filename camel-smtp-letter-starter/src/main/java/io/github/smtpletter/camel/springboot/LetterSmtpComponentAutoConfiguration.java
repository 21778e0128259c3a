package io.github.smtpletter.camel.springboot;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.github.smtpletter.camel.LetterSmtpComponent;
import org.apache.camel.Component;
import org.apache.camel.spi.ComponentCustomizer;
import org.apache.camel.spring.boot.CamelAutoConfiguration;
import org.apache.camel.spring.boot.util.CamelPropertiesHelper;
import org.apache.camel.spring.boot.util.ConditionalOnCamelContextAndAutoConfigurationBeans;
import org.apache.camel.spring.boot.util.ConditionalOnHierarchicalProperties;
import org.apache.camel.spring.boot.util.HierarchicalPropertiesEvaluator;
import org.apache.camel.util.StringHelper;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Lazy;
import org.springframework.core.env.Environment;

/**
 * Configures the {@code letter-smtp} component from Spring Boot properties {@code camel.component.letter-smtp.*}, as
 * Camel's own starters configure theirs: a {@link ComponentCustomizer} applies them when Camel creates the
 * component. Every component option works, in kebab-case or camelCase ({@code auth-mechanism},
 * {@code read-timeout: 20s}, {@code ssl-context-parameters: "#mySslBean"}); the names and types are those of the
 * component's generated configurer, so there is no second list to keep in step.
 * <p>
 * {@code camel.component.letter-smtp.enabled=false} (or {@code camel.component.enabled=false}) turns this off,
 * {@code camel.component.letter-smtp.customizer.enabled=false} too. An unknown option fails the start, naming the
 * option but never its value (it might be a misspelt password).
 */
@AutoConfiguration(after = CamelAutoConfiguration.class)
@ConditionalOnClass(LetterSmtpComponent.class)
@Conditional(ConditionalOnCamelContextAndAutoConfigurationBeans.class)
@ConditionalOnHierarchicalProperties({ "camel.component", "camel.component.letter-smtp" })
public class LetterSmtpComponentAutoConfiguration {

    /** The prefix of the component's options. */
    public static final String PREFIX = "camel.component.letter-smtp";

    /** Keys under the prefix that steer this auto-configuration rather than the component. */
    private static final Set<String> OWN_KEYS = Set.of("enabled", "customizer.enabled");

    private final ApplicationContext applicationContext;

    public LetterSmtpComponentAutoConfiguration(ApplicationContext applicationContext) {
        this.applicationContext = applicationContext;
    }

    /** @return the customizer that applies {@code camel.component.letter-smtp.*} to the component */
    @Lazy
    @Bean
    public ComponentCustomizer configureLetterSmtpComponent() {
        return new ComponentCustomizer() {
            @Override
            public void configure(String name, Component target) {
                apply(options(applicationContext.getEnvironment()), target);
            }

            @Override
            public boolean isEnabled(String name, Component target) {
                return HierarchicalPropertiesEvaluator.evaluate(applicationContext, "camel.component.customizer",
                        PREFIX + ".customizer") && target instanceof LetterSmtpComponent;
            }
        };
    }

    /**
     * The component options set in the environment, keys in camelCase, placeholders resolved.
     *
     * @param environment Spring's environment
     * @return option name to value, in the order found
     */
    static Map<String, Object> options(Environment environment) {
        Map<String, String> raw = Binder.get(environment)
                .bind(PREFIX, Bindable.mapOf(String.class, String.class))
                .orElse(Map.of());
        Map<String, Object> options = new LinkedHashMap<>();
        raw.forEach((key, value) -> {
            if (!OWN_KEYS.contains(key)) {
                options.put(StringHelper.dashToCamelCase(key), value);
            }
        });
        return options;
    }

    /**
     * Sets the options on the component through its generated configurer (type conversion, durations such as
     * {@code 20s}, {@code #bean} references).
     *
     * @throws IllegalArgumentException naming the options the component does not have (without their values)
     */
    static void apply(Map<String, Object> options, Component target) {
        Map<String, Object> left = new LinkedHashMap<>(options);
        CamelPropertiesHelper.setCamelProperties(target.getCamelContext(), target, left, false);
        if (!left.isEmpty()) {
            Set<String> unknown = new TreeSet<>();
            left.keySet().forEach(k -> unknown.add(PREFIX + "." + k));
            throw new IllegalArgumentException("letter-smtp has no component option " + unknown
                                               + " (misspelt? the options are listed in the component documentation;"
                                               + " the host and port go into the endpoint URI: letter-smtp:host:port)");
        }
    }
}
