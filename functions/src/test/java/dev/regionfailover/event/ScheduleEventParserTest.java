package dev.regionfailover.event;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.regionfailover.event.RejectedEvent.Kind;

class ScheduleEventParserTest {

    private final ScheduleEventParser parser = new ScheduleEventParser();

    static Stream<Path> scheduledEvents() {
        return Stream.concat(EventFiles.corpus("eb-scheduled-event-").stream(),
                EventFiles.own("schedule").stream());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scheduledEvents")
    void scheduledEventsParse(Path file) {
        EventBridgeEnvelope envelope = parser.parse(EventFiles.read(file));
        assertAll(file.getFileName().toString(),
                () -> assertEquals("aws.events", envelope.source()),
                () -> assertEquals("Scheduled Event", envelope.detailType()),
                () -> assertFalse(envelope.id().isBlank(), "id"),
                () -> assertFalse(envelope.region().isBlank(), "region"),
                () -> assertTrue(envelope.detail().isObject(), "detail"));
    }

    @Test
    void ourScheduleValues() {
        EventBridgeEnvelope envelope = parser.parse(EventFiles.ownFile("schedule.json"));
        assertEquals("d6a1f3c8-47e2-9b05-c3d4-8a7e6f5b4c21", envelope.id());
        assertEquals("us-west-2", envelope.region());
        assertEquals("123456789012", envelope.account());
        assertEquals("2026-11-22T14:08:00Z", envelope.time());
    }

    static Stream<Arguments> otherEvents() {
        ObjectNode otherDetailType = (ObjectNode) EventFiles.ownFile("schedule.json");
        otherDetailType.put("detail-type", "AWS API Call via CloudTrail");
        ObjectNode otherSource = (ObjectNode) EventFiles.ownFile("schedule.json");
        otherSource.put("source", "regionfailover.operator");
        return Stream.of(
                Arguments.of("alarm (EventBridge)", EventFiles.ownFile("alarm-eventbridge.json")),
                Arguments.of("alarm (Lambda action)", EventFiles.ownFile("alarm-lambda-action.json")),
                Arguments.of("operator request", EventFiles.ownFile("manual-failover.json")),
                Arguments.of("RDS event", EventFiles.corpusFile("eb-rds-db-instance-event-stopped.json")),
                Arguments.of("aws.events, other detail-type", otherDetailType),
                Arguments.of("Scheduled Event from another source", otherSource));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("otherEvents")
    void otherEventsAreRejectedAsUnknown(String description, JsonNode event) {
        RejectedEvent rejected = assertThrows(RejectedEvent.class, () -> parser.parse(event));
        assertEquals(Kind.UNKNOWN, rejected.kind());
        assertTrue(rejected.getMessage().startsWith("not an event this handler acts on"), rejected.getMessage());
    }
}
