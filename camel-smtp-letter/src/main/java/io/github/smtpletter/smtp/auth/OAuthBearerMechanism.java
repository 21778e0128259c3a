package io.github.smtpletter.smtp.auth;

import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.security.sasl.AuthenticationException;

/**
 * {@code OAUTHBEARER} (RFC 7628), the standard form of OAuth 2.0 bearer-token login: the initial response is the
 * GS2 header {@code n,a=user,} followed by {@code ^Aauth=Bearer token^A^A} ({@code ^A} is U+0001). The user name
 * is escaped as RFC 5801 asks ({@code ,} as {@code =2C}, {@code =} as {@code =3D}).
 *
 * <p>The token is asked from the supplier once per attempt. It is as good as a password: the mechanism needs TLS
 * unless clear-text authentication is allowed explicitly, exactly like {@code XOAUTH2}.
 *
 * <p>When the token is refused the server sends a {@code 334} challenge with a JSON error such as
 * {@code {"status":"invalid_token","scope":"example_scope"}} (RFC 7628 section 3.2.2); the client answers with the
 * single byte {@code ^A} (section 3.2.3) and the server then sends its failure reply. The status and scope are put
 * into the failure message through {@link #failureDetail()}.
 */
final class OAuthBearerMechanism implements AuthMechanism {

    /** The name sent after {@code AUTH}. */
    static final String NAME = "OAUTHBEARER";

    private static final Pattern STATUS = Pattern.compile("\"status\"\\s*:\\s*\"([^\"]{0,100})\"");
    private static final Pattern SCOPE = Pattern.compile("\"scope\"\\s*:\\s*\"([^\"]{0,200})\"");
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
    OAuthBearerMechanism(String username, Supplier<String> tokenSupplier) {
        OAuthTokens.checkSettings("OAUTHBEARER", username, tokenSupplier);
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

    @Override
    public byte[] initialResponse() throws AuthenticationException {
        if (sent) {
            throw new AuthenticationException("OAUTHBEARER sends its initial response only once");
        }
        String token = OAuthTokens.fetch("OAUTHBEARER", tokenSupplier);
        // RFC 6750 b64token: only these characters may appear in a bearer token
        if (!token.matches("[A-Za-z0-9\\-._~+/]+=*")) {
            throw new AuthenticationException("OAUTHBEARER: the token from oauthTokenSupplier has characters a "
                                              + "bearer token may not have (RFC 6750 b64token)");
        }
        sent = true;
        String gs2 = "n,a=" + username.replace("=", "=3D").replace(",", "=2C") + ",";
        return (gs2 + "\u0001auth=Bearer " + token + "\u0001\u0001").getBytes(StandardCharsets.UTF_8);
    }

    /** Keeps the server's JSON error and answers {@code ^A}; a second challenge is refused. */
    @Override
    public byte[] evaluateChallenge(byte[] challenge) throws AuthenticationException {
        if (!sent) {
            if (challenge.length == 0) {
                return initialResponse();
            }
            throw new AuthenticationException("OAUTHBEARER: expected an empty first challenge");
        }
        if (errorJson != null) {
            throw new AuthenticationException("OAUTHBEARER: unexpected second challenge after the error challenge");
        }
        String json = new String(challenge, StandardCharsets.UTF_8).replaceAll("[\\p{Cntrl}]+", " ").trim();
        errorJson = json.length() > MAX_DETAIL ? json.substring(0, MAX_DETAIL) + "..." : json;
        return new byte[] { 1 };
    }

    /** The server's error as {@code "status invalid_token, scope s: {json}"}, or {@code null} when it sent none. */
    @Override
    public String failureDetail() {
        if (errorJson == null) {
            return null;
        }
        StringBuilder detail = new StringBuilder("OAUTHBEARER error from server: ");
        Matcher status = STATUS.matcher(errorJson);
        if (status.find()) {
            detail.append("status ").append(status.group(1));
            Matcher scope = SCOPE.matcher(errorJson);
            if (scope.find()) {
                detail.append(", scope ").append(scope.group(1));
            }
            detail.append(": ");
        }
        return detail.append(errorJson).toString();
    }
}
