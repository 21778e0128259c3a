package io.github.smtpletter.testsupport;

import java.time.Duration;
import java.util.function.Supplier;

import javax.net.ssl.SSLContext;

import io.github.smtpletter.smtp.SmtpAuthentication;
import io.github.smtpletter.smtp.SmtpConnectionParameters;
import io.github.smtpletter.smtp.SmtpPoolSettings;
import io.github.smtpletter.smtp.SmtpSecurity;
import io.github.smtpletter.smtp.SmtpServer;
import io.github.smtpletter.smtp.SmtpTimeouts;

/**
 * Connection parameters for tests, set one option at a time under the names of the Camel options; {@link #build()}
 * composes them exactly as the endpoint does. Defaults are those of the values themselves.
 */
public final class TestParameters {

    private String host;
    private int port;
    private SmtpSecurity security;
    private String ehloName;
    private SSLContext sslContext;
    private boolean trustAllCertificates;
    private boolean verifyHostname = true;
    private String authMechanism;
    private String username;
    private String password;
    private String authorizationId;
    private String anonymousTrace;
    private String saslMechanism;
    private Supplier<String> oauthTokenSupplier;
    private boolean allowPlaintextAuth;
    private SmtpPoolSettings pool = SmtpPoolSettings.DEFAULTS;
    private Duration connectTimeout = SmtpTimeouts.DEFAULTS.connectTimeout();
    private Duration readTimeout = SmtpTimeouts.DEFAULTS.readTimeout();
    private Duration dataTimeout = SmtpTimeouts.DEFAULTS.dataTimeout();

    private TestParameters() {
    }

    public static TestParameters builder() {
        return new TestParameters();
    }

    public TestParameters host(String host) {
        this.host = host;
        return this;
    }

    public TestParameters port(int port) {
        this.port = port;
        return this;
    }

    public TestParameters security(SmtpSecurity security) {
        this.security = security;
        return this;
    }

    public TestParameters ehloName(String ehloName) {
        this.ehloName = ehloName;
        return this;
    }

    public TestParameters sslContext(SSLContext sslContext) {
        this.sslContext = sslContext;
        return this;
    }

    public TestParameters trustAllCertificates(boolean trustAllCertificates) {
        this.trustAllCertificates = trustAllCertificates;
        return this;
    }

    public TestParameters verifyHostname(boolean verifyHostname) {
        this.verifyHostname = verifyHostname;
        return this;
    }

    public TestParameters authMechanism(String authMechanism) {
        this.authMechanism = authMechanism;
        return this;
    }

    public TestParameters username(String username) {
        this.username = username;
        return this;
    }

    public TestParameters password(String password) {
        this.password = password;
        return this;
    }

    public TestParameters authorizationId(String authorizationId) {
        this.authorizationId = authorizationId;
        return this;
    }

    public TestParameters anonymousTrace(String anonymousTrace) {
        this.anonymousTrace = anonymousTrace;
        return this;
    }

    public TestParameters saslMechanism(String saslMechanism) {
        this.saslMechanism = saslMechanism;
        return this;
    }

    public TestParameters oauthTokenSupplier(Supplier<String> oauthTokenSupplier) {
        this.oauthTokenSupplier = oauthTokenSupplier;
        return this;
    }

    public TestParameters allowPlaintextAuth(boolean allowPlaintextAuth) {
        this.allowPlaintextAuth = allowPlaintextAuth;
        return this;
    }

    public TestParameters connectTimeout(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
        return this;
    }

    public TestParameters readTimeout(Duration readTimeout) {
        this.readTimeout = readTimeout;
        return this;
    }

    public TestParameters dataTimeout(Duration dataTimeout) {
        this.dataTimeout = dataTimeout;
        return this;
    }

    public TestParameters maxConnections(int maxConnections) {
        pool = pool.withMaxConnections(maxConnections);
        return this;
    }

    public TestParameters maxMessagesPerConnection(int maxMessagesPerConnection) {
        pool = pool.withMaxMessagesPerConnection(maxMessagesPerConnection);
        return this;
    }

    public TestParameters idleTimeout(Duration idleTimeout) {
        pool = pool.withIdleTimeout(idleTimeout);
        return this;
    }

    public TestParameters pipelining(boolean pipelining) {
        pool = pool.withPipelining(pipelining);
        return this;
    }

    public TestParameters chunking(boolean chunking) {
        pool = pool.withChunking(chunking);
        return this;
    }

    /** @return the authentication alone, as the endpoint would build it from these options */
    public SmtpAuthentication authentication() {
        return SmtpAuthentication.named(authMechanism).username(username).password(password)
                .authorizationId(authorizationId).anonymousTrace(anonymousTrace).saslMechanism(saslMechanism)
                .oauthTokenSupplier(oauthTokenSupplier).build();
    }

    public SmtpConnectionParameters build() {
        SmtpServer server = new SmtpServer(host, port, security, ehloName, sslContext, trustAllCertificates,
                verifyHostname);
        return SmtpConnectionParameters.builder(server)
                .authentication(authentication())
                .allowPlaintextAuth(allowPlaintextAuth)
                .pool(pool)
                .timeouts(new SmtpTimeouts(connectTimeout, readTimeout, dataTimeout))
                .build();
    }
}
