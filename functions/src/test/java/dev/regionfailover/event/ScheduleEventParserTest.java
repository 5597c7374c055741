package dev.regionfailover.event;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

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
    void everyCorpusScheduleIsListed() {
        assertEquals(3, EventFiles.corpus("eb-scheduled-event-").size());
    }

    @Test
    void ourScheduleValues() {
        EventBridgeEnvelope envelope = parser.parse(EventFiles.ownFile("schedule.json"));
        assertEquals("d6a1f3c8-47e2-9b05-c3d4-8a7e6f5b4c21", envelope.id());
        assertEquals("us-west-2", envelope.region());
        assertEquals("123456789012", envelope.account());
        assertEquals("2026-11-22T14:08:00Z", envelope.time());
    }

    static List<String> otherEvents() {
        return List.of("alarm-eventbridge.json", "alarm-lambda-action.json", "manual-failover.json");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("otherEvents")
    void otherEventsAreRejectedAsUnknown(String file) {
        RejectedEvent rejected = assertThrows(RejectedEvent.class, () -> parser.parse(EventFiles.ownFile(file)));
        assertEquals(Kind.UNKNOWN, rejected.kind());
        assertTrue(rejected.getMessage().startsWith("not an event this handler acts on"), rejected.getMessage());
    }
}
