package io.github.smtpletter.mime.dkim;

import java.security.PrivateKey;
import java.security.interfaces.RSAKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

import io.github.smtpletter.letter.Checks;

/**
 * How letters are signed with DKIM (RFC 6376; Ed25519 per RFC 8463): the signing domain ({@code d=}), the selector
 * ({@code s=}, the public key is published at {@code <selector>._domainkey.<domain>}), the private key and its
 * algorithm, the header fields to sign and an optional agent identity ({@code i=}). Canonicalisation is always
 * relaxed/relaxed.
 * <p>
 * Checked when built: names made of letters, digits, hyphens and dots; a key that fits the algorithm (RSA keys of at
 * least 1024 bits); {@code From} among the headers; an identity in the domain or a subdomain. Error messages name the
 * setting by its Camel option name ({@code dkimDomain}, {@code dkimSelector}, ...). {@link #toString()} never shows
 * the key.
 *
 * @param domain     the signing domain, e.g. {@code example.org}
 * @param selector   the selector, e.g. {@code mail2026}
 * @param privateKey the RSA or Ed25519 private key (see {@link DkimKeys} to read one from PEM)
 * @param algorithm  {@link DkimAlgorithm#RSA_SHA256} when {@code null}
 * @param headers    the names of the header fields to sign, {@link #DEFAULT_HEADERS} when {@code null} or empty;
 *                   each is signed as often as it occurs, {@code From} once more, so no second From can be added
 * @param identity   the agent or user identifier ({@code i=}, e.g. {@code @example.org} or
 *                   {@code news@mail.example.org}), or {@code null}
 */
