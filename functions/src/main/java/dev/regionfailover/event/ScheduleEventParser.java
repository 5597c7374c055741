package dev.regionfailover.event;

import com.fasterxml.jackson.databind.JsonNode;

import dev.regionfailover.event.RejectedEvent.Kind;

/** Accepts the EventBridge "Scheduled Event" that drives the periodic health evaluation. */
public final class ScheduleEventParser {

    public EventBridgeEnvelope parse(JsonNode json) {
        if (EventBridgeEnvelope.looksLikeOne(json)) {
            EventBridgeEnvelope envelope = EventBridgeEnvelope.parse(json);
            if ("aws.events".equals(envelope.source()) && "Scheduled Event".equals(envelope.detailType())) {
                return envelope;
            }
            throw new RejectedEvent(Kind.UNKNOWN, "not an event this handler acts on: expected a Scheduled Event "
                    + "from aws.events, got " + envelope.describe());
        }
        throw new RejectedEvent(Kind.UNKNOWN, "not an event this handler acts on: expected an EventBridge "
                + "Scheduled Event");
    }
}
