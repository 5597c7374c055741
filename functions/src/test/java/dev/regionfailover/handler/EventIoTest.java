package dev.regionfailover.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import org.jboss.logging.MDC;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.regionfailover.config.FailoverConfig;
import dev.regionfailover.event.RejectedEvent;
import dev.regionfailover.event.RejectedEvent.Kind;

class EventIoTest {

    private final ObjectMapper mapper = new ObjectMapper();
    private final EventIo io = new EventIo();
    private final List<JsonNode> received = new ArrayList<>();
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();

    @BeforeEach
    void inject() {
        io.mapper = mapper;
        io.config = mock(FailoverConfig.class);
        when(io.config.plan()).thenReturn("orders-db");
    }

    private JsonNode handle(byte[] input, Function<JsonNode, HandlerResponse> action) throws IOException {
        io.handle("test", null, new ByteArrayInputStream(input), output, event -> {
            received.add(event);
            return action.apply(event);
        });
        return mapper.readTree(output.toByteArray());
    }

    private JsonNode handle(byte[] input) throws IOException {
        return handle(input, event -> HandlerResponse.of("OK", "fine"));
    }

    /** A JSON object of exactly {@code size} bytes. */
    private static byte[] objectOfSize(int size) {
        String prefix = "{\"pad\":\"";
        return (prefix + "x".repeat(size - prefix.length() - 2) + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    static Stream<Arguments> unacceptable() {
        return Stream.of(
                Arguments.of("truncated object", bytes("{\"a\":"), "MALFORMED: malformed JSON at line 1, column "),
                Arguments.of("bad literal on line 2", bytes("{\n  \"a\": tru }"), "MALFORMED: malformed JSON at line 2"),
                Arguments.of("not JSON", bytes("hello"), "MALFORMED: malformed JSON at line 1"),
                Arguments.of("array", bytes("[{\"a\":1}]"), "MALFORMED: event is not a JSON object"),
                Arguments.of("number", bytes("42"), "MALFORMED: event is not a JSON object"),
                Arguments.of("null", bytes("null"), "MALFORMED: event is not a JSON object"),
                Arguments.of("whitespace", bytes(" \n "), "MALFORMED: event is not a JSON object"),
                Arguments.of("empty", new byte[0], "MALFORMED: empty event"),
                Arguments.of("trailing garbage", bytes("{\"a\":1} garbage"), "MALFORMED: malformed JSON at line 1"),
                Arguments.of("two objects", bytes("{\"a\":1}{\"b\":2}"), "MALFORMED: malformed JSON at line 1"),
                Arguments.of("over 256 KiB", objectOfSize(EventIo.MAX_EVENT_BYTES + 1),
                        "MALFORMED: event larger than 262144 bytes"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unacceptable")
    void unacceptableInputIsRejectedWithoutCallingTheAction(String description, byte[] input, String reason)
            throws IOException {
        JsonNode response = handle(input);
        assertEquals("REJECTED", response.path("outcome").asText());
        assertTrue(response.path("reason").asText().startsWith(reason), response.path("reason").asText());
        assertTrue(received.isEmpty(), "the action was called");
    }

    @Test
    void eventOfExactlyTheLimitIsAccepted() throws IOException {
        JsonNode response = handle(objectOfSize(EventIo.MAX_EVENT_BYTES));
        assertEquals("OK", response.path("outcome").asText());
        assertEquals(EventIo.MAX_EVENT_BYTES - 10, received.get(0).path("pad").asText().length());
    }

    @Test
    void actionResponseIsWritten() throws IOException {
        JsonNode response = handle(bytes("{\"a\": 1}"), event -> HandlerResponse.of("DONE", "a=" + event.get("a")));
        assertEquals(mapper.readTree("{\"outcome\":\"DONE\",\"reason\":\"a=1\"}"), response);
        assertEquals(1, received.size());
    }

    @ParameterizedTest
    @CsvSource({"UNKNOWN, not ours", "UNAUTHORISED, source 'x' may not", "MALFORMED, missing field detail"})
    void rejectionFromTheActionIsAnswered(Kind kind, String message) throws IOException {
        JsonNode response = handle(bytes("{}"), event -> {
            throw new RejectedEvent(kind, message);
        });
        assertEquals("REJECTED", response.path("outcome").asText());
        assertEquals(kind + ": " + message, response.path("reason").asText());
        assertEquals(1, received.size());
    }

    @Test
    void unexpectedFailureIsRethrownWithoutStackTrace() {
        RuntimeException cause = new IllegalStateException("boom", new IOException("disk"));
        EventIo.HandlerFailure failure = assertThrows(EventIo.HandlerFailure.class,
                () -> handle(bytes("{}"), event -> {
                    throw cause;
                }));
        assertEquals("test handler failed: IllegalStateException: boom (cause: IOException: disk)",
                failure.getMessage());
        assertEquals(0, failure.getStackTrace().length);
        assertFalse(failure.getMessage().contains("at dev."), failure.getMessage());
        assertEquals(null, failure.getCause());
        assertEquals(0, output.size(), "a response was written");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            plain text              | plain text
            ünïcödé ✓ stays         | ünïcödé ✓ stays
            """)
    void excerptKeepsPrintableText(String input, String expected) {
        assertEquals(expected, EventIo.excerpt(bytes(input)));
    }

    @Test
    void excerptEscapesControlCharacters() {
        assertEquals("a\\u000a\\u000dINFO forged\\u0009\\u001b[31m\\u007f\\u0000z",
                EventIo.excerpt(bytes("a\n\rINFO forged\t\u001b[31m\u007f\u0000z")));
    }

    @Test
    void excerptEscapesUnicodeLineBreaks() {
        assertEquals("a\\u0085b\\u2028c\\u2029d", EventIo.excerpt(bytes("a\u0085b\u2028c\u2029d")));
    }

    @Test
    void excerptIsBounded() {
        String excerpt = EventIo.excerpt(bytes("y".repeat(1000)));
        assertEquals("y".repeat(400) + "… (1000 bytes)", excerpt);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Every line the action logs carries the plan, the handler and the request id; none is left after. */
    @Test
    void theInvocationsContextIsInTheMdcWhileItRunsAndGoneAfter() throws IOException {
        Context context = mock(Context.class);
        when(context.getAwsRequestId()).thenReturn("8f1c2d3e-request");
        List<Map<String, Object>> seen = new ArrayList<>();

        io.handle("alarm", context, new ByteArrayInputStream("{}".getBytes(StandardCharsets.UTF_8)), output, event -> {
            seen.add(Map.copyOf(MDC.getMap()));
            return HandlerResponse.of("OK", "fine");
        });

        assertEquals(List.of(Map.of("plan", "orders-db", "handler", "alarm", "requestId", "8f1c2d3e-request")), seen);
        assertEquals(Map.of(), MDC.getMap());
    }
}
