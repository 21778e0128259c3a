package io.github.smtpletter.examples.springboot;

import jakarta.servlet.DispatcherType;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Who may send mail through this application: {@code POST /letters} needs HTTP Basic with the account of
 * {@link LettersApiProperties}; {@code /actuator/health} answers everyone with the status only, and with the
 * details (server, TLS, mechanism) only to that account ({@code show-details: when-authorized}), as are
 * {@code /actuator/metrics} and {@code /actuator/prometheus} (the {@code letter.smtp.*} meters name the server).
 * Everything else is refused. No session, no CSRF token: every request carries its credentials, none come from a cookie.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(LettersApiProperties.class)
public class LettersSecurity {

    @Bean
    SecurityFilterChain lettersFilterChain(HttpSecurity http) throws Exception {
        return http
                .authorizeHttpRequests(requests -> requests
                        // the error page of a refused request (401, 403), not a way in
                        .dispatcherTypeMatchers(DispatcherType.ERROR).permitAll()
                        .requestMatchers(HttpMethod.POST, "/letters").hasRole("SENDER")
                        .requestMatchers(HttpMethod.GET, "/actuator/health", "/actuator/health/**").permitAll()
                        .requestMatchers(HttpMethod.GET, "/actuator/metrics", "/actuator/metrics/**",
                                "/actuator/prometheus").hasRole("SENDER")
                        .anyRequest().denyAll())
                .httpBasic(Customizer.withDefaults())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(AbstractHttpConfigurer::disable)
                .build();
    }

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    @Bean
    UserDetailsService lettersUser(LettersApiProperties api, PasswordEncoder encoder) {
        if (api.password() == null || api.password().isBlank()) {
            throw new IllegalStateException("letters.api.password is not set: POST /letters sends mail, so it needs"
                                            + " a password (environment variable LETTERS_API_PASSWORD or"
                                            + " --letters.api.password=...); there is no default");
        }
        return new InMemoryUserDetailsManager(User.withUsername(api.username())
                .password(encoder.encode(api.password())).roles("SENDER").build());
    }
}
