package io.github.smtpletter.letter;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * A letter: sender, recipients (to, cc, bcc), reply-to, subject, plain text and/or HTML body, attachments and
 * inline parts, extra headers, importance, read-receipt request and DSN options.
 * <p>
 * Immutable; made with a {@link Builder}, which validates everything in {@link Builder#build()}, so a bad letter
 * never reaches the wire and no field can smuggle CR/LF into a header:
 * <pre>{@code
 * Letter letter = Letter.from("sender@example.org")
 *         .to("rcpt@example.org")
 *         .subject("Hello")
 *         .text("Hi there")
 *         .build();
 * }</pre>
 * A letter may instead carry a complete RFC 5322 message ({@link Builder#raw(ContentSource)}); it is then sent
 * verbatim, the envelope (sender and recipients) still taken from the builder.
 */
public final class Letter {

    private final MailAddress from;
    private final List<MailAddress> to;
    private final List<MailAddress> cc;
    private final List<MailAddress> bcc;
    private final List<MailAddress> replyTo;
    private final String subject;
    private final String text;
    private final String html;
    private final List<Attachment> attachments;
    private final Map<String, String> headers;
    private final Importance importance;
    private final MailAddress readReceiptTo;
    private final String messageId;
    private final boolean messageIdGenerated;
    private final Instant createdAt;
    private final DsnOptions dsn;
    private final ContentSource raw;
    private final List<MailAddress> recipients;

    private Letter(Builder b, String messageId, boolean messageIdGenerated, Instant createdAt) {
        this.from = b.from;
        this.to = List.copyOf(b.to);
        this.cc = List.copyOf(b.cc);
        this.bcc = List.copyOf(b.bcc);
        this.replyTo = List.copyOf(b.replyTo);
        this.subject = b.subject;
        this.text = b.text;
        this.html = b.html;
        this.attachments = List.copyOf(b.attachments);
        this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(b.headers));
        this.importance = b.importance;
        this.readReceiptTo = b.readReceiptTo;
        this.messageId = messageId;
        this.messageIdGenerated = messageIdGenerated;
        this.createdAt = createdAt;
        this.dsn = b.dsn;
        this.raw = b.raw;
        Set<MailAddress> all = new LinkedHashSet<>(to);
        all.addAll(cc);
        all.addAll(bcc);
        this.recipients = List.copyOf(all);
    }

    /**
     * Starts a letter from a sender.
     *
     * @param sender parsed with {@link MailAddress#parse(String)}, e.g. {@code "Shop <shop@example.org>"}
     * @return a builder
     * @throws InvalidLetterException (field {@code "from"}) for a bad address
     */
    public static Builder from(String sender) {
        return new Builder().sender(sender);
    }

    /**
     * Starts a letter from a sender.
     *
     * @param sender the sender
     * @return a builder
     */
    public static Builder from(MailAddress sender) {
        return new Builder().sender(sender);
    }

    /** @return an empty builder; set the sender with {@link Builder#sender(String)} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder holding every value of this letter, including its message id and creation time (call
     * {@code messageId(null)} / {@code createdAt(null)} on it to have new ones made at build).
     * Address lists, attachments and headers are added to, not replaced, by the builder's methods.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        Builder b = new Builder().sender(from).to(to).cc(cc).bcc(bcc).replyTo(replyTo).subject(subject).text(text)
                .html(html).attach(attachments).importance(importance).readReceiptTo(readReceiptTo)
                .messageId(messageId).createdAt(createdAt).dsn(dsn).raw(raw);
        b.messageIdGenerated = messageIdGenerated;
        b.headers.putAll(headers);
        return b;
    }

    /** @return the sender ({@code From} and {@code MAIL FROM}) */
    public MailAddress from() {
        return from;
    }

    /** @return the {@code To} recipients, unmodifiable, maybe empty */
    public List<MailAddress> to() {
        return to;
    }

    /** @return the {@code Cc} recipients, unmodifiable, maybe empty */
    public List<MailAddress> cc() {
        return cc;
    }

    /** @return the blind-copy recipients (never written into the message), unmodifiable, maybe empty */
    public List<MailAddress> bcc() {
        return bcc;
    }

    /** @return the {@code Reply-To} addresses, unmodifiable, maybe empty */
    public List<MailAddress> replyTo() {
        return replyTo;
    }

    /** @return the subject, {@code null} when none */
    public String subject() {
        return subject;
    }

    /** @return the plain text body, {@code null} when none */
    public String text() {
        return text;
    }

    /** @return the HTML body, {@code null} when none */
    public String html() {
        return html;
    }

    /** @return the attachments, both inline and regular, in order, unmodifiable */
    public List<Attachment> attachments() {
        return attachments;
    }

    /** @return the extra headers in insertion order, unmodifiable */
    public Map<String, String> headers() {
        return headers;
    }

    /** @return the importance, {@link Importance#NORMAL} by default */
    public Importance importance() {
        return importance;
    }

    /** @return where to send a read receipt ({@code Disposition-Notification-To}), {@code null} when none */
    public MailAddress readReceiptTo() {
        return readReceiptTo;
    }

    /** @return the Message-ID without angle brackets, {@code local@domain}; always set */
    public String messageId() {
        return messageId;
    }

    /**
     * Whether {@link #messageId()} was made up when the letter was built (no Message-ID was given to the builder):
     * such an id differs each time the same content becomes a letter, so it cannot recognize the letter again
     * (after a restart, on a replay). A letter made with {@link #toBuilder()} keeps this flag unless its builder is
     * given a Message-ID.
     *
     * @return {@code true} when the Message-ID was generated, {@code false} when it was given
     */
    public boolean hasGeneratedMessageId() {
        return messageIdGenerated;
    }

    /**
     * The moment the letter was built (or the time given to {@link Builder#createdAt(Instant)}), truncated to
     * milliseconds; the {@code Date} header of the message.
     *
     * @return the creation time, always set
     */
    public Instant createdAt() {
        return createdAt;
    }

    /** @return the DSN options, {@code null} when none */
    public DsnOptions dsn() {
        return dsn;
    }

    /** @return the raw RFC 5322 message to send verbatim, {@code null} unless this is a raw letter */
    public ContentSource raw() {
        return raw;
    }

    /** @return whether this letter is sent as raw bytes ({@link #raw()} is set) */
    public boolean isRaw() {
        return raw != null;
    }

    /** @return the envelope recipients: to, cc and bcc with duplicate addresses removed, order kept */
    public List<MailAddress> recipients() {
        return recipients;
    }

    /**
     * Whether the letter needs {@code SMTPUTF8} (RFC 6531): some address it carries, in the envelope or only in a
     * header (sender, to, cc, bcc, reply-to, read-receipt address), has a non-ASCII local part. Such a local part
     * can only be written as UTF-8, on the wire and in the message alike. The headers of a {@linkplain #isRaw() raw}
     * letter are not looked at here.
     *
     * @return whether some address has a non-ASCII local part
     */
    public boolean needsSmtpUtf8() {
        return from.isInternational() || recipients.stream().anyMatch(MailAddress::isInternational)
               || replyTo.stream().anyMatch(MailAddress::isInternational)
               || (readReceiptTo != null && readReceiptTo.isInternational());
    }

    /** @return a short description safe to log: message id, sender, recipient count and subject */
    @Override
    public String toString() {
        return "Letter[messageId=" + messageId + ", from=" + from.address() + ", recipients=" + recipients.size()
               + (subject != null ? ", subject=" + Checks.quote(subject) : "") + (raw != null ? ", raw" : "") + "]";
    }

    /**
     * Builds a {@link Letter}. Address methods add to the list (they may be called more than once); string
     * addresses are parsed at once with {@link MailAddress#parseList(String)} and a bad one is reported with
     * the builder field as {@link InvalidLetterException#field()} ({@code "to"}, {@code "cc"}, ...). Everything
     * else is checked by {@link #build()}.
     * Not thread-safe.
     */
    public static final class Builder {

        private MailAddress from;
        private final List<MailAddress> to = new ArrayList<>();
        private final List<MailAddress> cc = new ArrayList<>();
        private final List<MailAddress> bcc = new ArrayList<>();
        private final List<MailAddress> replyTo = new ArrayList<>();
        private String subject;
        private String text;
        private String html;
        private final List<Attachment> attachments = new ArrayList<>();
        private final Map<String, String> headers = new LinkedHashMap<>();
        private Importance importance = Importance.NORMAL;
        private MailAddress readReceiptTo;
        private String messageId;
        private boolean messageIdGenerated;
        private Instant createdAt;
        private DsnOptions dsn;
        private ContentSource raw;

        private Builder() {
        }

        /** Sets the sender, parsed with {@link MailAddress#parse(String)}. */
        public Builder sender(String sender) {
            this.from = sender == null ? null : LetterChecks.address("from", sender);
            return this;
        }

        /** Sets the sender. */
        public Builder sender(MailAddress sender) {
            this.from = sender;
            return this;
        }

        /** Adds {@code To} recipients; each string may hold a comma-separated list. */
        public Builder to(String... addresses) {
            return add(to, LetterChecks.addresses("to", addresses));
        }

        /** Adds {@code To} recipients. */
        public Builder to(MailAddress... addresses) {
            return to(addresses == null ? null : Arrays.asList(addresses));
        }

        /** Adds {@code To} recipients. */
        public Builder to(Collection<MailAddress> addresses) {
            return add(to, LetterChecks.addresses("to", addresses));
        }

        /** Adds {@code Cc} recipients; each string may hold a comma-separated list. */
        public Builder cc(String... addresses) {
            return add(cc, LetterChecks.addresses("cc", addresses));
        }

        /** Adds {@code Cc} recipients. */
        public Builder cc(MailAddress... addresses) {
            return cc(addresses == null ? null : Arrays.asList(addresses));
        }

        /** Adds {@code Cc} recipients. */
        public Builder cc(Collection<MailAddress> addresses) {
            return add(cc, LetterChecks.addresses("cc", addresses));
        }

        /** Adds blind copy recipients (never written in the message); each string may hold a list. */
        public Builder bcc(String... addresses) {
            return add(bcc, LetterChecks.addresses("bcc", addresses));
        }

        /** Adds blind copy recipients (never written in the message). */
        public Builder bcc(MailAddress... addresses) {
            return bcc(addresses == null ? null : Arrays.asList(addresses));
        }

        /** Adds blind copy recipients (never written in the message). */
        public Builder bcc(Collection<MailAddress> addresses) {
            return add(bcc, LetterChecks.addresses("bcc", addresses));
        }

        /** Adds {@code Reply-To} addresses; each string may hold a comma-separated list. */
        public Builder replyTo(String... addresses) {
            return add(replyTo, LetterChecks.addresses("replyTo", addresses));
        }

        /** Adds {@code Reply-To} addresses. */
        public Builder replyTo(MailAddress... addresses) {
            return replyTo(addresses == null ? null : Arrays.asList(addresses));
        }

        /** Adds {@code Reply-To} addresses. */
        public Builder replyTo(Collection<MailAddress> addresses) {
            return add(replyTo, LetterChecks.addresses("replyTo", addresses));
        }

        /** Sets the subject: Unicode text without line breaks or control characters (TAB allowed). */
        public Builder subject(String subject) {
            this.subject = subject;
            return this;
        }

        /** Sets the plain text body, {@code null} for none; line breaks are written as CRLF. */
        public Builder text(String text) {
            this.text = text;
            return this;
        }

        /** Sets the HTML body, {@code null} for none; with a text body too, both go as alternatives. */
        public Builder html(String html) {
            this.html = html;
            return this;
        }

        /** Adds an attachment or inline part. */
        public Builder attach(Attachment attachment) {
            if (attachment == null) {
                throw new InvalidLetterException("attachments", "attachment must not be null");
            }
            attachments.add(attachment);
            return this;
        }

        /** Adds attachments or inline parts. */
        public Builder attach(Collection<Attachment> attachments) {
            if (attachments == null) {
                throw new InvalidLetterException("attachments", "attachments must not be null");
            }
            attachments.forEach(this::attach);
            return this;
        }

        /**
         * Adds an extra header, replacing an earlier one with the same name (case-insensitive).
         * The name must be an RFC 5322 field name (printable ASCII except ':') of at most 76 characters, not one of
         * the headers set from typed fields (From, To, Cc, Bcc, Reply-To, Subject, Date, Message-ID, MIME-Version,
         * Content-*);
         * the value must not contain line breaks or control characters (TAB allowed). Non-ASCII values are
         * RFC 2047 encoded when written.
         *
         * @param name  the header name
         * @param value the header value
         * @return this builder
         * @throws InvalidLetterException (field {@code "headers"}) for a bad name or value
         */
        public Builder header(String name, String value) {
            LetterChecks.header(name, value);
            headers.keySet().removeIf(k -> k.equalsIgnoreCase(name));
            headers.put(name, value);
            return this;
        }

        /** Sets the importance; {@code null} means {@link Importance#NORMAL}. */
        public Builder importance(Importance importance) {
            this.importance = importance == null ? Importance.NORMAL : importance;
            return this;
        }

        /** Sets where to send a read receipt ({@code Disposition-Notification-To}), {@code null} for none. */
        public Builder readReceiptTo(MailAddress address) {
            this.readReceiptTo = address;
            return this;
        }

        /** Sets where to send a read receipt, parsed with {@link MailAddress#parse(String)}; {@code null} for none. */
        public Builder readReceiptTo(String address) {
            this.readReceiptTo = address == null ? null : LetterChecks.address("readReceiptTo", address);
            return this;
        }

        /**
         * Sets the Message-ID without angle brackets, {@code local@domain}; {@code null} to have one generated at
         * build ({@code UUID@sender-domain}).
         */
        public Builder messageId(String messageId) {
            this.messageId = messageId;
            this.messageIdGenerated = false;
            return this;
        }

        /**
         * Sets the creation time, written as the {@code Date} header (so a letter written twice gives identical
         * bytes); {@code null} for the time of {@link #build()}.
         */
        public Builder createdAt(Instant createdAt) {
            this.createdAt = createdAt;
            return this;
        }

        /** Sets the delivery status notification options, {@code null} for none. */
        public Builder dsn(DsnOptions dsn) {
            this.dsn = dsn;
            return this;
        }

        /**
         * Makes this a raw letter: the given RFC 5322 message (headers included) is sent verbatim, line ends
         * normalized to CRLF. Subject, bodies, attachments and headers of the builder are then not written;
         * the envelope (sender and recipients) still comes from the builder.
         *
         * @param rfc5322 the message bytes, {@code null} for a normal letter
         * @return this builder
         */
        public Builder raw(ContentSource rfc5322) {
            this.raw = rfc5322;
            return this;
        }

        /**
         * Validates and builds the letter.
         *
         * @return the letter
         * @throws InvalidLetterException naming the field at fault: {@code "from"} (no sender), {@code "to"}
         *                                (no recipient), {@code "subject"}, {@code "attachments"}, {@code "headers"},
         *                                {@code "messageId"} ...
         */
        public Letter build() {
            LetterChecks.envelope(from, to, cc, bcc);
            Checks.noControl("subject", "subject", subject, true);
            LetterChecks.attachments(attachments);
            headers.forEach(LetterChecks::header);
            String id = messageId == null ? UUID.randomUUID() + "@" + from.asciiDomain()
                    : LetterChecks.messageId(messageId);
            Instant created = (createdAt != null ? createdAt : Instant.now()).truncatedTo(ChronoUnit.MILLIS);
            return new Letter(this, id, messageId == null || messageIdGenerated, created);
        }

        private Builder add(List<MailAddress> list, Collection<MailAddress> addresses) {
            list.addAll(addresses);
            return this;
        }
    }
}
