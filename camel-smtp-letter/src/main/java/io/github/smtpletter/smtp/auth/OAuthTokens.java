package io.github.smtpletter.smtp.auth;

import java.util.function.Supplier;

import javax.security.sasl.AuthenticationException;

/**
 * What the two OAuth 2 token mechanisms (OAUTHBEARER, XOAUTH2) share: the check of their user name and token supplier,
 * and asking the supplier for a token without letting its value or its failure's message into an error.
 */
final class OAuthTokens {

    private OAuthTokens() {
    }

    /**
     * @throws IllegalArgumentException when the user name is missing or has a control character, or the supplier is
     *                                  missing
     */
    static void checkSettings(String mechanism, String username, Supplier<String> tokenSupplier) {
        if (username == null || username.isEmpty()) {
            throw new IllegalArgumentException(mechanism + " authentication needs a non-empty username");
        }
        if (username.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new IllegalArgumentException(mechanism + " authentication: username must not contain control "
                                               + "characters");
        }
        if (tokenSupplier == null) {
            throw new IllegalArgumentException(mechanism + " authentication needs an oauthTokenSupplier");
        }
    }

    /**
     * @return the supplier's current token, not blank
     * @throws AuthenticationException when the supplier fails (only the failure's class is named) or returns no token
     */
    static String fetch(String mechanism, Supplier<String> tokenSupplier) throws AuthenticationException {
        String token;
        try {
            token = tokenSupplier.get();
        } catch (RuntimeException e) {
            throw new AuthenticationException(mechanism + ": the oauthTokenSupplier failed: " + e.getClass().getName(),
                    e);
        }
        if (token == null || token.isBlank()) {
            throw new AuthenticationException(mechanism + ": the oauthTokenSupplier returned no token");
        }
        return token;
    }
}
