package io.accent.core;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Path;
import java.util.function.Function;

/** The project's one configured JSON mapper (records supported, unknown fields ignored). */
public final class Json {

    private static final ObjectMapper MAPPER =
            new ObjectMapper()
                    .enable(SerializationFeature.INDENT_OUTPUT)
                    .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private Json() {}

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /**
     * Reads a JSON file a user gave ({@code what}: "mapping", ...): a regular UTF-8 file of at most
     * {@code maxBytes} bytes holding one JSON value. Every problem is one line from {@code fail}
     * naming the file (and for bad JSON the line and column), never the file's content.
     */
    public static JsonNode readTree(
            Path file, long maxBytes, String what, Function<String, RuntimeException> fail) {
        return parse(InputFiles.readText(file, maxBytes, what, fail), file, fail);
    }

    /**
     * {@code text}, the content of {@code file}, as one JSON value (empty text: a missing node);
     * invalid JSON or trailing content is "FILE: not valid JSON (line L, column C)", without the
     * parser's own message, which quotes the content.
     */
    public static JsonNode parse(String text, Path file, Function<String, RuntimeException> fail) {
        try {
            return MAPPER.reader()
                    .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation l = e.getLocation();
            throw fail.apply(
                    file
                            + ": not valid JSON"
                            + (l == null || l.getLineNr() < 1
                                    ? ""
                                    : " (line "
                                            + l.getLineNr()
                                            + ", column "
                                            + l.getColumnNr()
                                            + ")"));
        }
    }
}
