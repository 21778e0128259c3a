package io.github.smtpletter.json;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

import io.github.smtpletter.letter.Attachment;
import io.github.smtpletter.letter.InvalidLetterException;
import io.github.smtpletter.letter.Letter;
import io.github.smtpletter.letter.MailAddress;
import io.github.smtpletter.smtp.RecipientFailure;
import io.github.smtpletter.smtp.SendResult;
import io.github.smtpletter.smtp.SmtpReply;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.Version;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.deser.std.StdDeserializer;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.ser.std.StdSerializer;

/**
 * The Jackson 3 ({@code tools.jackson}) twin of {@link LetterJacksonModule}: the same JSON shapes ({@link LetterMapReader})
 * for {@link Letter}, {@link Attachment}, {@link MailAddress}, {@link SendResult}, {@link RecipientFailure} and
 * {@link SmtpReply}.
 * <p>
 * Registered in {@code META-INF/services/tools.jackson.databind.JacksonModule}, so
 * {@code JsonMapper.builder().findAndAddModules()} picks it up, and so does Spring Boot 4's auto-configured
 * {@code JsonMapper} ({@code spring.jackson.find-and-add-modules}, on by default): a Spring MVC controller can take
 * {@code @RequestBody Letter} and return {@code List<SendResult>} with nothing else. With camel-jackson3 name it in the
 * data format: {@code moduleClassNames=io.github.smtpletter.json.LetterJackson3Module}.
 * <p>
 * Found that way (or named in {@code moduleClassNames}), the module is made with its no-argument constructor and
 * refuses {@code path} attachments; to accept files from one folder, register
 * {@code new LetterJackson3Module(folder)} yourself.
 * <p>
 * Reading honours {@link DeserializationFeature#FAIL_ON_UNKNOWN_PROPERTIES} (off by default in Jackson 3, so unknown
 * members are ignored unless the mapper enables it). An invalid letter fails with a {@link DatabindException} whose
 * message is the {@link InvalidLetterException}'s and whose cause is that exception.
 */
public class LetterJackson3Module extends SimpleModule {

    private static final long serialVersionUID = 1L;

    /** Creates the module; {@code path} attachments in JSON letters are refused. */
    public LetterJackson3Module() {
        this(null);
    }

    /**
     * Creates the module.
     *
     * @param attachmentDirectory the one folder whose files {@code path} attachments in JSON letters may name,
     *                            {@code null} to refuse file paths
     */
    public LetterJackson3Module(Path attachmentDirectory) {
        super("letter-smtp", Version.unknownVersion());
        LetterMapReader strict = new LetterMapReader(attachmentDirectory, true);
        LetterMapReader lenient = new LetterMapReader(attachmentDirectory, false);
        addSerializer(new MapShapeSerializer<>(Letter.class, LetterShapes::fromLetter));
        addSerializer(new MapShapeSerializer<>(Attachment.class, LetterShapes::fromAttachment));
        addSerializer(new MapShapeSerializer<>(SendResult.class, ResultShapes::fromResult));
        addSerializer(new MapShapeSerializer<>(RecipientFailure.class, ResultShapes::fromFailure));
        addSerializer(new MapShapeSerializer<>(SmtpReply.class, ResultShapes::fromReply));
        addSerializer(new AddressSerializer());
        addDeserializer(Letter.class, new MapShapeDeserializer<>(Letter.class,
                (map, isStrict) -> (isStrict ? strict : lenient).read(map)));
        addDeserializer(Attachment.class, new MapShapeDeserializer<>(Attachment.class,
                (map, isStrict) -> (isStrict ? strict : lenient).readAttachment(map)));
        addDeserializer(SendResult.class, new MapShapeDeserializer<>(SendResult.class, ResultShapes::toResult));
        addDeserializer(RecipientFailure.class,
                new MapShapeDeserializer<>(RecipientFailure.class, ResultShapes::toFailure));
        addDeserializer(SmtpReply.class, new MapShapeDeserializer<>(SmtpReply.class, ResultShapes::toReply));
        addDeserializer(MailAddress.class, new AddressDeserializer());
    }

    /** Writes a value as its JSON shape. */
    static final class MapShapeSerializer<T> extends StdSerializer<T> {
        private final Function<T, Map<String, Object>> shape;

        MapShapeSerializer(Class<T> type, Function<T, Map<String, Object>> shape) {
            super(type);
            this.shape = shape;
        }

        @Override
        public void serialize(T value, JsonGenerator gen, SerializationContext ctxt) throws JacksonException {
            Map<String, Object> map;
            try {
                map = shape.apply(value);
            } catch (UncheckedIOException e) {
                throw DatabindException.from(gen, e.getMessage(), e.getCause());
            }
            ctxt.writeValue(gen, map);
        }
    }

    /** Reads a JSON object into a map and builds the value from it. */
    static final class MapShapeDeserializer<T> extends StdDeserializer<T> {
        private final BiFunction<Map<?, ?>, Boolean, T> build;

        MapShapeDeserializer(Class<T> type, BiFunction<Map<?, ?>, Boolean, T> build) {
            super(type);
            this.build = build;
        }

        @Override
        @SuppressWarnings("unchecked")
        public T deserialize(JsonParser p, DeserializationContext ctxt) throws JacksonException {
            if (!p.hasToken(JsonToken.START_OBJECT) && !p.hasToken(JsonToken.PROPERTY_NAME)) {
                return (T) ctxt.handleUnexpectedToken(handledType(), p);
            }
            Map<?, ?> map = ctxt.readValue(p, Map.class);
            try {
                return build.apply(map, ctxt.isEnabled(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES));
            } catch (InvalidLetterException e) {
                throw DatabindException.from(p, e.getMessage(), e);
            }
        }
    }

    /** Writes an address as {@code "Name <a@b>"} or {@code "a@b"}. */
    static final class AddressSerializer extends StdSerializer<MailAddress> {
        AddressSerializer() {
            super(MailAddress.class);
        }

        @Override
        public void serialize(MailAddress value, JsonGenerator gen, SerializationContext ctxt)
                throws JacksonException {
            gen.writeString(value.toString());
        }
    }

    /** Reads an address from a string. */
    static final class AddressDeserializer extends StdDeserializer<MailAddress> {
        AddressDeserializer() {
            super(MailAddress.class);
        }

        @Override
        public MailAddress deserialize(JsonParser p, DeserializationContext ctxt) throws JacksonException {
            if (!p.hasToken(JsonToken.VALUE_STRING)) {
                return (MailAddress) ctxt.handleUnexpectedToken(MailAddress.class, p);
            }
            try {
                return MailAddress.parse(p.getString());
            } catch (InvalidLetterException e) {
                throw DatabindException.from(p, e.getMessage(), e);
            }
        }
    }
}
