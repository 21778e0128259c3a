package io.github.smtpletter.smtp.auth;

import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.security.sasl.AuthenticationException;

/**
 * {@code XOAUTH2} (Google's and Microsoft's OAuth 2.0 bearer-token mechanism): the initial response is
 * {@code "user=" + username + "\u0001auth=Bearer " + token + "\u0001\u0001"}.
 *
 * <p>The token is asked from the supplier when the initial response is built, i.e. once per authentication attempt,
 * so a supplier that refreshes expired tokens is honoured on every new connection. The token is as good as a
 * password: the mechanism needs TLS unless clear-text authentication is allowed explicitly.
 *
 * <p>When the token is refused the server sends a {@code 334} challenge carrying a base64 JSON error such as
 * {@code {"status":"401","schemes":"Bearer","scope":"https://mail.google.com/"}}; the client answers with an empty
 * line and the server then sends its failure reply. The decoded JSON is kept and reported by
 * {@link #failureDetail()}.
 */
final class XOAuth2Mechanism implements AuthMechanism {

    /** The name sent after {@code AUTH}. */
    public static final String NAME = "XOAUTH2";

    private static final Pattern STATUS = Pattern.compile("\"status\"\\s*:\\s*\"?([^\",}\\s]*)");
    private static final int MAX_DETAIL = 300;

    private final String username;
    private final Supplier<String> tokenSupplier;
    private boolean sent;
    private String errorJson;

    /**
     * @param username      the mail account, not empty
     * @param tokenSupplier gives a current access token; asked once per attempt
     * @throws IllegalArgumentException when either is missing or the user name contains a control character
     */
    public XOAuth2Mechanism(String username, Supplier<String> tokenSupplier) {
        OAuthTokens.checkSettings("XOAUTH2", username, tokenSupplier);
        this.username = username;
        this.tokenSupplier = tokenSupplier;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean sendsSecretInClear() {
        return true;
    }

    /**
     * Asks the supplier for a token and builds the initial response.
     *
     * @throws AuthenticationException when the supplier fails, returns no token, or a token with control
     *                                 characters
     */
    @Override
    public byte[] initialResponse() throws AuthenticationException {
        if (sent) {
            throw new AuthenticationException("XOAUTH2 sends its initial response only once");
        }
        String token = OAuthTokens.fetch("XOAUTH2", tokenSupplier);
        if (token.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new AuthenticationException("XOAUTH2: the token from oauthTokenSupplier contains control characters");
        }
        sent = true;
        return ("user=" + username + "\u0001auth=Bearer " + token + "\u0001\u0001").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Takes the server's error challenge (JSON), remembers it and answers with an empty response, after which the
     * server sends its failure reply. A second challenge is refused.
     */
    @Override
    public byte[] evaluateChallenge(byte[] challenge) throws AuthenticationException {
        if (errorJson != null) {
            throw new AuthenticationException("XOAUTH2: unexpected second challenge after the error challenge");
        }
        String json = new String(challenge, StandardCharsets.UTF_8).replaceAll("[\\p{Cntrl}]+", " ").trim();
        errorJson = json.length() > MAX_DETAIL ? json.substring(0, MAX_DETAIL) + "..." : json;
        return new byte[0];
    }

    /**
     * The server's error, as {@code "status 401: {json}"} (or just the JSON when it has no status), or {@code null}
     * when the server sent no error challenge.
     */
    @Override
    public String failureDetail() {
        if (errorJson == null) {
            return null;
        }
        Matcher m = STATUS.matcher(errorJson);
        String prefix = m.find() && !m.group(1).isEmpty() ? "status " + m.group(1) + ": " : "";
        return "XOAUTH2 error from server: " + prefix + errorJson;
    }
}
