package dev.regionfailover.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

import dev.regionfailover.tools.Topology;

/**
 * An operator's failover while the replica is 500 s behind a 60 s budget: forged and misspelt events are refused
 * without any mutating call, a dry run plans without changing anything, the RPO guard refuses an unforced
 * failover, and a forced one completes and records the data-loss window.
 */
@QuarkusTest
@WithTestResource(value = EmulatorResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS, initArgs = {
        @ResourceArg(name = "handler", value = "manual-failover"),
        // This function serves the force bus: it orders a forced failover.
        @ResourceArg(name = "failover.operator.path", value = "force-bus"),
        @ResourceArg(name = "replicaLagSeconds", value = "500") })
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ManualFailoverIT {

    @BeforeEach
    void clearRecordedCalls() {
        AwsCallRecorder.clear();
    }

    @Test
    @Order(1)
    void aForgedSourceIsRejectedAndNotifiedWithoutAnyOtherAwsCall() throws Exception {
        try (Topology world = EmulatorResource.topology()) {
            JsonPath response = Lambda.invoke(Lambda.read("events/manual-failover.json")
                    .replace("\"regionfailover.operator\"", "\"evil.operator\""));
            assertEquals("REJECTED", response.getString("outcome"));
            assertTrue(response.getString("reason").startsWith("UNAUTHORISED: source 'evil.operator'"),
                    response.getString("reason"));
            assertEquals(List.of("Sns:Publish", "EventBridge:PutEvents"), AwsCallRecorder.calls());
            assertTrue(new com.fasterxml.jackson.databind.ObjectMapper().readTree(world.receiveNotifications().get(0))
                    .get("Subject").asText().contains("UNAUTHORISED operator event refused"));
            assertEquals("Unauthorised Operator Event", new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(world.receiveLifecycleEvents().get(0)).get("detail-type").asText());
        }
    }

    @Test
    @Order(2)
    void aMisspeltDryRunFlagIsRejectedRatherThanRunForReal() {
        JsonPath response = Lambda.invoke(Lambda.read("events/dry-run.json").replace("\"dryRun\"", "\"dryrun\""));
        assertEquals("REJECTED", response.getString("outcome"));
        assertTrue(response.getString("reason").contains("unknown field detail.dryrun"), response.getString("reason"));
        assertEquals(List.of(), AwsCallRecorder.calls());
    }

    @Test
    @Order(3)
    void aDryRunPlansEveryStepAndChangesNothing() {
        try (Topology world = EmulatorResource.topology()) {
            String recordBefore = world.recordTarget();

            JsonPath response = Lambda.invokeFile("events/dry-run.json");

            assertEquals("DRY_RUN", response.getString("outcome"), response.prettify());
            assertEquals(List.of("ACQUIRE_LEASE", "CHECK_RPO", "FENCE_OLD_PRIMARY", "PROMOTE_REPLICA", "AWAIT_WRITER",
                    "REPOINT_DNS", "ROUTE_READERS", "NOTIFY"), response.getList("report.steps.name"));
            assertEquals(List.of("PLANNED", "REFUSED", "PLANNED", "PLANNED", "PLANNED", "PLANNED", "SKIPPED",
                    "PLANNED"),
                    response.getList("report.steps.status"));
            assertTrue(response.getString("reason").contains("refused by the RPO guard"));
            assertEquals(List.of(), AwsCallRecorder.mutatingCalls());
            assertNotNull(world.replica().readReplicaSourceDBInstanceIdentifier());
            assertEquals(recordBefore, world.recordTarget());
            assertEquals(List.of(), world.journal());
            assertEquals(List.of(), world.receiveNotifications());
        }
    }

    @Test
    @Order(4)
    void theRpoGuardRefusesAnUnforcedFailover() {
        try (Topology world = EmulatorResource.topology()) {
            JsonPath response = Lambda.invokeFile("events/manual-failover.json");

            assertEquals("REFUSED", response.getString("outcome"), response.prettify());
            assertTrue(response.getString("reason").contains("replica lag 500s, budget 60s: over budget"));
            assertEquals(0, AwsCallRecorder.count("PromoteReadReplica"));
            assertNotNull(world.replica().readReplicaSourceDBInstanceIdentifier());
            assertEquals(1, world.receiveNotifications().size(), "the refusal is notified");
        }
    }

    @Test
    @Order(5)
    void aForcedFailoverCompletesAndRecordsTheDataLossWindow() {
        try (Topology world = EmulatorResource.topology()) {
            JsonPath response = Lambda.invoke(Lambda.read("events/manual-failover.json")
                    .replace("\"force\": false", "\"force\": true"));

            assertEquals("COMPLETED", response.getString("outcome"), response.prettify());
            assertEquals(500.0, response.getDouble("report.dataLossWindowSeconds"));
            assertTrue(response.getString("report.warnings[0]").contains("up to 500s of writes may be lost"));
            assertEquals("OPERATOR", response.getString("report.trigger.kind"));
            assertNull(world.replica().readReplicaSourceDBInstanceIdentifier());
            assertEquals(world.replica().endpoint().address(), world.recordTarget());
            assertEquals(1, AwsCallRecorder.count("PromoteReadReplica"));
        }
    }
}
