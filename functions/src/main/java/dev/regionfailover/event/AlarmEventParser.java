package dev.regionfailover.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.regionfailover.event.AlarmSignal.AlarmState;
import dev.regionfailover.event.AlarmSignal.Shape;
import dev.regionfailover.event.RejectedEvent.Kind;

/**
 * Reads a CloudWatch alarm state change from the shapes AWS delivers it in: the EventBridge event, the alarm's
 * direct Lambda action ({@code alarmData}, the payload of aws-lambda-java-events' CloudWatchMetricAlarmEvent), and
 * an SNS envelope around the classic alarm notification. One parser for all three, because the decision that
 * follows must not depend on how the alarm was wired.
 */
public final class AlarmEventParser {

    private static final String STATE_CHANGE = "CloudWatch Alarm State Change";

    private final ObjectMapper mapper;

    public AlarmEventParser(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public AlarmSignal parse(JsonNode json) {
        if (json.has("Records")) {
            return fromSns(json);
        }
        if (json.has("alarmData")) {
            return fromLambdaAction(json);
        }
        if (EventBridgeEnvelope.looksLikeOne(json)) {
            EventBridgeEnvelope envelope = EventBridgeEnvelope.parse(json);
            if ("aws.cloudwatch".equals(envelope.source()) && STATE_CHANGE.equals(envelope.detailType())) {
                return fromEventBridge(json, envelope);
            }
            throw new RejectedEvent(Kind.UNKNOWN, "not an event this handler acts on: expected a CloudWatch alarm "
                    + "state change, got " + envelope.describe());
        }
        throw new RejectedEvent(Kind.UNKNOWN, "not an event this handler acts on: expected a CloudWatch alarm state "
                + "change (EventBridge event, alarm Lambda action or SNS notification)");
    }

    private AlarmSignal fromEventBridge(JsonNode json, EventBridgeEnvelope envelope) {
        JsonNode detail = Json.requiredObject(json, "detail");
        String arn = json.path("resources").path(0).asText("");
        return new AlarmSignal(
                Json.requiredText(detail, "alarmName"), arn, envelope.region(), envelope.account(),
                AlarmState.parse(Json.requiredText(detail, "state.value"), "detail.state.value"),
                previous(detail, "previousState.value"),
                Json.optionalText(detail, "state.reason").orElse(""),
                Json.optionalText(detail, "state.timestamp").orElse(envelope.time()),
                Shape.EVENTBRIDGE);
    }

    private AlarmSignal fromLambdaAction(JsonNode json) {
        if (!"aws.cloudwatch".equals(json.path("source").asText())) {
            throw new RejectedEvent(Kind.UNKNOWN, "not an event this handler acts on: alarm action payload with source '"
                    + AlarmSignal.abbreviate(json.path("source").asText()) + "' instead of aws.cloudwatch");
        }
        JsonNode data = Json.requiredObject(json, "alarmData");
        return new AlarmSignal(
                Json.requiredText(data, "alarmName"),
                Json.optionalText(json, "alarmArn").orElse(""),
                Json.optionalText(json, "region").orElse(""),
                Json.optionalText(json, "accountId").orElse(""),
                AlarmState.parse(Json.requiredText(data, "state.value"), "alarmData.state.value"),
                previous(data, "previousState.value"),
                Json.optionalText(data, "state.reason").orElse(""),
                Json.optionalText(data, "state.timestamp").orElse(Json.optionalText(json, "time").orElse("")),
                Shape.LAMBDA_ACTION);
    }

    private AlarmSignal fromSns(JsonNode json) {
        JsonNode records = json.get("Records");
        if (!records.isArray() || records.isEmpty()) {
            throw new RejectedEvent(Kind.MALFORMED, "field Records must be a non-empty array");
        }
        JsonNode record = records.get(0);
        if (!"aws:sns".equals(record.path("EventSource").asText())) {
            throw new RejectedEvent(Kind.UNKNOWN, "not an event this handler acts on: Records from '"
                    + AlarmSignal.abbreviate(record.path("EventSource").asText()) + "' instead of aws:sns");
        }
        if (records.size() != 1) {
            throw new RejectedEvent(Kind.MALFORMED, "an SNS event must carry exactly one record");
        }
        String message = Json.requiredText(record, "Sns.Message");
        JsonNode alarm;
        try {
            alarm = mapper.readTree(message);
        } catch (JsonProcessingException e) {
            throw new RejectedEvent(Kind.UNKNOWN, "not an event this handler acts on: the SNS message is not JSON");
        }
        if (alarm == null || !alarm.isObject() || !alarm.has("AlarmName") || !alarm.has("NewStateValue")) {
            throw new RejectedEvent(Kind.UNKNOWN,
                    "not an event this handler acts on: the SNS message is not a CloudWatch alarm notification");
        }
        String arn = Json.optionalText(alarm, "AlarmArn").orElse("");
        return new AlarmSignal(
                Json.requiredText(alarm, "AlarmName"), arn, regionOf(arn),
                Json.optionalText(alarm, "AWSAccountId").orElse(""),
                AlarmState.parse(Json.requiredText(alarm, "NewStateValue"), "Message.NewStateValue"),
                previous(alarm, "OldStateValue"),
                Json.optionalText(alarm, "NewStateReason").orElse(""),
                Json.optionalText(alarm, "StateChangeTime").orElse(""),
                Shape.SNS);
    }

    private static AlarmState previous(JsonNode node, String path) {
        return Json.optionalText(node, path).map(value -> AlarmState.parse(value, path)).orElse(null);
    }

    /** The classic SNS notification names the region in words ("US East (N. Virginia)"); the ARN has its code. */
    private static String regionOf(String arn) {
        String[] parts = arn.split(":");
        return parts.length > 3 ? parts[3] : "";
    }
}
