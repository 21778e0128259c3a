package io.github.smtpletter.json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.Version;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import io.github.smtpletter.letter.Attachment;
import io.github.smtpletter.letter.InvalidLetterException;
import io.github.smtpletter.letter.Letter;
import io.github.smtpletter.letter.MailAddress;
import io.github.smtpletter.smtp.RecipientFailure;
import io.github.smtpletter.smtp.SendResult;
import io.github.smtpletter.smtp.SmtpReply;

/**
 * A Jackson 2 ({@code com.fasterxml.jackson}) module that reads and writes {@link Letter}, {@link Attachment},
 * {@link MailAddress}, {@link SendResult}, {@link RecipientFailure} and {@link SmtpReply} in the shapes read by
 * {@link LetterMapReader}. Enums ({@code SendStatus}, {@code Importance}) use Jackson's defaults (their names).
 * <p>
 * Registered in {@code META-INF/services/com.fasterxml.jackson.databind.Module}, so
 * {@code ObjectMapper.findAndRegisterModules()} (and frameworks that call it) pick it up. With camel-jackson, name
 * it in the data format: {@code moduleClassNames=io.github.smtpletter.json.LetterJacksonModule}.
 * <p>
 * Found that way (or named in {@code moduleClassNames}), the module is made with its no-argument constructor and
 * refuses {@code path} attachments; to accept files from one folder, register
 * {@code new LetterJacksonModule(folder)} yourself.
 * <p>
 * Reading honours {@link DeserializationFeature#FAIL_ON_UNKNOWN_PROPERTIES} (on by default): a misspelt member
 * ({@code "bc"} for {@code "bcc"}) is an error rather than silently dropped. An invalid letter fails with a
 * {@link JsonMappingException} whose message is the {@link InvalidLetterException}'s (naming the field) and whose
 * cause is that exception.
 */
public class LetterJacksonModule extends SimpleModule {

    private static final long serialVersionUID = 1L;

    /** Creates the module; {@code path} attachments in JSON letters are refused. */
    public LetterJacksonModule() {
        this(null);
    }

    /**
     * Creates the module.
     *
     * @param attachmentDirectory the one folder whose files {@code path} attachments in JSON letters may name,
     *                            {@code null} to refuse file paths
     */
    public LetterJacksonModule(Path attachmentDirectory) {
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
        private static final long serialVersionUID = 1L;
        private final transient Function<T, Map<String, Object>> shape;

        MapShapeSerializer(Class<T> type, Function<T, Map<String, Object>> shape) {
            super(type);
            this.shape = shape;
        }

        @Override
        public void serialize(T value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            Map<String, Object> map;
            try {
                map = shape.apply(value);
            } catch (UncheckedIOException e) {
                throw JsonMappingException.from(gen, e.getMessage(), e.getCause());
            }
            provider.defaultSerializeValue(map, gen);
        }
    }

    /** Reads a JSON object into a map and builds the value from it. */
    static final class MapShapeDeserializer<T> extends StdDeserializer<T> {
        private static final long serialVersionUID = 1L;
        private final transient BiFunction<Map<?, ?>, Boolean, T> build;

        MapShapeDeserializer(Class<T> type, BiFunction<Map<?, ?>, Boolean, T> build) {
            super(type);
            this.build = build;
        }

        @Override
        @SuppressWarnings("unchecked")
        public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (!p.hasToken(JsonToken.START_OBJECT) && !p.hasToken(JsonToken.FIELD_NAME)) {
                return (T) ctxt.handleUnexpectedToken(handledType(), p);
            }
            Map<?, ?> map = ctxt.readValue(p, Map.class);
            try {
                return build.apply(map, ctxt.isEnabled(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES));
            } catch (InvalidLetterException e) {
                throw JsonMappingException.from(p, e.getMessage(), e);
            }
        }
    }

    /** Writes an address as {@code "Name <a@b>"} or {@code "a@b"}. */
    static final class AddressSerializer extends StdSerializer<MailAddress> {
        private static final long serialVersionUID = 1L;

        AddressSerializer() {
            super(MailAddress.class);
        }

        @Override
        public void serialize(MailAddress value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeString(value.toString());
        }
    }

    /** Reads an address from a string. */
    static final class AddressDeserializer extends StdDeserializer<MailAddress> {
        private static final long serialVersionUID = 1L;

        AddressDeserializer() {
            super(MailAddress.class);
        }

        @Override
        public MailAddress deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (!p.hasToken(JsonToken.VALUE_STRING)) {
                return (MailAddress) ctxt.handleUnexpectedToken(MailAddress.class, p);
            }
            try {
                return MailAddress.parse(p.getText());
            } catch (InvalidLetterException e) {
                throw JsonMappingException.from(p, e.getMessage(), e);
            }
        }
    }
}
