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
              enums = "NONE,AUTO,PLAIN,LOGIN,CRAM-MD5,SCRAM-SHA-256,SCRAM-SHA-1,ANONYMOUS,XOAUTH2,OAUTHBEARER,SASL")
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

    @UriParam(label = "advanced", defaultValue = "16")
    private int maxConnections = 16;
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

    @UriParam(label = "dkim")
    private String dkimDomain;
    @UriParam(label = "dkim")
    private String dkimSelector;
    @UriParam(label = "dkim", secret = true)
    private String dkimPrivateKey;
    @UriParam(label = "dkim", defaultValue = "rsa-sha256", enums = "rsa-sha256,ed25519-sha256")
    private String dkimAlgorithm = "rsa-sha256";
    @UriParam(label = "dkim")
    private String dkimHeaders;
    @UriParam(label = "dkim")
    private String dkimIdentity;

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
     * component documentation); SCRAM-SHA-256 and SCRAM-SHA-1 use their -PLUS form (TLS channel binding) when the
     * server offers it; OAUTHBEARER and XOAUTH2 log in with the oauthTokenSupplier's token; SASL uses the JDK's SASL
     * client named by saslMechanism.
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
     * With authMechanism=OAUTHBEARER, XOAUTH2 (or AUTO): a bean (a java.util.function.Supplier of String) that returns a
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
     * Allow mechanisms that send the secret in the clear (PLAIN, LOGIN, XOAUTH2, OAUTHBEARER) over a connection
     * without TLS.
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
     * connection settings share one pool). When all are busy, letters join a busy connection's stream, first come
     * first served; a server that refuses a further connection with 421 makes the pool keep to the connections open
     * for a minute.
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

    public String getDkimDomain() {
        return dkimDomain;
    }

    /**
     * Sign every letter with DKIM for this domain (the d= tag). With dkimSelector and dkimPrivateKey; a letter whose
     * From domain is neither this domain nor a subdomain is still signed, but aligns with DMARC only through SPF.
     */
    public void setDkimDomain(String dkimDomain) {
        this.dkimDomain = dkimDomain;
    }

    public String getDkimSelector() {
        return dkimSelector;
    }

    /** The DKIM selector (the s= tag): the public key is published in DNS at selector._domainkey.domain. */
    public void setDkimSelector(String dkimSelector) {
        this.dkimSelector = dkimSelector;
    }

    public String getDkimPrivateKey() {
        return dkimPrivateKey;
    }

    /**
     * The DKIM private key, PEM PKCS#8 (BEGIN PRIVATE KEY), RSA or Ed25519: file:/path/key.pem, classpath:key.pem,
     * #bean:name (a String bean holding the PEM text) or the PEM text itself. Read and checked when the endpoint
     * starts; never logged or printed. (A java.security.PrivateKey object goes through the DkimSettings of a
     * connectionParameters bean.)
     */
    public void setDkimPrivateKey(String dkimPrivateKey) {
        this.dkimPrivateKey = dkimPrivateKey;
    }

    public String getDkimAlgorithm() {
        return dkimAlgorithm;
    }

    /** The DKIM signing algorithm: rsa-sha256 (RSA key of at least 1024 bits) or ed25519-sha256 (RFC 8463). */
    public void setDkimAlgorithm(String dkimAlgorithm) {
        this.dkimAlgorithm = dkimAlgorithm;
    }

    public String getDkimHeaders() {
        return dkimHeaders;
    }

    /**
     * The header fields to sign with DKIM, comma separated; From must be among them and is over-signed, so a second
     * From cannot be added. Default: From, Reply-To, Sender, To, Cc, Subject, Date, Message-ID, In-Reply-To,
     * References, MIME-Version, Content-Type, Content-Transfer-Encoding, Content-Disposition, List-Unsubscribe,
     * List-Unsubscribe-Post.
     */
    public void setDkimHeaders(String dkimHeaders) {
        this.dkimHeaders = dkimHeaders;
    }

    public String getDkimIdentity() {
        return dkimIdentity;
    }

    /** The DKIM agent or user identifier (the i= tag), e.g. @example.org; in dkimDomain or a subdomain. */
    public void setDkimIdentity(String dkimIdentity) {
        this.dkimIdentity = dkimIdentity;
    }
}
