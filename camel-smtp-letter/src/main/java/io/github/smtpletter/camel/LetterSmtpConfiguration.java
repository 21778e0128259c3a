package io.github.smtpletter.camel;

import java.util.function.Supplier;

import io.github.smtpletter.camel.ledger.LetterLedger;
import io.github.smtpletter.smtp.SmtpConnectionParameters;
import io.github.smtpletter.smtp.SmtpSecurity;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.jsse.SSLContextParameters;

/**
 * The options of a {@code letter-smtp} endpoint. Set on the component, they apply to every endpoint (each endpoint
 * works on its own copy); set on the URI, they apply to that endpoint.
 */
@UriParams
public class LetterSmtpConfiguration implements Cloneable {

    @UriPath
    @Metadata(required = true)
    private String host;
    @UriPath(defaultValue = "0")
    private int port;

    @UriParam(label = "security", defaultValue = "NONE")
    private SmtpSecurity security = SmtpSecurity.NONE;
    @UriParam(label = "security", defaultValue = "NONE",
              enums = "NONE,AUTO,PLAIN,LOGIN,CRAM-MD5,ANONYMOUS,XOAUTH2,SASL")
    private String authMechanism = "NONE";
    @UriParam(label = "security", secret = true)
    private String username;
    @UriParam(label = "security", secret = true)
    private String password;
    @UriParam(label = "security")
    private String authorizationId;
    @UriParam(label = "security")
    private String anonymousTrace;
    @UriParam(label = "security")
    private String saslMechanism;
    @UriParam(label = "security")
    private Supplier<String> oauthTokenSupplier;
    @UriParam(label = "security", defaultValue = "false")
    private boolean allowPlaintextAuth;
    @UriParam(label = "security")
    private SSLContextParameters sslContextParameters;
    @UriParam(label = "security", defaultValue = "false")
    private boolean trustAllCertificates;
    @UriParam(label = "security", defaultValue = "true")
    private boolean verifyHostname = true;

    @UriParam(label = "advanced", defaultValue = "10000", javaType = "java.time.Duration")
    private long connectTimeout = 10_000;
    @UriParam(label = "advanced", defaultValue = "30000", javaType = "java.time.Duration")
    private long readTimeout = 30_000;
    @UriParam(label = "advanced", defaultValue = "600000", javaType = "java.time.Duration")
    private long dataTimeout = 600_000;
    @UriParam(label = "advanced")
    private String ehloName;

    @UriParam(label = "advanced", defaultValue = "4")
    private int maxConnections = 4;
    @UriParam(label = "advanced", defaultValue = "0")
    private int maxMessagesPerConnection;
    @UriParam(label = "advanced", defaultValue = "30000", javaType = "java.time.Duration")
    private long idleTimeout = 30_000;
    @UriParam(label = "advanced", defaultValue = "true")
    private boolean pipelining = true;
    @UriParam(label = "advanced", defaultValue = "true")
    private boolean chunking = true;
    @UriParam(label = "advanced")
    private SmtpConnectionParameters connectionParameters;
    @UriParam(label = "advanced", defaultValue = "30000", javaType = "java.time.Duration")
    private long healthCheckCacheTime = 30_000;

    @UriParam(label = "letter")
    private String from;
    @UriParam(label = "letter")
    private String to;
    @UriParam(label = "letter")
    private String cc;
    @UriParam(label = "letter")
    private String bcc;
    @UriParam(label = "letter")
    private String replyTo;
    @UriParam(label = "letter")
    private String subject;

    @UriParam(label = "security")
    private String attachmentDirectory;

    @UriParam(label = "producer", defaultValue = "true")
    private boolean failOnNotSent = true;
    @UriParam(label = "producer", defaultValue = "report", enums = "report,retry")
    private String unknownPolicy = "report";

    @UriParam(label = "ledger")
    private LetterLedger ledger;
    @UriParam(label = "ledger")
    private String ledgerKey;
    @UriParam(label = "ledger", defaultValue = "300000", javaType = "java.time.Duration")
    private long ledgerLease = 300_000;

