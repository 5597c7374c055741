package dev.regionfailover.event;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import dev.regionfailover.event.RejectedEvent.Kind;

/** Reads the EventBridge events RDS publishes ("RDS DB Instance Event", "RDS DB Cluster Event", ...). */
public final class RdsEventParser {

    public RdsNotification parse(JsonNode json) {
        if (!EventBridgeEnvelope.looksLikeOne(json)) {
            throw new RejectedEvent(Kind.UNKNOWN, "not an event this handler acts on: expected an EventBridge event "
                    + "from aws.rds");
        }
        EventBridgeEnvelope envelope = EventBridgeEnvelope.parse(json);
        if (!"aws.rds".equals(envelope.source()) || !envelope.detailType().startsWith("RDS ")) {
            throw new RejectedEvent(Kind.UNKNOWN, "not an event this handler acts on: expected an RDS event, got "
                    + envelope.describe());
        }
        JsonNode detail = Json.requiredObject(json, "detail");
        String identifier = Json.optionalText(detail, "SourceIdentifier").orElse("");
        return new RdsNotification(envelope.detailType(), Json.optionalText(detail, "EventID"), identifier,
                Json.optionalText(detail, "Message").orElse(""), source(envelope, detail, identifier),
                occurredAt(detail, envelope));
    }

    /**
     * The resource from SourceArn (arn:PARTITION:rds:REGION:ACCOUNT:TYPE:ID), else from the event's region and
     * SourceIdentifier ("rds:ID" in the EventBridge form). TriggerTrust has already refused an event whose two
     * names differ.
     */
    private static Optional<String> source(EventBridgeEnvelope envelope, JsonNode detail,
            String identifier) {
        String[] arn = Json.optionalText(detail, "SourceArn").orElse("").split(":");
        if (arn.length >= 7 && arn[0].equals("arn") && !arn[3].isEmpty()) {
            return Optional.of(RdsNotification.source(arn[3], arn[arn.length - 1]));
        }
        String id = identifier.startsWith("rds:") ? identifier.substring(4) : identifier;
        return id.isEmpty() || envelope.region().isEmpty() ? Optional.empty()
                : Optional.of(RdsNotification.source(envelope.region(), id));
    }

    /**
     * An unreadable time is no reason to refuse the event: its time only measures our notice lag, so the event
     * then counts as having happened when it is read.
     */
    private static Optional<Instant> occurredAt(JsonNode detail, EventBridgeEnvelope envelope) {
        for (String text : new String[] { Json.optionalText(detail, "Date").orElse(""), envelope.time() }) {
            try {
                return Optional.of(Instant.parse(text));
            } catch (DateTimeParseException unreadable) {
                // the next one, or none
            }
        }
        return Optional.empty();
    }
}
