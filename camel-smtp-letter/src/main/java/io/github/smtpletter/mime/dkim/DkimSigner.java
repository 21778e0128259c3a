package io.github.smtpletter.mime.dkim;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.Signature;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * Signs messages with DKIM (RFC 6376, relaxed/relaxed; Ed25519 per RFC 8463) over the JDK's own signatures, at
 * constant memory: a first pass ({@link #sign(MessageSource)}) writes the message into a hashing sink that keeps only
 * its header section, the second ({@link DkimSignedMessage#writeTo(OutputStream)}) writes the {@code DKIM-Signature}
 * field and the message again, checking on the way that it is still the message that was signed.
 * <p>
 * Thread-safe; one signer serves any number of messages.
 */
public final class DkimSigner {

    /** Lines of the DKIM-Signature field stay within this many characters (RFC 5322 section 2.1.1). */
    static final int LINE = 78;

    private final DkimSettings settings;
    private final Clock clock;

    /** Writes a message: RFC 5322, CRLF line ends, not dot-stuffed; the same bytes every time it is called. */
    @FunctionalInterface
    public interface MessageSource {
        /**
         * @param  out         where to write the message (not to be closed)
         * @throws IOException when the message cannot be produced
         */
        void writeTo(OutputStream out) throws IOException;
    }

    /** @param settings the domain, selector, key and choices to sign with */
    public DkimSigner(DkimSettings settings) {
        this(settings, Clock.systemUTC());
    }

    DkimSigner(DkimSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    /** @return the settings signed with */
    public DkimSettings settings() {
        return settings;
    }

    /**
     * The first pass: writes the message once into a sink that counts it, keeps its header section and hashes its
     * body, then signs.
     *
     * @param  source      the message
     * @return             the signature, ready to be written ahead of the message in a second pass
     * @throws IOException when the message cannot be produced, or its header section is unreasonably big
     */
    public DkimSignedMessage sign(MessageSource source) throws IOException {
        MessageHashingStream sink = new MessageHashingStream(null);
        source.writeTo(sink);
        sink.finish();
        byte[] field = signatureField(sink.headerSection(), sink.bodyHash(), clock.millis() / 1000);
        return new DkimSignedMessage(source, field, sink.count(), sink.headerSection(), sink.bodyHash());
    }

    /**
     * The complete {@code DKIM-Signature} field, folded, with its CRLF.
     *
     * @param headerSection the message's header fields
     * @param bodyHash      SHA-256 of the relaxed body
     * @param time          the {@code t=} value, seconds since the epoch
     */
    byte[] signatureField(byte[] headerSection, byte[] bodyHash, long time) {
        HeaderFields fields = HeaderFields.parse(headerSection);
        List<String> signed = signedNames(fields);
        Folder f = new Folder();
        f.tag("v=1;").tag("a=" + settings.algorithm().tag() + ";").tag("c=relaxed/relaxed;")
                .tag("d=" + settings.domain() + ";").tag("s=" + settings.selector() + ";");
        if (settings.identity() != null) {
            f.tag("i=" + settings.identity() + ";");
        }
        f.tag("t=" + time + ";");
        for (int i = 0; i < signed.size(); i++) {
            String part = (i == 0 ? "h=" : "") + signed.get(i) + (i == signed.size() - 1 ? ";" : ":");
            if (i == 0) {
                f.tag(part);
            } else {
                f.part(part);
            }
        }
        f.tag("bh=" + Base64.getEncoder().encodeToString(bodyHash) + ";");
        f.newLine().text("b=");
        String unsigned = f.toString();

        ByteArrayOutputStream data = new ByteArrayOutputStream(2048);
        fields.canonicalise(signed, data);
        HeaderFields.relaxed(unsigned.getBytes(StandardCharsets.US_ASCII), data);
        String b = Base64.getEncoder().encodeToString(sign(data.toByteArray()));
        for (int i = 0; i < b.length();) {
            int room = Math.max(1, LINE - f.column());
            int take = Math.min(room, b.length() - i);
            f.text(b.substring(i, i + take));
            i += take;
            if (i < b.length()) {
                f.newLine();
            }
        }
        return (f + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** Each chosen name as often as the message has it, bottom-up; From once more (over-signed). */
    private List<String> signedNames(HeaderFields fields) {
        List<String> names = new ArrayList<>();
        for (String h : settings.headers()) {
            String name = h.toLowerCase(Locale.ROOT);
            int n = fields.count(name) + (name.equals("from") ? 1 : 0);
            for (int i = 0; i < n; i++) {
                names.add(name);
            }
        }
        return names;
    }

    private byte[] sign(byte[] data) {
        try {
            Signature s;
            byte[] input = data;
            if (settings.algorithm() == DkimAlgorithm.ED25519_SHA256) {
                // RFC 8463 section 3: PureEdDSA over the SHA-256 hash of the data
                input = MessageDigest.getInstance("SHA-256").digest(data);
                s = Signature.getInstance("Ed25519");
            } else {
                s = Signature.getInstance("SHA256withRSA");
            }
            s.initSign(settings.privateKey());
            s.update(input);
            return s.sign();
        } catch (GeneralSecurityException e) {
            // no cause: a provider message could show key material
            throw new IllegalStateException("DKIM signing with " + settings.algorithm().tag() + " failed: "
                                            + e.getClass().getSimpleName());
        }
    }

    /** Lays out the field's tags, folding before a tag that would pass {@link #LINE} characters. */
    private static final class Folder {
        private final StringBuilder text = new StringBuilder("DKIM-Signature:");
        private int lineStart;

        Folder tag(String tag) {
            if (column() + 1 + tag.length() > LINE) {
                newLine();
            } else {
                text.append(' ');
            }
            text.append(tag);
            return this;
        }

        /** Appends a piece of a tag's value, folding before it when it would pass the line. */
        Folder part(String part) {
            if (column() + part.length() > LINE) {
                newLine();
            }
            text.append(part);
            return this;
        }

        Folder newLine() {
            text.append("\r\n ");
            lineStart = text.length() - 1;
            return this;
        }

        Folder text(String s) {
            text.append(s);
            return this;
        }

        int column() {
            return text.length() - lineStart;
        }

        @Override
        public String toString() {
            return text.toString();
        }
    }
}
