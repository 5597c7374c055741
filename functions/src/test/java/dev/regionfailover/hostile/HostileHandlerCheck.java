package dev.regionfailover.hostile;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.restassured.response.Response;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.regionfailover.hostile.HostileCorpus.Case;
import dev.regionfailover.hostile.HostileCorpus.Valid;
import dev.regionfailover.it.AwsCallRecorder;
import dev.regionfailover.tools.FreshOrders;

/**
 * Runs the whole {@link HostileCorpus} through one handler (the subclass selects it with EmulatorResource's
 * {@code handler} argument) via Quarkus's mock Lambda event server, and checks every answer:
 * <ul>
 * <li>the event server answers 200 (the handler did not fail) with a JSON object;</li>
 * <li>{@code outcome} is REJECTED or IGNORED, or, for a case the corpus declares valid for this handler, one of the
 * non-mutating outcomes it declares;</li>
 * <li>{@code reason} is non-empty, at most 2 KB, holds no raw control character (nor U+2028/U+2029, which EventIo
 * also escapes) and nothing that looks like a stack trace; the whole body holds no stack trace either;</li>
 * <li>REJECTED and IGNORED make no AWS call at all (so, a fortiori, no mutating one); a valid case makes only the
 * mutating calls its expectation allows;</li>
 * <li>every log record of the functions ({@code dev.regionfailover.*}) during the invocation is free of raw control
 * characters and line separators (no log forging, no ANSI escapes), and a REJECTED/IGNORED event logs no
 * throwable. The records are captured with a java.util.logging handler on the {@code dev.regionfailover} logger,
 * which the JBoss LogManager of Quarkus tests honours.</li>
 * </ul>
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class HostileHandlerCheck {

    static final int MAX_REASON_CHARS = 2048;
    private static final Set<String> REFUSALS = Set.of("REJECTED", "IGNORED");
    /** Frames ("at dev.x.Y.m(Y.java:1)", a tab-indented "at "), "Caused by:", an exception line followed by a frame. */
    private static final Pattern STACK_TRACE = Pattern.compile(
            "\\tat |\\bat (?:dev|java|javax|jdk|sun|com|org|io|software)\\.[\\w$.]*|Caused by: |"
                    + "Exception: [^\\n]*\\n\\s*at |\\.java:\\d+\\)|\\(Native Method\\)|\\(Unknown Source\\)");
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Queue<LogRecord> LOGS = new ConcurrentLinkedQueue<>();
    private static final Handler CAPTURE = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLoggerName() != null && record.getLoggerName().startsWith("dev.regionfailover")) {
                LOGS.add(record);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private static final AtomicInteger RUN = new AtomicInteger();

    /** The handler under test, as named in {@code @Named} and the {@code handler} resource argument. */
    abstract String handler();

    static Stream<String> caseNames() {
        return HostileCorpus.names();
    }

    @BeforeAll
    static void captureLogs() {
        RUN.set(0);
        CAPTURE.setLevel(Level.ALL);
        Logger functions = Logger.getLogger("dev.regionfailover");
        functions.removeHandler(CAPTURE);
        functions.addHandler(CAPTURE);
    }

    @AfterAll
    static void stopCapturingLogs() {
        Logger.getLogger("dev.regionfailover").removeHandler(CAPTURE);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("dev.regionfailover.hostile.HostileHandlerCheck#caseNames")
    @Order(1)
    void hostileEventIsAnsweredClearlyAndMovesNothing(String name) {
        RUN.incrementAndGet();
        Case hostile = HostileCorpus.byName(name);
        Optional<Valid> valid = hostile.validFor(handler());
        AwsCallRecorder.clear();
        LOGS.clear();

        Response response = given().contentType("application/json").body(fresh(hostile.event())).when().post()
                .then().extract().response();

        List<String> calls = AwsCallRecorder.calls();
        List<String> mutating = AwsCallRecorder.mutatingCalls();
        List<LogRecord> logs = List.copyOf(LOGS);
        String body = response.asString();
        List<String> problems = new ArrayList<>();
        if (response.statusCode() != 200) {
            problems.add("the mock event server answered HTTP " + response.statusCode() + " (the handler failed)");
        }
        JsonNode json = readJson(body, problems);
        String outcome = json == null ? null : json.path("outcome").asText(null);
        String reason = json == null ? null : json.path("reason").asText(null);

        Set<String> outcomes = valid.map(Valid::outcomes).orElse(REFUSALS);
        if (!outcomes.contains(outcome)) {
            problems.add("outcome " + outcome + ", expected one of " + outcomes
                    + valid.map(v -> " (valid for " + handler() + ": " + v.why() + ")").orElse(""));
        }
        if (json != null) {
            checkReason(reason, problems);
        }
        if (STACK_TRACE.matcher(body).find()) {
            problems.add("the response body looks like it holds a stack trace");
        }
        // The one call a refusal may make: telling people of an operator event refused for who sent it or when
        // (rate-limited). An RDS outcome event is proven foreign by reading the global database's members.
        List<String> securityNotice = reason == null ? List.of()
                : reason.startsWith("UNAUTHORISED") || reason.startsWith("STALE")
                        ? List.of("Sns:Publish", "EventBridge:PutEvents")
                        : reason.contains("is not a database of plan") ? List.of("Rds:DescribeGlobalClusters")
                                : List.of();
        if (REFUSALS.contains(outcome) && !securityNotice.containsAll(calls)) {
            problems.add(outcome + " after AWS calls " + calls);
        }
        Set<String> allowed = valid.filter(v -> v.outcomes().contains(outcome)).map(Valid::allowedMutatingCalls)
                .orElse(Set.copyOf(securityNotice));
        List<String> unexpected = mutating.stream().filter(call -> !allowed.contains(call)).toList();
        if (!unexpected.isEmpty()) {
            problems.add("mutating AWS calls " + unexpected + " (allowed for this case: " + allowed + ")");
        }
        checkLogs(logs, REFUSALS.contains(outcome), problems);

        if (!problems.isEmpty()) {
            fail(handler() + " handler, case " + name + " (" + hostile.category() + ", " + hostile.event().length
                    + " bytes):\n - " + String.join("\n - ", problems) + "\nresponse: " + shorten(body));
        }
    }

    @Test
    @Order(2)
    void theWholeCorpusRanThroughThisHandler() {
        assertEquals(handler(), ConfigProvider.getConfig().getValue("quarkus.lambda.handler", String.class));
        int size = HostileCorpus.cases().size();
        assertTrue(size >= 200, "the corpus holds only " + size + " cases");
        assertEquals(size, RUN.get(), "cases run through " + handler());
    }

    /**
     * The case as sent now: an operator order's valid time is the time of sending (orders count only while fresh),
     * as EventBridge stamps it. The text is read in the encodings the corpus uses (a leading byte order mark kept);
     * a case that is no order in any of them is sent as it is.
     */
    private static byte[] fresh(byte[] event) {
        for (Charset charset : List.of(StandardCharsets.UTF_8, StandardCharsets.UTF_16LE, StandardCharsets.UTF_16BE)) {
            String text = new String(event, charset);
            if (!Arrays.equals(text.getBytes(charset), event)) {
                continue;
            }
            String bom = text.startsWith("\uFEFF") ? "\uFEFF" : "";
            String body = text.substring(bom.length());
            String stamped = FreshOrders.stamp(body);
            if (!stamped.equals(body)) {
                return (bom + stamped).getBytes(charset);
            }
        }
        return event;
    }

    private static JsonNode readJson(String body, List<String> problems) {
        try {
            JsonNode json = MAPPER.readTree(body);
            if (json == null || !json.isObject()) {
                problems.add("the response is not a JSON object");
                return null;
            }
            return json;
        } catch (IOException e) {
            problems.add("the response is not JSON: " + shorten(String.valueOf(e.getMessage())));
            return null;
        }
    }

    private static void checkReason(String reason, List<String> problems) {
        if (reason == null || reason.isBlank()) {
            problems.add("no reason");
            return;
        }
        if (reason.length() > MAX_REASON_CHARS) {
            problems.add("reason of " + reason.length() + " characters (at most " + MAX_REASON_CHARS + ")");
        }
        int bad = firstForbidden(reason);
        if (bad >= 0) {
            problems.add("reason holds a raw control character " + describe(reason, bad));
        }
        if (STACK_TRACE.matcher(reason).find()) {
            problems.add("reason looks like a stack trace");
        }
    }

    private static void checkLogs(List<LogRecord> logs, boolean refused, List<String> problems) {
        for (LogRecord record : logs) {
            String message = formatted(record);
            int bad = firstForbidden(message);
            if (bad >= 0) {
                problems.add("log record of " + record.getLoggerName() + " holds a raw control character "
                        + describe(message, bad) + ": " + shorten(escape(message)));
            }
            if (refused && record.getThrown() != null) {
                problems.add("log record of " + record.getLoggerName() + " carries a throwable: "
                        + record.getThrown());
            }
        }
    }

    /**
     * The message as the log shows it: JBoss records format lazily, printf- or MessageFormat-style, and the log
     * manager's own "%s" pattern (the formatted message) is what a handler writes.
     */
    private static String formatted(LogRecord record) {
        if (record instanceof org.jboss.logmanager.ExtLogRecord) {
            return MESSAGE_ONLY.format(record);
        }
        String message = record.getMessage();
        return message == null ? "" : message;
    }

    private static final org.jboss.logmanager.formatters.PatternFormatter MESSAGE_ONLY =
            new org.jboss.logmanager.formatters.PatternFormatter("%s");

    /** A C0/C1 control character (tab, newline and ESC included) or U+2028/U+2029; -1 if none. */
    static int firstForbidden(String text) {
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (Character.getType(ch) == Character.CONTROL || ch == '\u2028' || ch == '\u2029') {
                return i;
            }
        }
        return -1;
    }

    private static String describe(String text, int at) {
        return String.format("U+%04X at %d in \"%s\"", (int) text.charAt(at), at,
                escape(text.substring(Math.max(0, at - 40), Math.min(text.length(), at + 40))));
    }

    private static String escape(String text) {
        StringBuilder safe = new StringBuilder();
        text.chars().forEach(ch -> {
            if (Character.getType(ch) == Character.CONTROL || ch == 0x2028 || ch == 0x2029) {
                safe.append(String.format("\\u%04x", ch));
            } else {
                safe.append((char) ch);
            }
        });
        return safe.toString();
    }

    private static String shorten(String text) {
        return text.length() <= 600 ? text : text.substring(0, 600) + "… (" + text.length() + " chars)";
    }
}
