package dev.regionfailover.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.regionfailover.tools.Topology;

/**
 * The schedule alone: healthy evaluations publish metrics and move nothing; one flapping alarm degrades but
 * never fails over; a real outage fails over after the configured number of failing evaluations.
 */
@QuarkusTest
@WithTestResource(value = EmulatorResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS,
        initArgs = @ResourceArg(name = "handler", value = "health-check"))
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScheduledHealthCheckIT {

    @BeforeEach
    void clearRecordedCalls() {
        AwsCallRecorder.clear();
    }

    @Test
    @Order(1)
    void aHealthyEvaluationPublishesItsVerdictAndMovesNothing() {
        JsonPath response = Lambda.invokeFile("events/schedule.json");

        assertEquals("EVALUATED", response.getString("outcome"));
        assertTrue(response.getString("verdict").startsWith("HEALTHY (0/3"), response.getString("verdict"));
        assertEquals(1, AwsCallRecorder.count("PutMetricData"));
        assertEquals(0, AwsCallRecorder.count("PromoteReadReplica"));
        assertTrue(response.getBoolean("readiness.ready"), response.prettify());
        assertEquals(List.of("replica-replicates", "standby-not-fenced", "lag-within-budget",
                "managed-failover-possible",
                "dns-points-at-primary", "dns-armed-for-standby", "notification-topic-exists", "journal-table-exists"),
                response.getList("readiness.checks.name"));
    }

    @Test
    @Order(2)
    void aDriftedDnsRecordIsAReadinessRegressionNotifiedOnce() throws Exception {
        try (Topology world = EmulatorResource.topology()) {
            String primaryEndpoint = world.primary().endpoint().address();
            world.pointRecordAt("stale-writer.example.internal");

            JsonPath response = Lambda.invokeFile("events/schedule.json");

            assertFalse(response.getBoolean("readiness.ready"));
            assertEquals(List.of("dns-points-at-primary"), response.getList("readiness.checks.findAll { !it.ok }.name"));
            List<String> notifications = world.receiveNotifications();
            assertEquals(1, notifications.size());
            assertTrue(new ObjectMapper().readTree(notifications.get(0)).get("Subject").asText()
                    .contains("readiness REGRESSED"));
            assertEquals("Readiness Regressed", new ObjectMapper().readTree(world.receiveLifecycleEvents().get(0))
                    .get("detail-type").asText());

            Lambda.invokeFile("events/schedule.json");
            assertEquals(List.of(), world.receiveNotifications(), "a regression is told once");
            world.pointRecordAt(primaryEndpoint);
        }
    }

    @Test
    @Order(3)
    void oneFlappingAlarmNeverMovesTheDatabase() {
        try (Topology world = EmulatorResource.topology()) {
            world.setAlarm(Topology.WATCHED_ALARMS.get(0), software.amazon.awssdk.services.cloudwatch.model.StateValue.ALARM,
                    "flap");
            for (int tick = 0; tick < 3; tick++) {
                JsonPath response = Lambda.invokeFile("events/schedule.json");
                assertEquals("EVALUATED", response.getString("outcome"));
                assertTrue(response.getString("verdict").startsWith("DEGRADED (1/3"), response.getString("verdict"));
            }
            assertEquals(0, AwsCallRecorder.count("PromoteReadReplica"));
            assertNotNull(world.replica().readReplicaSourceDBInstanceIdentifier());
        }
    }

    @Test
    @Order(4)
    void anOutageFailsOverOnTheSecondFailingEvaluation() {
        try (Topology world = EmulatorResource.topology()) {
            world.stopPrimary();

            JsonPath first = Lambda.invokeFile("events/schedule.json");
            assertEquals("EVALUATED", first.getString("outcome"), first.prettify());
            JsonPath second = Lambda.invokeFile("events/schedule.json");

            assertEquals("COMPLETED", second.getString("outcome"), second.prettify());
            assertEquals("SCHEDULE", second.getString("report.trigger.kind"));
            assertNull(world.replica().readReplicaSourceDBInstanceIdentifier());
            assertEquals(world.replica().endpoint().address(), world.recordTarget());
        }
    }
}
