package io.github.smtpletter.camel;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.github.smtpletter.json.LetterJackson3Module;
import io.github.smtpletter.json.LetterJacksonModule;
import io.github.smtpletter.letter.Attachment;
import io.github.smtpletter.letter.DsnNotify;
import io.github.smtpletter.letter.DsnOptions;
import io.github.smtpletter.letter.Letter;
import io.github.smtpletter.testsupport.LogCapture;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Log forging: a value with CR/LF and a forged log line is pushed through every field on every input path (the
 * builder, the {@code CamelLetter*} headers, endpoint options, a Map body, JSON through the Jackson 2 and Jackson 3
 * modules) into a route whose default error handler logs the failure. The letter is refused, and neither any
 * exception message in the chain nor any log event carries a raw CR or LF from the input: the forged line never
 * starts a line of its own.
 */
class LogForgingTest extends CamelTestSupport {

    private static final String FORGED = "2026-01-01 00:00:00 INFO admin logged in";
    private static final String BAD = "x\r\n" + FORGED;
    private static final String BAD_ADDRESS = "ann@example.org\r\n" + FORGED;

    @RegisterExtension
    static final GreenMailExtension GREEN_MAIL = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    @TempDir
    static Path box;

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:in")
                        .process(e -> {
                            Callable<?> make = e.getIn().getHeader("make", Callable.class);
                            if (make != null) {
                                e.getIn().setBody(make.call());
                            }
                        })
                        .toD("${header.target}");
            }
        };
    }

    private static String endpoint(String options) {
        return "letter-smtp:127.0.0.1:" + GREEN_MAIL.getSmtp().getPort() + "?attachmentDirectory="
               + encode(box.toString()) + (options.isEmpty() ? "" : "&" + options);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A valid letter as a map, with {@code field} (a dotted path) set to {@code value}. */
    private static Map<String, Object> letterWith(String field, Object value) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("from", "shop@example.org");
        m.put("to", List.of("ann@example.org"));
        m.put("subject", "Hello");
        m.put("text", "Hi");
        switch (field) {
            case "headers.name" -> m.put("headers", Map.of(value, "v"));
            case "headers.value" -> m.put("headers", Map.of("X-A", value));
            case "headers.notString" -> m.put("headers", Map.of(value, List.of(1, 2)));
            case "attachments.name" -> m.put("attachments", List.of(Map.of("name", value, "content", "c")));
            case "attachments.nameWithoutSource" -> m.put("attachments", List.of(Map.of("name", value)));
            case "attachments.nameBadBase64" ->
                m.put("attachments", List.of(Map.of("name", value, "base64", "!!!")));
            case "attachments.nameBadContent" ->
                m.put("attachments", List.of(Map.of("name", value, "content", List.of(1))));
            case "attachments.contentType" ->
                m.put("attachments", List.of(Map.of("name", "a.txt", "content", "c", "contentType", value)));
            case "attachments.contentId" ->
                m.put("attachments", List.of(Map.of("name", "a.txt", "content", "c", "contentId", value)));
            case "attachments.path" -> m.put("attachments", List.of(Map.of("path", value)));
            case "dsn.notify" -> m.put("dsn", Map.of("notify", List.of(value)));
            case "dsn.ret" -> m.put("dsn", Map.of("ret", value));
            case "dsn.envelopeId" -> m.put("dsn", Map.of("envelopeId", value));
            case "unknownMember" -> m.put(String.valueOf(value), "v");
            default -> m.put(field, value);
        }
        return m;
    }

    private static final List<String> MAP_FIELDS = List.of("from", "to", "cc", "bcc", "replyTo", "subject",
            "importance", "headers.name", "headers.value", "headers.notString", "attachments.name",
            "attachments.nameWithoutSource", "attachments.nameBadBase64", "attachments.nameBadContent",
            "attachments.contentType", "attachments.contentId", "attachments.path", "messageId", "readReceiptTo",
            "createdAt", "dsn.notify", "dsn.ret", "dsn.envelopeId", "unknownMember");

    private static final Set<String> ADDRESS_FIELDS = Set.of("from", "to", "cc", "bcc", "replyTo", "readReceiptTo");

    private static Object badFor(String field) {
        return ADDRESS_FIELDS.contains(field) ? BAD_ADDRESS : BAD;
    }

    static Stream<Arguments> cases() throws Exception {
        List<Arguments> out = new ArrayList<>();
        // the Java builder, called inside the route
        Map<String, Callable<Object>> builder = new LinkedHashMap<>();
        builder.put("from", () -> Letter.from(BAD_ADDRESS).to("ann@example.org").text("t").build());
        builder.put("to", () -> Letter.from("shop@example.org").to(BAD_ADDRESS).text("t").build());
        builder.put("cc", () -> Letter.from("shop@example.org").to("ann@example.org").cc(BAD_ADDRESS).build());
        builder.put("bcc", () -> Letter.from("shop@example.org").to("ann@example.org").bcc(BAD_ADDRESS).build());
        builder.put("replyTo",
                () -> Letter.from("shop@example.org").to("ann@example.org").replyTo(BAD_ADDRESS).build());
        builder.put("subject", () -> Letter.from("shop@example.org").to("ann@example.org").subject(BAD).build());
        builder.put("headers.name", () -> Letter.from("shop@example.org").to("ann@example.org").header(BAD, "v")
                .build());
        builder.put("headers.value", () -> Letter.from("shop@example.org").to("ann@example.org")
                .header("X-A", BAD).build());
        builder.put("attachments.name", () -> Letter.from("shop@example.org").to("ann@example.org")
                .attach(Attachment.of(BAD, new byte[1])).build());
        builder.put("attachments.contentType", () -> Letter.from("shop@example.org").to("ann@example.org")
                .attach(Attachment.of("a.txt", new byte[1], BAD)).build());
        builder.put("attachments.contentId", () -> Letter.from("shop@example.org").to("ann@example.org")
                .attach(Attachment.of("a.txt", new byte[1]).inline(BAD)).build());
        builder.put("attachments.path", () -> Letter.from("shop@example.org").to("ann@example.org")
                .attach(Attachment.of(box.resolve(BAD))).build());
        builder.put("messageId", () -> Letter.from("shop@example.org").to("ann@example.org").messageId(BAD)
                .build());
        builder.put("readReceiptTo", () -> Letter.from("shop@example.org").to("ann@example.org")
                .readReceiptTo(BAD_ADDRESS).build());
        builder.put("dsn.envelopeId", () -> Letter.from("shop@example.org").to("ann@example.org")
                .dsn(new DsnOptions(Set.of(DsnNotify.FAILURE), null, BAD)).build());
        builder.forEach((field, make) -> out.add(Arguments.of("builder", field, make, null, Map.of(), "")));
        // the CamelLetter* headers of a String body
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("from", LetterSmtpConstants.FROM);
        headers.put("to", LetterSmtpConstants.TO);
        headers.put("cc", LetterSmtpConstants.CC);
        headers.put("bcc", LetterSmtpConstants.BCC);
        headers.put("replyTo", LetterSmtpConstants.REPLY_TO);
        headers.put("subject", LetterSmtpConstants.SUBJECT);
        headers.put("importance", LetterSmtpConstants.IMPORTANCE);
        headers.forEach((field, header) -> {
            Map<String, Object> h = new LinkedHashMap<>();
            h.put(LetterSmtpConstants.FROM, "shop@example.org");
            h.put(LetterSmtpConstants.TO, "ann@example.org");
            h.put(header, badFor(field));
            out.add(Arguments.of("headers", field, null, "Hello", h, ""));
        });
        // endpoint options, URL-encoded in the endpoint URI
        for (String field : List.of("from", "to", "cc", "bcc", "replyTo", "subject")) {
            Map<String, String> options = new LinkedHashMap<>();
            options.put("from", "shop@example.org");
            options.put("to", "ann@example.org");
            options.put(field, badFor(field).toString());
            StringBuilder query = new StringBuilder();
            options.forEach((k, v) -> query.append(query.length() == 0 ? "" : "&").append(k).append('=')
                    .append(encode(v)));
            out.add(Arguments.of("endpoint options", field, null, "Hello", Map.of(), query.toString()));
        }
        // a Map body, and JSON through both Jackson modules
        for (String field : MAP_FIELDS) {
            Map<String, Object> map = letterWith(field, badFor(field));
            if (!field.equals("unknownMember")) { // Map bodies are read leniently: unknown members are ignored
                out.add(Arguments.of("Map", field, null, map, Map.of(), ""));
            }
            String json = new ObjectMapper().writeValueAsString(map);
            Callable<Object> jackson2 = () -> new ObjectMapper().registerModule(new LetterJacksonModule(box))
                    .readValue(json, Letter.class);
            Callable<Object> jackson3 = () -> JsonMapper.builder().addModule(new LetterJackson3Module(box))
                    .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build()
                    .readValue(json, Letter.class);
            out.add(Arguments.of("JSON (Jackson 2)", field, jackson2, null, Map.of(), ""));
            out.add(Arguments.of("JSON (Jackson 3)", field, jackson3, null, Map.of(), ""));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("cases")
    void noRawLineBreakFromInputInAnyMessageOrLogEvent(
                                                       String path, String field, Callable<Object> make, Object body,
                                                       Map<String, Object> headers, String options)
            throws Exception {
        Map<String, Object> h = new LinkedHashMap<>(headers);
        h.put("target", endpoint(options));
        if (make != null) {
            h.put("make", make);
        }
        Exchange result;
        List<LogCapture.Line> lines;
        try (LogCapture log = LogCapture.start()) {
            result = template.send("direct:in", e -> {
                e.getIn().setHeaders(h);
                e.getIn().setBody(body);
            });
            lines = log.lines();
        }

        Throwable failure = result.getException();
        assertNotNull(failure, path + " " + field + ": the letter must be refused");
        for (Throwable t = failure; t != null; t = t.getCause()) {
            assertSafe(path + " " + field + ", " + t.getClass().getSimpleName(), String.valueOf(t.getMessage()));
        }
        assertFalse(lines.isEmpty(), "the default error handler logs the failure");
        assertTrue(lines.stream().anyMatch(l -> l.full().contains(failure.getClass().getSimpleName())),
                "the failure is in the log");
        for (LogCapture.Line line : lines) {
            assertSafe(path + " " + field + ", log event", line.full());
        }
        assertEquals(0, GREEN_MAIL.getReceivedMessages().length, "nothing was sent");
    }

    /** No CR at all, and the forged line never begins a line (LF is only the log's own, between its lines). */
    private static void assertSafe(String what, String text) {
        assertFalse(text.indexOf('\r') >= 0, () -> what + " carries a raw CR: " + text);
        for (String line : text.split("\n")) {
            assertFalse(line.stripLeading().startsWith(FORGED), () -> what + " carries a forged line: " + text);
        }
    }
}
