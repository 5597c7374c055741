package dev.regionfailover.event;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The fields every EventBridge event carries. Read by hand rather than bound to aws-lambda-java-events'
 * ScheduledEvent: Quarkus does not apply AWS's Jackson mix-ins, so {@code detail-type} would bind to null.
 */
public record EventBridgeEnvelope(String id, String source, String detailType, String account, String region,
        String time, JsonNode detail) {

    public static boolean looksLikeOne(JsonNode json) {
        return json.isObject() && json.has("detail-type") && json.has("source");
    }

    public static EventBridgeEnvelope parse(JsonNode json) {
        return new EventBridgeEnvelope(
                Json.optionalText(json, "id").orElse(""),
                Json.requiredText(json, "source"),
                Json.requiredText(json, "detail-type"),
                Json.optionalText(json, "account").orElse(""),
                Json.optionalText(json, "region").orElse(""),
                Json.optionalText(json, "time").orElse(""),
                json.path("detail"));
    }

    public String describe() {
        return "source=" + source + ", detail-type=" + detailType;
    }
}
