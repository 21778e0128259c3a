package io.github.smtpletter.smtp.auth;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import javax.security.auth.callback.Callback;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.sasl.AuthorizeCallback;
import javax.security.sasl.RealmCallback;
import javax.security.sasl.Sasl;
import javax.security.sasl.SaslException;
import javax.security.sasl.SaslServer;

import io.github.smtpletter.smtp.SmtpCommandChannel;
import io.github.smtpletter.smtp.SmtpReply;

/**
 * A fake session whose AUTH side is the JDK's own SASL server ({@code DIGEST-MD5}, {@code CRAM-MD5}): an
 * independent peer that really checks what our client computes. Speaks RFC 4954: challenges as {@code 334},
 * success {@code 235}, failure {@code 535}, cancel {@code 501}; a final challenge (DIGEST-MD5's rspauth) is sent as
 * {@code 334} and answered with an empty line.
 */
final class SaslServerChannel implements SmtpCommandChannel {

    private final String serverName;
    private final String user;
    private final String password;
    private final String realm;
    private final List<String> lines = new ArrayList<>();
    private SaslServer server;
    private boolean awaitingEmptyAfterFinalChallenge;
    private String authorizedAs;

    SaslServerChannel(String serverName, String user, String password, String realm) {
        this.serverName = serverName;
        this.user = user;
        this.password = password;
        this.realm = realm;
    }

    @Override
    public SmtpReply exchange(String line, boolean sensitive) throws IOException {
        lines.add(line);
        try {
            if (line.startsWith("AUTH ")) {
                String[] parts = line.split(" ");
                server = Sasl.createSaslServer(parts[1], "smtp", serverName,
                        Map.of(Sasl.QOP, "auth", "com.sun.security.sasl.digest.realm", realm), this::handle);
                if (server == null) {
                    return SmtpReply.of(504, "Unrecognized authentication type");
                }
                byte[] initial = parts.length > 2 ? decode(parts[2]) : new byte[0];
                return step(server.evaluateResponse(initial));
            }
            if (line.equals("*")) {
                return new SmtpReply(501, "5.7.0", List.of("Authentication cancelled"));
            }
            if (awaitingEmptyAfterFinalChallenge) {
                return line.isEmpty() ? success() : SmtpReply.of(501, "expected an empty line");
            }
            return step(server.evaluateResponse(decode(line)));
        } catch (SaslException e) {
            return new SmtpReply(535, "5.7.8", List.of("Authentication credentials invalid"));
        }
    }

    private static byte[] decode(String s) {
        return s.equals("=") ? new byte[0] : Base64.getDecoder().decode(s);
    }

    private SmtpReply step(byte[] challenge) {
        if (!server.isComplete()) {
            return SmtpReply.of(334, Base64.getEncoder().encodeToString(challenge == null ? new byte[0] : challenge));
        }
        if (challenge != null && challenge.length > 0) {
            awaitingEmptyAfterFinalChallenge = true;
            return SmtpReply.of(334, Base64.getEncoder().encodeToString(challenge));
        }
        return success();
    }

    private SmtpReply success() {
        authorizedAs = server.getAuthorizationID();
        return new SmtpReply(235, "2.7.0", List.of("Authentication successful"));
    }

    private void handle(Callback[] callbacks) throws UnsupportedCallbackException {
        String name = null;
        for (Callback cb : callbacks) {
            if (cb instanceof RealmCallback rc) {
                rc.setText(rc.getDefaultText());
            } else if (cb instanceof NameCallback nc) {
                name = nc.getDefaultName();
            } else if (cb instanceof PasswordCallback pc) {
                // only the known user has a password; others get a random one
                pc.setPassword(user.equals(name) ? password.toCharArray() : "\u0000nobody".toCharArray());
            } else if (cb instanceof AuthorizeCallback ac) {
                ac.setAuthorized(ac.getAuthenticationID().equals(ac.getAuthorizationID()));
                if (ac.isAuthorized()) {
                    ac.setAuthorizedID(ac.getAuthorizationID());
                }
            } else {
                throw new UnsupportedCallbackException(cb);
            }
        }
    }

    /** The lines the client sent. */
    List<String> lines() {
        return lines;
    }

    /** The identity the server authorized, or {@code null} when authentication did not succeed. */
    String authorizedAs() {
        return authorizedAs;
    }
}