    /** A copy for one endpoint. */
    public LetterSmtpConfiguration copy() {
        try {
            return (LetterSmtpConfiguration) clone();
        } catch (CloneNotSupportedException e) {
            throw new RuntimeCamelException(e);
        }
    }

    public String getHost() {
        return host;
    }

    /** Host name or address of the SMTP server. */
    public void setHost(String host) {
        this.host = host;
    }

    public int getPort() {
        return port;
    }

    /**
     * TCP port of the SMTP server. 0 picks the default for the security mode: 25 for NONE, 587 for STARTTLS, 465
     * for SMTPS.
     */
    public void setPort(int port) {
        this.port = port;
    }

    public SmtpSecurity getSecurity() {
        return security;
    }

    /**
     * Transport security: NONE (plain SMTP), STARTTLS (upgrade with RFC 3207, required: the send fails when the
     * server does not offer it) or SMTPS (TLS from the first byte).
     */
    public void setSecurity(SmtpSecurity security) {
        this.security = security;
    }

    public String getAuthMechanism() {
        return authMechanism;
    }

    /**
     * Authentication mechanism. NONE sends no AUTH; AUTO picks the strongest mechanism both sides offer (see the
     * component documentation); SASL uses the JDK's SASL client named by saslMechanism.
     */
    public void setAuthMechanism(String authMechanism) {
        this.authMechanism = authMechanism;
    }

    public String getUsername() {
        return username;
    }

    /** User name (authentication identity). */
    public void setUsername(String username) {
        this.username = username;
    }

    public String getPassword() {
        return password;
    }

    /** Password or shared secret. Never logged or printed. */
    public void setPassword(String password) {
        this.password = password;
    }

    public String getAuthorizationId() {
        return authorizationId;
    }

    /** Authorization identity (act as this user) for PLAIN and SASL mechanisms that support it. */
    public void setAuthorizationId(String authorizationId) {
        this.authorizationId = authorizationId;
    }

    public String getAnonymousTrace() {
        return anonymousTrace;
    }

    /**
     * Trace token sent with AUTH ANONYMOUS (RFC 4505): an e-mail address or an opaque string of at most 255
     * characters without the at sign. Empty sends an equals sign.
     */
    public void setAnonymousTrace(String anonymousTrace) {
        this.anonymousTrace = anonymousTrace;
    }

    public String getSaslMechanism() {
        return saslMechanism;
    }

    /** With authMechanism=SASL: the JDK SASL mechanism to use, e.g. DIGEST-MD5, EXTERNAL, NTLM, GSSAPI. */
    public void setSaslMechanism(String saslMechanism) {
        this.saslMechanism = saslMechanism;
    }

    public Supplier<String> getOauthTokenSupplier() {
        return oauthTokenSupplier;
    }

    /**
     * With authMechanism=XOAUTH2 (or AUTO): a bean (a java.util.function.Supplier of String) that returns a
     * current OAuth 2 access token. It is asked again every time a connection authenticates, so expiring tokens
     * keep working.
     */
    public void setOauthTokenSupplier(Supplier<String> oauthTokenSupplier) {
        this.oauthTokenSupplier = oauthTokenSupplier;
    }

    public boolean isAllowPlaintextAuth() {
        return allowPlaintextAuth;
    }

    /**
     * Allow mechanisms that send the secret in the clear (PLAIN, LOGIN, XOAUTH2) over a connection without TLS.
     * Off by default: such an AUTH is refused before anything is sent.
     */
    public void setAllowPlaintextAuth(boolean allowPlaintextAuth) {
        this.allowPlaintextAuth = allowPlaintextAuth;
    }

    public SSLContextParameters getSslContextParameters() {
        return sslContextParameters;
    }

    /**
     * TLS settings (trust store, key store for EXTERNAL, protocols) as Camel SSLContextParameters. Without it the
     * JDK's default trust store is used.
     */
    public void setSslContextParameters(SSLContextParameters sslContextParameters) {
        this.sslContextParameters = sslContextParameters;
    }

    public boolean isTrustAllCertificates() {
        return trustAllCertificates;
    }

