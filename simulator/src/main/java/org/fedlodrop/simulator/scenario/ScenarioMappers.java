package org.fedlodrop.simulator.scenario;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;

/** Jackson mappers for scenario files: snake_case fields, enums by their scenario labels, strict binding. */
public final class ScenarioMappers {
    private ScenarioMappers() {
    }

    public static ObjectMapper yaml() {
        YAMLMapper mapper = YAMLMapper.builder(YAMLFactory.builder()
                        .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                        .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                        .build())
                .build();
        return configure(mapper);
    }

    public static ObjectMapper json() {
        return configure(JsonMapper.builder().build());
    }

    /** The mapper for a file, by its extension: JSON for {@code .json}, YAML otherwise. */
    public static ObjectMapper forFile(String fileName) {
        return fileName.toLowerCase(java.util.Locale.ROOT).endsWith(".json") ? json() : yaml();
    }

    private static ObjectMapper configure(ObjectMapper mapper) {
        mapper.setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
        mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        mapper.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        mapper.registerModule(enumLabels());
        return mapper;
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static SimpleModule enumLabels() {
        SimpleModule module = new SimpleModule("scenario-enum-labels");
        module.addSerializer(Enum.class, new StdSerializer<>(Enum.class) {
            @Override
            public void serialize(Enum value, JsonGenerator gen, SerializerProvider provider) throws IOException {
                gen.writeString(EnumLabels.label(value));
            }
        });
        module.setDeserializerModifier(new BeanDeserializerModifier() {
            @Override
            public JsonDeserializer<?> modifyEnumDeserializer(DeserializationConfig config, JavaType type,
                                                              BeanDescription description, JsonDeserializer<?> deserializer) {
                Class<?> enumType = type.getRawClass();
                return new JsonDeserializer<Enum<?>>() {
                    @Override
                    public Enum<?> deserialize(JsonParser parser, DeserializationContext context) throws IOException {
                        String text = parser.getValueAsString();
                        return EnumLabels.parse(enumType, text).orElseThrow(() -> context.weirdStringException(
                                text, enumType, "expected one of " + EnumLabels.labels(enumType)));
                    }
                };
            }
        });
        return module;
    }
}
