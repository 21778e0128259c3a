package io.github.smtpletter.camel;

import org.apache.camel.spi.Metadata;

/**
 * Header names used by the {@code letter-smtp} component.
 * <p>
 * Every name starts with {@code CamelLetter}, so headers that arrive from outside (HTTP, JMS ...) are
 * filtered by Camel's default header filter strategies and cannot steer addressing by accident.
 */
public final class LetterSmtpConstants {

    // ---- input headers: addressing and content of a letter built from a String body (or a Map that lacks it) ----

    @Metadata(label = "producer",
              description = "The sender of a letter built from a String body (or a Map that lacks it); overrides the"
                            + " endpoint's from option. A display name and address, or the address alone.",
              javaType = "String")
    public static final String FROM = "CamelLetterFrom";
    @Metadata(label = "producer", description = "Recipients (comma separated String, or a collection of Strings /"
                                                + " MailAddress) of a letter built from a String body (or a Map that lacks it); overrides the"
                                                + " endpoint's to option.",
              javaType = "String")
    public static final String TO = "CamelLetterTo";
    @Metadata(label = "producer",
              description = "Copy recipients of a letter built from a String body (or a Map that lacks it).",
              javaType = "String")
    public static final String CC = "CamelLetterCc";
    @Metadata(label = "producer",
              description = "Blind copy recipients of a letter built from a String body (or a Map that lacks it)"
                            + " (delivered, never written into the message).",
              javaType = "String")
    public static final String BCC = "CamelLetterBcc";
    @Metadata(label = "producer",
              description = "Reply-To addresses of a letter built from a String body (or a Map that lacks it).",
              javaType = "String")
    public static final String REPLY_TO = "CamelLetterReplyTo";
    @Metadata(label = "producer",
              description = "The subject of a letter built from a String body (or a Map that lacks it); overrides the"
                            + " endpoint's subject option.",
              javaType = "String")
    public static final String SUBJECT = "CamelLetterSubject";
    @Metadata(label = "producer", description = "Content type of a String body: `text/plain` (default) or"
                                                + " `text/html`.",
              javaType = "String", defaultValue = "text/plain")
    public static final String CONTENT_TYPE = "CamelLetterContentType";
    @Metadata(label = "producer", description = "Importance of a letter built from a String body: LOW, NORMAL, HIGH.",
              javaType = "io.github.smtpletter.letter.Importance")
    public static final String IMPORTANCE = "CamelLetterImportance";

    // ---- output headers ----

    @Metadata(label = "producer", description = "Output: how many letters the exchange carried.", javaType = "int")
    public static final String LETTER_COUNT = "CamelLetterCount";
    @Metadata(label = "producer", description = "Output: how many letters were sent (to all or to some of their"
                                                + " recipients).",
              javaType = "int")
    public static final String SENT_COUNT = "CamelLetterSentCount";
    @Metadata(label = "producer", description = "Output: how many letters were not sent (rejected, failed or"
                                                + " unknown).",
              javaType = "int")
    public static final String NOT_SENT_COUNT = "CamelLetterNotSentCount";

    private LetterSmtpConstants() {
    }
}
