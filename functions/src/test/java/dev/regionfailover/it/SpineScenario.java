package dev.regionfailover.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.restassured.path.json.JsonPath;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.regionfailover.tools.Topology;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The spine, end to end: a primary outage seen through alarms ends with the replica promoted, the old primary
 * fenced, DNS repointed, people and machines notified, and a complete journal; once. Run against the project's
 * emulator by {@link AlarmFailoverIT} and, where Docker is available, against LocalStack by
 * {@link AlarmFailoverLocalStackIT}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class SpineScenario {

    private final ObjectMapper mapper = new ObjectMapper();

    @BeforeEach
    void clearRecordedCalls() {
        AwsCallRecorder.clear();
    }

    @ParameterizedTest
    @Order(1)
    @ValueSource(strings = { "{not json", "[]", "{\"source\":\"aws.cloudwatch\",\"alarmData\":{}}",
            "{\"detail-type\":\"CloudWatch Alarm State Change\",\"source\":\"aws.cloudwatch\",\"detail\":"
                    + "{\"alarmName\":\"orders-db-primary-availability\",\"state\":{\"value\":42}}}" })
    void malformedEventsAreRejectedWithoutAnyAwsCall(String event) {
        JsonPath response = Lambda.invoke(event);
        assertEquals("REJECTED", response.getString("outcome"));
        assertTrue(response.getString("reason").startsWith("MALFORMED"), response.getString("reason"));
        assertEquals(List.of(), AwsCallRecorder.calls());
    }

    @ParameterizedTest
    @Order(2)
    @ValueSource(strings = { "aws-events/health-event-ec2-issue.json", "aws-events/sns-rds-event-notification.json",
            "aws-events/eb-scheduled-event-dotnet.json", "aws-events/eb-rds-db-instance-event-backup-no-eventid.json" })
    void eventsOfOtherKindsAreRejectedAsNotOurs(String file) {
        JsonPath response = Lambda.invokeFile(file);
        assertEquals("REJECTED", response.getString("outcome"));
        assertTrue(response.getString("reason").contains("not an event this handler acts on"),
                response.getString("reason"));
        assertEquals(List.of(), AwsCallRecorder.mutatingCalls());
    }

    @ParameterizedTest
    @Order(3)
    @ValueSource(strings = { "aws-events/cw-alarm-lambda-action-metric.json",
            "aws-events/eb-cw-alarm-state-change-composite-suppressor.json",
            "aws-events/sns-cloudwatch-alarm-single-metric.json" })
    void realAlarmPayloadsOfUnwatchedAlarmsAreIgnoredClearly(String file) {
        JsonPath response = Lambda.invokeFile(file);
        assertEquals("IGNORED", response.getString("outcome"));
        assertTrue(response.getString("reason").contains("is not one plan orders-db watches"));
        assertEquals(List.of(), AwsCallRecorder.calls());
    }

    @Test
    @Order(4)
    void anOkTransitionIsRecordedNotActedOn() {
        JsonPath response = Lambda.invokeFile("events/alarm-ok.json");
        assertEquals("RECORDED", response.getString("outcome"));
        assertEquals(List.of("DynamoDb:PutItem"), AwsCallRecorder.mutatingCalls());
    }

    @Test
    @Order(5)
    void theFirstFailingEvaluationOnlyDegrades() {
        try (Topology world = EmulatorResource.topology()) {
            world.stopPrimary();
            Topology.WATCHED_ALARMS.forEach(alarm -> world.setAlarm(alarm, StateValue.ALARM, "outage"));

            JsonPath response = Lambda.invokeFile("events/alarm-eventbridge.json");

            assertEquals("EVALUATED", response.getString("outcome"));
            assertTrue(response.getString("verdict").startsWith("DEGRADED (2/3 signals failing"),
                    response.getString("verdict"));
            assertEquals(List.of("DynamoDb:UpdateItem"), AwsCallRecorder.mutatingCalls());
            assertTrue(world.replica().readReplicaSourceDBInstanceIdentifier() != null);
        }
    }

    @Test
    @Order(6)
    void theSecondFailingEvaluationFailsOverEndToEnd() throws Exception {
        try (Topology world = EmulatorResource.topology()) {
            JsonPath response = Lambda.invokeFile("events/alarm-lambda-action.json");

            assertEquals("COMPLETED", response.getString("outcome"), response.prettify());
            var replica = world.replica();
            assertNull(replica.readReplicaSourceDBInstanceIdentifier(), "the replica link is gone");
            assertEquals("available", replica.dbInstanceStatus());
            assertEquals(replica.endpoint().address(), world.recordTarget());
            assertEquals(List.of(Topology.FENCE_SECURITY_GROUP), world.primary().vpcSecurityGroups().stream()
                    .map(group -> group.vpcSecurityGroupId()).toList());
            assertEquals(1, AwsCallRecorder.count("PromoteReadReplica"));
            assertEquals(1, AwsCallRecorder.count("ChangeResourceRecordSets"));

            List<String> notifications = world.receiveNotifications();
            assertEquals(1, notifications.size());
            JsonNode report = mapper.readTree(mapper.readTree(notifications.get(0)).get("Message").asText());
            assertEquals("COMPLETED", report.get("state").asText());
            assertEquals("ALARM", report.get("trigger").get("kind").asText());
            // published from within NOTIFY: the report carries the seven steps before it
            assertEquals(7, report.get("steps").size());
            assertEquals("REPOINT_DNS", report.get("steps").get(5).get("name").asText());

            List<String> lifecycle = world.receiveLifecycleEvents();
            assertEquals(1, lifecycle.size());
            JsonNode event = mapper.readTree(lifecycle.get(0));
            assertEquals("Failover Completed", event.get("detail-type").asText());
            assertEquals(report.get("runId").asText(), event.get("detail").get("runId").asText());

            assertJournalComplete(world, report.get("runId").asText());
        }
    }

    @Test
    @Order(7)
    void aLaterAlarmPromotesNothing() {
        JsonPath response = Lambda.invokeFile("events/alarm-eventbridge.json");

        assertEquals("ALREADY_DONE", response.getString("outcome"), response.prettify());
        assertEquals(0, AwsCallRecorder.count("PromoteReadReplica"));
        assertEquals(0, AwsCallRecorder.count("ChangeResourceRecordSets"));
        assertEquals(0, AwsCallRecorder.count("Publish"));
    }

    private static void assertJournalComplete(Topology world, String runId) {
        List<Map<String, AttributeValue>> items = world.journal();
        Map<String, AttributeValue> run = items.stream().filter(i -> i.get("sk").s().equals("RUN#" + runId))
                .findFirst().orElseThrow();
        assertEquals("COMPLETED", run.get("state").s());
        assertFalse(run.get("endedAt").s().isBlank());
        List<Map<String, AttributeValue>> steps = items.stream()
                .filter(i -> i.get("sk").s().startsWith("RUN#" + runId + "#STEP#")).toList();
        assertEquals(List.of("ACQUIRE_LEASE", "CHECK_RPO", "FENCE_OLD_PRIMARY", "PROMOTE_REPLICA", "AWAIT_WRITER",
                "REPOINT_DNS", "ROUTE_READERS", "NOTIFY"), steps.stream().map(s -> s.get("step").s()).toList());
        steps.forEach(step -> {
            // no reader name in this plan: reader routing is skipped
            assertEquals(step.get("step").s().equals("ROUTE_READERS") ? "SKIPPED" : "DONE", step.get("status").s(),
                    step.toString());
            assertTrue(step.containsKey("endedAt") && step.containsKey("durationMs"), step.toString());
        });
        Map<String, AttributeValue> state = items.stream().filter(i -> i.get("sk").s().equals("STATE")).findFirst()
                .orElseThrow();
        assertEquals("COMPLETED", state.get("phase").s());
    }
}
