package io.github.smtpletter.smtp.auth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import javax.security.sasl.AuthenticationException;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** OAUTHBEARER (RFC 7628): the client response and the error exchange of its section 4 examples. */
class OAuthBearerMechanismTest {

    private static final String TOKEN = "vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg==";

    @Test
    void initialResponseHasTheGs2HeaderAndTheToken() throws Exception {
        OAuthBearerMechanism m = new OAuthBearerMechanism("user@example.com", () -> TOKEN);
        assertEquals("OAUTHBEARER", m.name());
        assertTrue(m.sendsSecretInClear());
        assertEquals("n,a=user@example.com,\u0001auth=Bearer " + TOKEN + "\u0001\u0001",
                new String(m.initialResponse(), StandardCharsets.UTF_8));
        assertThrows(AuthenticationException.class, m::initialResponse);
    }

    @Test
    void userNameIsEscaped() throws Exception {
        OAuthBearerMechanism m = new OAuthBearerMechanism("a,b=c", () -> TOKEN);
        assertTrue(new String(m.initialResponse(), StandardCharsets.UTF_8).startsWith("n,a=a=2Cb=3Dc,\u0001"));
    }

    @Test
    void errorChallengeOfRfc7628Section43() throws Exception {
        OAuthBearerMechanism m = new OAuthBearerMechanism("user@example.com", () -> TOKEN);
        m.initialResponse();
        byte[] json = Base64.getDecoder().decode("eyJzdGF0dXMiOiJpbnZhbGlkX3Rva2VuIiwic2NvcGUiOiJleGFtcGxlX3Njb3BlIiwib"
                                                 + "3BlbmlkLWNvbmZpZ3VyYXRpb24iOiJodHRwczovL2V4YW1wbGUuY29tLy53ZWxsLWtu"
                                                 + "b3duL29wZW5pZC1jb25maWd1cmF0aW9uIn0=");
        assertArrayEquals(new byte[] { 1 }, m.evaluateChallenge(json));
        String detail = m.failureDetail();
        assertTrue(detail.startsWith("OAUTHBEARER error from server: status invalid_token, scope example_scope: {"),
                detail);
        assertThrows(AuthenticationException.class, () -> m.evaluateChallenge(json));
    }

    @Test
    void badTokensAndSettingsAreRefused() {
        assertThrows(AuthenticationException.class, () -> new OAuthBearerMechanism("u", () -> null).initialResponse());
        AuthenticationException e = assertThrows(AuthenticationException.class,
                () -> new OAuthBearerMechanism("u", () -> "tok\u0001en-secret").initialResponse());
        assertFalse(e.getMessage().contains("secret"));
        assertThrows(AuthenticationException.class, () -> new OAuthBearerMechanism("u", () -> {
            throw new IllegalStateException("down");
        }).initialResponse());
        assertThrows(IllegalArgumentException.class, () -> new OAuthBearerMechanism("", () -> TOKEN));
        assertThrows(IllegalArgumentException.class, () -> new OAuthBearerMechanism("u", null));
        assertNull(new OAuthBearerMechanism("u", () -> TOKEN).failureDetail());
    }
}