    /** Trust any server certificate. For tests only: it logs a warning on every connection. */
    public void setTrustAllCertificates(boolean trustAllCertificates) {
        this.trustAllCertificates = trustAllCertificates;
    }

    public boolean isVerifyHostname() {
        return verifyHostname;
    }

    /**
     * Check that the server certificate matches the host name. Turning it off logs a warning on every connection.
     */
    public void setVerifyHostname(boolean verifyHostname) {
        this.verifyHostname = verifyHostname;
    }

    public long getConnectTimeout() {
        return connectTimeout;
    }

    /** How long to wait for the TCP (and TLS) connection, in milliseconds or as a duration such as 10s. */
    public void setConnectTimeout(long connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public long getReadTimeout() {
        return readTimeout;
    }

    /**
     * How long to wait for any one server reply, or for the server to take data being sent, in milliseconds or as
     * a duration such as 30s. A silent server costs at most this.
     */
    public void setReadTimeout(long readTimeout) {
        this.readTimeout = readTimeout;
    }

    public long getDataTimeout() {
        return dataTimeout;
    }

    /**
     * How long to wait for the server's reply to the end of the message (the final dot, or BDAT LAST), in
     * milliseconds or as a duration such as 10m. Servers may run content filters before answering; RFC 5321
     * recommends 10 minutes. When it runs out the letter is UNKNOWN: the server may have accepted it.
     */
    public void setDataTimeout(long dataTimeout) {
        this.dataTimeout = dataTimeout;
    }

    public String getEhloName() {
        return ehloName;
    }

    /** Name this client announces in EHLO/HELO. Defaults to the local host name. */
    public void setEhloName(String ehloName) {
        this.ehloName = ehloName;
    }

    public int getMaxConnections() {
        return maxConnections;
    }

    /**
     * Most connections open at once to the server with these settings (the pool's bound; endpoints with equal
     * connection settings share one pool).
     */
    public void setMaxConnections(int maxConnections) {
        this.maxConnections = maxConnections;
    }

    public int getMaxMessagesPerConnection() {
        return maxMessagesPerConnection;
    }

    /** Most letters sent over one connection before it is closed and replaced (0: no limit). */
    public void setMaxMessagesPerConnection(int maxMessagesPerConnection) {
        this.maxMessagesPerConnection = maxMessagesPerConnection;
    }

    public long getIdleTimeout() {
        return idleTimeout;
    }

    /** An idle pooled connection is closed (with QUIT) after this long. */
    public void setIdleTimeout(long idleTimeout) {
        this.idleTimeout = idleTimeout;
    }

    public boolean isPipelining() {
        return pipelining;
    }

    /** Use PIPELINING (RFC 2920) when the server offers it. */
    public void setPipelining(boolean pipelining) {
        this.pipelining = pipelining;
    }

    public boolean isChunking() {
        return chunking;
    }

    /** Use CHUNKING / BDAT (RFC 3030) when the server offers it. */
    public void setChunking(boolean chunking) {
        this.chunking = chunking;
    }

    public long getHealthCheckCacheTime() {
        return healthCheckCacheTime;
    }

    /**
     * How long the producer health check keeps its result before it opens a connection to the server again; real
     * sends update the result meanwhile (a connection or authentication failure turns it DOWN, a letter the server
     * answered turns it UP). 0 probes the server on every call.
     */
    public void setHealthCheckCacheTime(long healthCheckCacheTime) {
        this.healthCheckCacheTime = healthCheckCacheTime;
    }

    public SmtpConnectionParameters getConnectionParameters() {
        return connectionParameters;
    }

    /**
     * A SmtpConnectionParameters bean to use as is, instead of the connection options of this URI (host, port,
     * security, authentication, timeouts, pool settings).
     */
    public void setConnectionParameters(SmtpConnectionParameters connectionParameters) {
        this.connectionParameters = connectionParameters;
    }

    public String getFrom() {
        return from;
    }

    /** Default sender for letters built from a String body or a Map that has no from. */
    public void setFrom(String from) {
        this.from = from;
    }

    public String getTo() {
        return to;
    }

    /** Default recipients (comma separated) for letters built from a String body or a Map that has no to. */
    public void setTo(String to) {
        this.to = to;
    }

    public String getCc() {
        return cc;
    }

    /** Default copy recipients (comma separated) for letters built from a String body or a Map that has no cc. */
    public void setCc(String cc) {
        this.cc = cc;
    }

    public String getBcc() {
        return bcc;
    }

    /**
     * Default blind copy recipients (comma separated) for letters built from a String body or a Map that has no
     * bcc.
     */
    public void setBcc(String bcc) {
        this.bcc = bcc;
    }

    public String getReplyTo() {
        return replyTo;
    }

    /** Default Reply-To (comma separated) for letters built from a String body or a Map that has no replyTo. */
    public void setReplyTo(String replyTo) {
        this.replyTo = replyTo;
    }

    public String getSubject() {
        return subject;
    }

    /** Default subject for letters built from a String body or a Map that has no subject. */
    public void setSubject(String subject) {
        this.subject = subject;
    }

    public boolean isFailOnNotSent() {
        return failOnNotSent;
    }

    /**
     * When any letter of the exchange is not sent to all its recipients, set a LetterSendException (carrying every
     * result) on the exchange, so onException, redelivery and dead letter channels apply. The body holds the
     * results either way. Redelivery of the same exchange sends only the letters still owed.
     */
    public void setFailOnNotSent(boolean failOnNotSent) {
        this.failOnNotSent = failOnNotSent;
    }

    public String getAttachmentDirectory() {
        return attachmentDirectory;
    }

    /**
     * The one folder whose files letters given as data (a Map body) may attach by path (an attachment with a path
     * member). Only regular files inside it are accepted, after resolving '..' and links. Unset: file paths in
     * data are refused.
     */
    public void setAttachmentDirectory(String attachmentDirectory) {
        this.attachmentDirectory = attachmentDirectory;
    }

    public String getUnknownPolicy() {
        return unknownPolicy;
    }

    /**
     * What an UNKNOWN outcome (the end of data went, the reply never came; or a ledger claim expired without a
     * result) means for sending again. report: at most once, the letter is reported UNKNOWN and never sent again (a
     * letter the server had not kept is lost). retry: at least once, it is treated like a FAILED letter by
     * redelivery and by the ledger (a letter the server had kept arrives twice).
     */
    public void setUnknownPolicy(String unknownPolicy) {
        this.unknownPolicy = unknownPolicy;
    }

    public LetterLedger getLedger() {
        return ledger;
    }

    /**
     * The ledger that remembers which letters went, across exchanges, restarts and instances (a LetterLedger bean:
     * InMemoryLetterLedger, JdbcLetterLedger). Each letter's key is claimed before it is sent: a letter whose
     * result is stored is not sent again (its stored result is reported), one that another attempt holds is FAILED
     * (retryable). The ledger unreachable: nothing is sent, the letters are FAILED (retryable).
     */
    public void setLedger(LetterLedger ledger) {
        this.ledger = ledger;
    }

    public String getLedgerKey() {
        return ledgerKey;
    }

    /**
     * The ledger key of a letter, as a Simple expression evaluated on the exchange (for example
     * ${header.kafka.TOPIC}-${header.kafka.PARTITION}-${header.kafka.OFFSET}); for a body of several letters the
     * n-th gets the suffix #n. Unset: the letter's own Message-ID, and a letter without one (its id was generated
     * when it was built) is REJECTED.
     */
    public void setLedgerKey(String ledgerKey) {
        this.ledgerKey = ledgerKey;
    }

    public long getLedgerLease() {
        return ledgerLease;
    }

    /**
     * How long a ledger claim holds without a result. A claim older than this counts as abandoned (the process
     * stopped in the middle of the send) and becomes UNKNOWN (or, with unknownPolicy=retry, is sent again): make it
     * longer than the longest send.
     */
    public void setLedgerLease(long ledgerLease) {
        this.ledgerLease = ledgerLease;
    }
}
