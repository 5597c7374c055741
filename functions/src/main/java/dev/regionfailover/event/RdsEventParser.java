package dev.regionfailover.event;

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
        return new RdsNotification(envelope.detailType(), Json.optionalText(detail, "EventID"),
                Json.optionalText(detail, "SourceIdentifier").orElse(""),
                Json.optionalText(detail, "Message").orElse(""));
    }
}
