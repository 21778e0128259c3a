package io.github.smtpletter.camel.springboot;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.util.StringHelper;
import org.apache.camel.util.json.JsonObject;
import org.apache.camel.util.json.Jsoner;

/**
 * Writes the Spring Boot configuration metadata of {@code camel.component.letter-smtp.*} from the component's JSON
 * descriptor: one property per component option (kebab-case name, type, default, description), enum values as hints,
 * {@code java.time.Duration} for duration options. Its output is committed as
 * {@code src/main/resources/META-INF/spring-configuration-metadata.json}; {@link StarterConfigurationMetadataTest}
 * keeps the two in step.
 */
final class SpringConfigurationMetadata {

    static final String DESCRIPTOR = "META-INF/io/github/smtpletter/camel/letter-smtp.json";
    static final String COMPONENT_TYPE = "io.github.smtpletter.camel.LetterSmtpComponent";
    static final String AUTO_CONFIGURATION_TYPE = LetterSmtpComponentAutoConfiguration.class.getName();

    private static final Map<String, String> BOXED = Map.of(
            "boolean", "java.lang.Boolean", "int", "java.lang.Integer", "long", "java.lang.Long",
            "double", "java.lang.Double", "float", "java.lang.Float", "short", "java.lang.Short",
            "byte", "java.lang.Byte", "char", "java.lang.Character");

    private SpringConfigurationMetadata() {
    }

    /** The component's descriptor, as the build generated it. */
    static JsonObject descriptor() throws IOException {
        try (InputStream in = SpringConfigurationMetadata.class.getClassLoader().getResourceAsStream(DESCRIPTOR)) {
            if (in == null) {
                throw new IOException(DESCRIPTOR + " is not on the class path");
            }
            return (JsonObject) Jsoner.deserialize(new String(in.readAllBytes(), StandardCharsets.UTF_8),
                    new JsonObject());
        }
    }

    /** The Spring Boot property name of a component option. */
    static String propertyName(String option) {
        return LetterSmtpComponentAutoConfiguration.PREFIX + "." + StringHelper.camelCaseToDash(option);
    }

    /** The Spring Boot type of a component option. */
    static String propertyType(JsonObject option) {
        if ("duration".equals(option.getString("type"))) {
            return "java.time.Duration";
        }
        String javaType = option.getString("javaType");
        return BOXED.getOrDefault(javaType, javaType);
    }

    /** The metadata document for the given descriptor, as pretty-printed JSON. */
    static String generate(JsonObject descriptor) {
        JsonObject component = (JsonObject) descriptor.get("component");
        String prefix = LetterSmtpComponentAutoConfiguration.PREFIX;

        Map<String, Object> group = new LinkedHashMap<>();
        group.put("name", prefix);
        group.put("type", COMPONENT_TYPE);
        group.put("sourceType", AUTO_CONFIGURATION_TYPE);
        group.put("description", component.getString("description"));

        List<Object> properties = new ArrayList<>();
        properties.add(property(prefix + ".enabled", "java.lang.Boolean",
                "Whether to enable auto configuration of the letter-smtp component. This is enabled by default.",
                AUTO_CONFIGURATION_TYPE, true));
        properties.add(property(prefix + ".customizer.enabled", "java.lang.Boolean",
                "Whether camel.component.letter-smtp.* is applied to the component. This is enabled by default.",
                AUTO_CONFIGURATION_TYPE, true));
        List<Object> hints = new ArrayList<>();
        JsonObject options = (JsonObject) descriptor.get("componentProperties");
        for (Map.Entry<String, Object> e : options.entrySet()) {
            JsonObject option = (JsonObject) e.getValue();
            String name = propertyName(e.getKey());
            String type = propertyType(option);
            String description = option.getString("description");
            if ("object".equals(option.getString("type"))) {
                description += " The option is of type " + option.getString("javaType")
                               + ", given as a bean reference such as #myBean.";
            }
            Map<String, Object> property = property(name, type, description, COMPONENT_TYPE,
                    defaultValue(option, type));
            if (Boolean.TRUE.equals(option.get("deprecated"))) {
                property.put("deprecated", true);
            }
            properties.add(property);
            List<?> values = (List<?>) option.get("enum");
            if (values != null) {
                List<Object> hintValues = new ArrayList<>();
                values.forEach(v -> hintValues.add(Map.of("value", String.valueOf(v))));
                Map<String, Object> hint = new LinkedHashMap<>();
                hint.put("name", name);
                hint.put("values", hintValues);
                hints.add(hint);
            }
        }

        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("groups", List.of(group));
        metadata.put("properties", properties);
        metadata.put("hints", hints);
        StringBuilder out = new StringBuilder();
        write(out, metadata, "");
        return out.append('\n').toString();
    }

    private static Map<String, Object> property(
                                                String name, String type, String description, String sourceType,
                                                Object defaultValue) {
        Map<String, Object> property = new LinkedHashMap<>();
        property.put("name", name);
        property.put("type", type);
        property.put("description", description);
        property.put("sourceType", sourceType);
        if (defaultValue != null) {
            property.put("defaultValue", defaultValue);
        }
        return property;
    }

    /** Booleans and numbers stay JSON values; durations in milliseconds become {@code 10s} or {@code 250ms}. */
    private static Object defaultValue(JsonObject option, String type) {
        Object value = option.get("defaultValue");
        if (value == null) {
            return null;
        }
        if ("java.time.Duration".equals(type)) {
            long millis = Long.parseLong(String.valueOf(value));
            return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
        }
        if (value instanceof Boolean || value instanceof Number) {
            return value;
        }
        String text = String.valueOf(value);
        if ("java.lang.Boolean".equals(type)) {
            return Boolean.valueOf(text);
        }
        if ("java.lang.Integer".equals(type) || "java.lang.Long".equals(type)) {
            return Long.valueOf(text);
        }
        return text;
    }

    private static void write(StringBuilder out, Object value, String indent) {
        if (value instanceof Map<?, ?> map) {
            out.append("{\n");
            int i = 0;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                out.append(indent).append("  ");
                string(out, String.valueOf(e.getKey()));
                out.append(": ");
                write(out, e.getValue(), indent + "  ");
                out.append(++i < map.size() ? ",\n" : "\n");
            }
            out.append(indent).append('}');
        } else if (value instanceof List<?> list) {
            if (list.isEmpty()) {
                out.append("[]");
                return;
            }
            out.append("[\n");
            for (int i = 0; i < list.size(); i++) {
                out.append(indent).append("  ");
                write(out, list.get(i), indent + "  ");
                out.append(i + 1 < list.size() ? ",\n" : "\n");
            }
            out.append(indent).append(']');
        } else if (value instanceof Boolean || value instanceof Number) {
            out.append(value);
        } else {
            string(out, String.valueOf(value));
        }
    }

    private static void string(StringBuilder out, String s) {
        out.append('"');
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
