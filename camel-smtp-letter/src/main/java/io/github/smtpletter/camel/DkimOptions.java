package io.github.smtpletter.camel;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.util.Arrays;
import java.util.List;

import io.github.smtpletter.letter.Checks;
import io.github.smtpletter.mime.dkim.DkimAlgorithm;
import io.github.smtpletter.mime.dkim.DkimKeys;
import io.github.smtpletter.mime.dkim.DkimSettings;
import org.apache.camel.CamelContext;
import org.apache.camel.support.ResourceHelper;

/**
 * Turns an endpoint's {@code dkim*} options into {@link DkimSettings}, reading the private key through Camel's
 * resource loader or registry. Errors name the option; none shows the key or its text.
 */
final class DkimOptions {

    private DkimOptions() {
    }

    /**
     * @return                          the settings, or {@code null} when no dkim option is set
     * @throws IllegalArgumentException naming the option that is missing or invalid
     */
    static DkimSettings settings(LetterSmtpConfiguration c, CamelContext context) {
        boolean any = c.getDkimDomain() != null || c.getDkimSelector() != null || c.getDkimPrivateKey() != null;
        if (!any) {
            return null;
        }
        require(c.getDkimDomain(), "dkimDomain");
        require(c.getDkimSelector(), "dkimSelector");
        require(c.getDkimPrivateKey(), "dkimPrivateKey");
        DkimAlgorithm algorithm = DkimAlgorithm.of(c.getDkimAlgorithm() == null ? "rsa-sha256" : c.getDkimAlgorithm());
        List<String> headers = c.getDkimHeaders() == null ? null : Arrays.asList(c.getDkimHeaders().split(","));
        return DkimSettings.builder(c.getDkimDomain(), c.getDkimSelector(), privateKey(c.getDkimPrivateKey(), context))
                .algorithm(algorithm).headers(headers).identity(c.getDkimIdentity()).build();
    }

    private static void require(String value, String option) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("DKIM signing needs dkimDomain, dkimSelector and dkimPrivateKey: "
                                               + option + " is missing");
        }
    }

    /** The key from PEM text, a resource (file:, classpath:, http: ...) or a bean (#bean:name, #name). */
    static PrivateKey privateKey(String value, CamelContext context) {
        String v = value.strip();
        if (v.startsWith("-----BEGIN")) {
            return DkimKeys.fromPem(v);
        }
        if (v.startsWith("#")) {
            String name = v.startsWith("#bean:") ? v.substring(6) : v.substring(1);
            Object bean = context.getRegistry().lookupByName(name);
            if (bean instanceof PrivateKey key) {
                return key;
            }
            if (bean instanceof String text) {
                return DkimKeys.fromPem(text);
            }
            if (bean instanceof byte[] bytes) {
                return DkimKeys.fromPem(new String(bytes, StandardCharsets.US_ASCII));
            }
            throw new IllegalArgumentException("dkimPrivateKey: bean " + Checks.quote(name) + (bean == null
                    ? " is not in the registry" : " is neither a PrivateKey nor PEM text"));
        }
        if (!ResourceHelper.hasScheme(v)) {
            throw new IllegalArgumentException("dkimPrivateKey must be file:/path/key.pem, classpath:key.pem, "
                                               + "#bean:name or PEM text");
        }
        try (InputStream in = ResourceHelper.resolveMandatoryResourceAsInputStream(context, v)) {
            return DkimKeys.fromPem(new String(in.readAllBytes(), StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new IllegalArgumentException("dkimPrivateKey: cannot read " + Checks.quote(v) + ": "
                                               + e.getClass().getSimpleName());
        }
    }
}
