package io.github.smtpletter.examples.springboot;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The one account that may post letters ({@code letters.api.*}). There is no default password: without
 * {@code letters.api.password} (environment variable {@code LETTERS_API_PASSWORD}) the application does not start.
 *
 * @param username the user name for HTTP Basic ({@code letters.api.username}, default {@code letters})
 * @param password the password ({@code letters.api.password}); never shown by {@link #toString()}
 */
@ConfigurationProperties("letters.api")
public record LettersApiProperties(String username, String password) {

    public LettersApiProperties {
        if (username == null || username.isBlank()) {
            username = "letters";
        }
    }

    @Override
    public String toString() {
        return "LettersApiProperties[username=" + username + ", password=" + (password == null ? "not set" : "***")
               + "]";
    }
}
