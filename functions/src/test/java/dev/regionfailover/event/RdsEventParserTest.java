package dev.regionfailover.event;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** What an RDS event is about, and when it happened: the key and the clock of a wait an event may end. */
class RdsEventParserTest {

    private final RdsEventParser parser = new RdsEventParser();

    private ObjectNode completed() {
        return (ObjectNode) EventFiles.ownFile("rds-global-failover-completed.json").deepCopy();
    }

    @Test
    void theSourceComesFromSourceArnAndTheTimeFromTheDetailsDate() {
        RdsNotification event = parser.parse(completed());
        assertEquals(Optional.of("us-west-2/orders-aurora-west"), event.source());
        assertEquals(Optional.of(Instant.parse("2026-11-22T14:15:52.318Z")), event.occurredAt());
        assertEquals(true, event.actedOn());
    }

    @Test
    void withoutSourceArnTheEventsRegionAndSourceIdentifierName() {
        ObjectNode json = completed();
        ((ObjectNode) json.get("detail")).remove("SourceArn");
        assertEquals(Optional.of("us-west-2/orders-aurora-west"), parser.parse(json).source());
    }

    /** The time only measures our notice lag: an unreadable one is no reason to drop a trusted event. */
    @Test
    void anUnreadableDateFallsBackToTheEnvelopesTimeThenToNone() {
        ObjectNode json = completed();
        ((ObjectNode) json.get("detail")).put("Date", "yesterday");
        assertEquals(Optional.of(Instant.parse("2026-11-22T14:15:52Z")), parser.parse(json).occurredAt());
        json.put("time", "");
        assertEquals(Optional.empty(), parser.parse(json).occurredAt());
    }

    @Test
    void theGlobalWriterEndpointsDnsChangeIsActedOnAndABackupIsNot() {
        ObjectNode json = completed();
        ((ObjectNode) json.get("detail")).put("EventID", "RDS-EVENT-0397");
        assertEquals(true, parser.parse(json).actedOn());
        JsonNode backup = EventFiles.corpusFile("eb-rds-db-instance-event-backup-no-eventid.json");
        assertEquals(false, parser.parse(backup).actedOn());
    }
}
