package dev.regionfailover.event;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import dev.regionfailover.event.AlarmSignal.AlarmState;
import dev.regionfailover.event.AlarmSignal.Shape;
import dev.regionfailover.event.RejectedEvent.Kind;

class AlarmEventParserTest {

    private static final String EB = "alarm-eventbridge.json";
    private static final String ACTION = "alarm-lambda-action.json";
    private static final String SNS = "sns-cloudwatch-alarm-single-metric.json";

    private final AlarmEventParser parser = new AlarmEventParser(EventFiles.MAPPER);

    static List<Path> alarmFiles() {
        return EventFiles.corpus("cw-alarm-lambda-action-", "eb-cw-alarm-state-change-", "sns-cloudwatch-alarm-");
    }

    static List<Path> foreignFiles() {
        return EventFiles.corpus("health-event-ec2-issue", "sns-rds-event-notification", "eb-scheduled-event-",
                "eb-rds-");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("alarmFiles")
    void everyCorpusAlarmParsesInTheShapeItsNameSays(Path file) {
        String name = file.getFileName().toString();
        Shape expected = name.startsWith("cw-") ? Shape.LAMBDA_ACTION : name.startsWith("eb-") ? Shape.EVENTBRIDGE
                : Shape.SNS;
        AlarmSignal signal = parser.parse(EventFiles.read(file));
        assertAll(name,
                () -> assertEquals(expected, signal.shape()),
                () -> assertFalse(signal.alarmName().isBlank(), "alarm name"),
                () -> assertNotNull(signal.state(), "state"),
                () -> assertNotNull(signal.previousState(), "previous state"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            cw-alarm-lambda-action-composite.json            | CompositeDemo.Main          | ALARM | ALARM             | LAMBDA_ACTION | false | us-east-1 | 111122223333
            cw-alarm-lambda-action-metric-math.json          | Test alert                  | ALARM | OK                | LAMBDA_ACTION | true  | eu-west-1 | 123456789012
            cw-alarm-lambda-action-metric.json               | lambda-demo-metric-alarm    | ALARM | INSUFFICIENT_DATA | LAMBDA_ACTION | true  | us-east-1 | 444455556666
            eb-cw-alarm-state-change-anomaly-detection.json  | EC2 CPU Utilization Anomaly | ALARM | OK                | EVENTBRIDGE   | true  | us-east-1 | 123456789012
            eb-cw-alarm-state-change-composite-suppressor.json | ServiceAggregatedAlarm    | ALARM | OK                | EVENTBRIDGE   | true  | us-east-1 | 123456789012
            eb-cw-alarm-state-change-metric-math.json        | TotalNetworkTrafficTooHigh  | ALARM | INSUFFICIENT_DATA | EVENTBRIDGE   | true  | us-east-1 | 123456789012
            eb-cw-alarm-state-change-single-metric.json      | ServerCpuTooHigh            | ALARM | OK                | EVENTBRIDGE   | true  | us-east-1 | 123456789012
            sns-cloudwatch-alarm-single-metric.json          | EXAMPLE                     | ALARM | INSUFFICIENT_DATA | SNS           | true  | REGION    | 123456789012
            sns-cloudwatch-alarm-multiple-metrics.json       | EXAMPLE                     | ALARM | INSUFFICIENT_DATA | SNS           | true  | REGION    | EXAMPLE
            """)
    void corpusAlarmValues(String file, String name, AlarmState state, AlarmState previous, Shape shape,
            boolean enteredAlarm, String region, String account) {
        AlarmSignal signal = parser.parse(EventFiles.corpusFile(file));
        assertAll(file,
                () -> assertEquals(name, signal.alarmName()),
                () -> assertEquals(state, signal.state()),
                () -> assertEquals(previous, signal.previousState()),
                () -> assertEquals(shape, signal.shape()),
                () -> assertEquals(enteredAlarm, signal.enteredAlarm()),
                () -> assertEquals(region, signal.region()),
                () -> assertEquals(account, signal.account()),
                () -> assertFalse(signal.reason().isBlank(), "reason"),
                () -> assertFalse(signal.timestamp().isBlank(), "timestamp"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("foreignFiles")
    void corpusEventsOfOtherKindsAreRejectedAsUnknown(Path file) {
        assertRejected(Kind.UNKNOWN, "not an event this handler acts on", EventFiles.read(file));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "alarm-eventbridge.json,   ALARM, OK,    EVENTBRIDGE,   true",
            "alarm-lambda-action.json, ALARM, OK,    LAMBDA_ACTION, true",
            "alarm-ok.json,            OK,    ALARM, EVENTBRIDGE,   false"})
    void ourSampleAlarmsParse(String file, AlarmState state, AlarmState previous, Shape shape,
            boolean enteredAlarm) {
        AlarmSignal signal = parser.parse(EventFiles.ownFile(file));
        assertAll(file,
                () -> assertEquals("orders-db-primary-availability", signal.alarmName()),
                () -> assertEquals("arn:aws:cloudwatch:us-east-1:123456789012:alarm:orders-db-primary-availability",
                        signal.alarmArn()),
                () -> assertEquals("us-east-1", signal.region()),
                () -> assertEquals("123456789012", signal.account()),
                () -> assertEquals(state, signal.state()),
                () -> assertEquals(previous, signal.previousState()),
                () -> assertEquals(shape, signal.shape()),
                () -> assertEquals(enteredAlarm, signal.enteredAlarm()));
    }

    @Test
    void everySampleAlarmOfOursIsCovered() {
        assertEquals(List.of("alarm-eventbridge.json", "alarm-lambda-action.json", "alarm-ok.json"),
                EventFiles.own("alarm-").stream().map(p -> p.getFileName().toString()).toList());
    }

    @Test
    void missingPreviousStateIsNull() {
        AlarmSignal signal = parser.parse(edit(EventFiles.ownFile(EB), "/detail/previousState", null));
        assertEquals(AlarmState.ALARM, signal.state());
        assertEquals(null, signal.previousState());
        assertTrue(signal.enteredAlarm());
    }

    static Stream<Arguments> malformed() {
        ObjectNode twoRecords = (ObjectNode) EventFiles.corpusFile(SNS);
        twoRecords.withArray("Records").add(twoRecords.get("Records").get(0).deepCopy());
        return Stream.of(
                Arguments.of("EventBridge state is a number", own(EB, "/detail/state/value", IntNode.valueOf(3)),
                        "field state.value must be a string, not number"),
                Arguments.of("EventBridge state unknown", own(EB, "/detail/state/value", text("BROKEN")),
                        "detail.state.value"),
                Arguments.of("EventBridge state lower case", own(EB, "/detail/state/value", text("alarm")),
                        "detail.state.value"),
                Arguments.of("EventBridge previous state unknown", own(EB, "/detail/previousState/value",
                        text("MAYBE")), "previousState.value"),
                Arguments.of("EventBridge without alarmName", own(EB, "/detail/alarmName", null), "alarmName"),
                Arguments.of("EventBridge blank alarmName", own(EB, "/detail/alarmName", text(" ")), "alarmName"),
                Arguments.of("EventBridge without state", own(EB, "/detail/state", null), "state.value"),
                Arguments.of("EventBridge detail is a string", own(EB, "/detail", text("x")), "detail"),
                Arguments.of("EventBridge source is a number", own(EB, "/source", IntNode.valueOf(1)),
                        "field source must be a string"),
                Arguments.of("action state is a number", own(ACTION, "/alarmData/state/value", IntNode.valueOf(1)),
                        "field state.value must be a string, not number"),
                Arguments.of("action state unknown", own(ACTION, "/alarmData/state/value", text("RED")),
                        "alarmData.state.value"),
                Arguments.of("action without alarmName", own(ACTION, "/alarmData/alarmName", null), "alarmName"),
                Arguments.of("action alarmData is an array", own(ACTION, "/alarmData",
                        EventFiles.MAPPER.createArrayNode()), "alarmData"),
                Arguments.of("SNS with two records", twoRecords, "exactly one record"),
                Arguments.of("SNS without Message", edit(EventFiles.corpusFile(SNS), "/Records/0/Sns/Message",
                        null), "Sns.Message"),
                Arguments.of("SNS alarm state unknown", snsMessage("NewStateValue", text("PANIC")),
                        "NewStateValue"),
                Arguments.of("SNS alarm state is a number", snsMessage("NewStateValue", IntNode.valueOf(2)),
                        "field NewStateValue must be a string, not number"),
                Arguments.of("SNS old state unknown", snsMessage("OldStateValue", text("?")), "OldStateValue"),
                Arguments.of("SNS blank AlarmName", snsMessage("AlarmName", text("")), "AlarmName"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedAlarmsAreRejectedNamingTheField(String description, JsonNode event, String field) {
        assertRejected(Kind.MALFORMED, field, event);
    }

    static Stream<Arguments> unknown() {
        return Stream.of(
                Arguments.of("plain object", EventFiles.json("{\"hello\":\"world\"}")),
                Arguments.of("EventBridge scheduled event", EventFiles.ownFile("schedule.json")),
                Arguments.of("operator request", EventFiles.ownFile("manual-failover.json")),
                Arguments.of("EventBridge alarm with other detail-type", own(EB, "/detail-type",
                        text("CloudWatch Alarm Configuration Change"))),
                Arguments.of("SQS record", EventFiles.json("{\"Records\":[{\"eventSource\":\"aws:sqs\"}]}")),
                Arguments.of("SQS batch", EventFiles.json(
                        "{\"Records\":[{\"EventSource\":\"aws:sqs\"},{\"EventSource\":\"aws:sqs\"}]}")),
                Arguments.of("SNS message not JSON", edit(EventFiles.corpusFile(SNS), "/Records/0/Sns/Message",
                        text("hello"))),
                Arguments.of("SNS message without NewStateValue", snsMessage("NewStateValue", null)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unknown")
    void otherEventsAreRejectedAsUnknown(String description, JsonNode event) {
        assertRejected(Kind.UNKNOWN, "not an event this handler acts on", event);
    }

    @Test
    void alarmActionFromAnotherSourceIsUnknown() {
        assertRejected(Kind.UNKNOWN, "'aws.evil'", own(ACTION, "/source", text("aws.evil")));
    }

    private void assertRejected(Kind kind, String fragment, JsonNode event) {
        RejectedEvent rejected = assertThrows(RejectedEvent.class, () -> parser.parse(event));
        assertEquals(kind, rejected.kind(), rejected.getMessage());
        assertTrue(rejected.getMessage().contains(fragment),
                () -> "expected '" + fragment + "' in: " + rejected.getMessage());
    }

    private static TextNode text(String value) {
        return TextNode.valueOf(value);
    }

    private static JsonNode own(String file, String pointer, JsonNode value) {
        return edit(EventFiles.ownFile(file), pointer, value);
    }

    /** The corpus SNS alarm with one field of the alarm notification inside {@code Message} replaced or removed. */
    private static JsonNode snsMessage(String field, JsonNode value) {
        JsonNode sns = EventFiles.corpusFile(SNS);
        JsonNode message = edit(EventFiles.json(sns.at("/Records/0/Sns/Message").asText()), "/" + field, value);
        return edit(sns, "/Records/0/Sns/Message", text(message.toString()));
    }

    /** Sets the field at {@code pointer} to {@code value}, or removes it when {@code value} is null. */
    private static JsonNode edit(JsonNode root, String pointer, JsonNode value) {
        JsonPointer path = JsonPointer.compile(pointer);
        ObjectNode parent = (ObjectNode) root.at(path.head());
        String field = path.last().getMatchingProperty();
        if (value == null) {
            assertNotNull(parent.remove(field), "nothing to remove at " + pointer);
        } else {
            parent.set(field, value);
        }
        return root;
    }
}
