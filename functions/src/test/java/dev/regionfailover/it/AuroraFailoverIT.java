package dev.regionfailover.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

import dev.regionfailover.tools.Topology;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;

/** An Aurora global database: an outage of the primary region ends in AWS's managed, unplanned failover. */
@QuarkusTest
@WithTestResource(value = EmulatorResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS, initArgs = {
        @ResourceArg(name = "handler", value = "alarm"), @ResourceArg(name = "databaseKind", value = "aurora-global"),
        @ResourceArg(name = "replicaLagSeconds", value = "2") })
class AuroraFailoverIT {

    @Test
    void anOutageEndsInAManagedFailoverToTheStandbyRegion() {
        try (Topology world = EmulatorResource.topology()) {
            world.stopPrimary();
            Topology.WATCHED_ALARMS.forEach(alarm -> world.setAlarm(alarm, StateValue.ALARM, "outage"));
            AwsCallRecorder.clear();

            assertEquals("EVALUATED", Lambda.invokeFile("events/alarm-eventbridge.json").getString("outcome"));
            JsonPath response = Lambda.invokeFile("events/alarm-lambda-action.json");

            assertEquals("COMPLETED", response.getString("outcome"), response.prettify());
            assertTrue(response.getString("report.steps[3].detail")
                    .startsWith("FailoverGlobalCluster (AllowDataLoss) accepted"), response.getString("report.steps[3].detail"));
            assertEquals(2.0, response.getDouble("report.dataLossWindowSeconds"));
            assertEquals(1, AwsCallRecorder.count("FailoverGlobalCluster"));
            assertNull(world.globalCluster().failoverState());
            assertTrue(world.globalCluster().globalClusterMembers().stream().anyMatch(member -> Boolean.TRUE
                    .equals(member.isWriter()) && member.dbClusterArn().endsWith(":" + Topology.AURORA_SECONDARY)));
            assertEquals(world.auroraSecondary().endpoint(), world.recordTarget());
        }
    }
}