public record DkimSettings(String domain, String selector, PrivateKey privateKey, DkimAlgorithm algorithm,
        List<String> headers, String identity) {

    /** The header fields signed by default. */
    public static final List<String> DEFAULT_HEADERS = List.of("From", "Reply-To", "Sender", "To", "Cc", "Subject",
            "Date", "Message-ID", "In-Reply-To", "References", "MIME-Version", "Content-Type",
            "Content-Transfer-Encoding", "Content-Disposition", "List-Unsubscribe", "List-Unsubscribe-Post");

    private static final Pattern NAME = Pattern
            .compile(
                    "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");
    private static final Pattern FIELD_NAME = Pattern.compile("[!-9;-~]+");
    private static final Pattern LOCAL_PART = Pattern.compile("[A-Za-z0-9!#$%&'*+/?^_`{|}~.-]*");

    /**
     * Checks the settings and fills in the defaults.
     *
     * @throws IllegalArgumentException when a value is invalid (the message names the setting, never the key)
     * @throws NullPointerException     when domain, selector or key is missing
     */
    public DkimSettings {
        Objects.requireNonNull(domain, "dkimDomain");
        Objects.requireNonNull(selector, "dkimSelector");
        Objects.requireNonNull(privateKey, "dkimPrivateKey");
        domain = domain.strip();
        selector = selector.strip();
        if (domain.length() > 253 || !NAME.matcher(domain).matches()) {
            throw new IllegalArgumentException("dkimDomain " + Checks.quote(domain) + " is not a domain name "
                                               + "(labels of letters, digits and hyphens, separated by dots)");
        }
        if (selector.length() > 253 || !NAME.matcher(selector).matches()) {
            throw new IllegalArgumentException("dkimSelector " + Checks.quote(selector) + " is not a selector "
                                               + "(labels of letters, digits and hyphens, separated by dots)");
        }
        algorithm = Objects.requireNonNullElse(algorithm, DkimAlgorithm.RSA_SHA256);
        if (!algorithm.fits(privateKey)) {
            throw new IllegalArgumentException("dkimPrivateKey is a " + privateKey.getAlgorithm() + " key, which does "
                                               + "not fit dkimAlgorithm " + algorithm.tag());
        }
        if (privateKey instanceof RSAKey rsa && rsa.getModulus().bitLength() < 1024) {
            throw new IllegalArgumentException("dkimPrivateKey is an RSA key of " + rsa.getModulus().bitLength()
                                               + " bits: at least 1024 are needed (RFC 8301), 2048 recommended");
        }
        headers = headers(headers);
        if (identity != null && identity.isBlank()) {
            identity = null;
        }
        if (identity != null) {
            identity = identity.strip();
            int at = identity.lastIndexOf('@');
            String idDomain = at < 0 ? "" : identity.substring(at + 1).toLowerCase(Locale.ROOT);
            String d = domain.toLowerCase(Locale.ROOT);
            if (at < 0 || !LOCAL_PART.matcher(identity.substring(0, at)).matches()
                || !(idDomain.equals(d) || idDomain.endsWith("." + d))) {
                throw new IllegalArgumentException("dkimIdentity " + Checks.quote(identity) + " must be an address "
                                                   + "(or @domain) in dkimDomain " + domain
                                                   + " or one of its subdomains");
            }
        }
    }

    private static List<String> headers(List<String> given) {
        if (given == null || given.isEmpty()) {
            return DEFAULT_HEADERS;
        }
        List<String> names = new ArrayList<>();
        boolean from = false;
        for (String h : given) {
            String name = h == null ? "" : h.strip();
            if (name.isEmpty()) {
                continue;
            }
            if (!FIELD_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("dkimHeaders: " + Checks.quote(name) + " is not a header name");
            }
            if (name.equalsIgnoreCase("DKIM-Signature")) {
                throw new IllegalArgumentException("dkimHeaders: DKIM-Signature cannot be signed");
            }
            from |= name.equalsIgnoreCase("From");
            if (names.stream().noneMatch(name::equalsIgnoreCase)) {
                names.add(name);
            }
        }
        if (!from) {
            throw new IllegalArgumentException("dkimHeaders must include From (RFC 6376 section 5.4)");
        }
        return List.copyOf(names);
    }

    /**
     * @param  domain     the signing domain
     * @param  selector   the selector
     * @param  privateKey the private key
     * @return            a builder with these and the defaults (RSA-SHA256, {@link #DEFAULT_HEADERS}, no identity)
     */
    public static Builder builder(String domain, String selector, PrivateKey privateKey) {
        return new Builder(domain, selector, privateKey);
    }

    /** Without the key. */
    @Override
    public String toString() {
        return "DkimSettings[domain=" + domain + ", selector=" + selector + ", algorithm=" + algorithm.tag()
               + ", headers=" + headers + (identity != null ? ", identity=" + identity : "") + "]";
    }

    /** Builds {@link DkimSettings}; not thread-safe. */
    public static final class Builder {
        private final String domain;
        private final String selector;
        private final PrivateKey privateKey;
        private DkimAlgorithm algorithm;
        private List<String> headers;
        private String identity;

        private Builder(String domain, String selector, PrivateKey privateKey) {
            this.domain = domain;
            this.selector = selector;
            this.privateKey = privateKey;
        }

        /**
         * @param  algorithm the algorithm; RSA-SHA256 when {@code null}
         * @return           this builder
         */
        public Builder algorithm(DkimAlgorithm algorithm) {
            this.algorithm = algorithm;
            return this;
        }

        /**
         * @param  headers the names of the header fields to sign (From among them); the defaults when {@code null}
         * @return         this builder
         */
        public Builder headers(List<String> headers) {
            this.headers = headers;
            return this;
        }

        /**
         * @param  identity the {@code i=} identity, in the signing domain or a subdomain; none when {@code null}
         * @return          this builder
         */
        public Builder identity(String identity) {
            this.identity = identity;
            return this;
        }

        /**
         * @return                          the settings
         * @throws IllegalArgumentException when a value is invalid
         */
        public DkimSettings build() {
            return new DkimSettings(domain, selector, privateKey, algorithm, headers, identity);
        }
    }
}
