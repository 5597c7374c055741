package dev.regionfailover.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

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
import software.amazon.awssdk.services.rds.model.DBCluster;

/**
 * An operator's planned switchover of an Aurora global database (SwitchoverGlobalCluster, RPO 0), then the
 * failback to the primary region: the old writer fenced, lag drained, a switchover back, DNS back, re-armed.
 */
@QuarkusTest
@WithTestResource(value = EmulatorResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS, initArgs = {
        @ResourceArg(name = "handler", value = "manual-failover"),
        @ResourceArg(name = "databaseKind", value = "aurora-global"),
        @ResourceArg(name = "replicaLagSeconds", value = "0") })
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuroraSwitchoverIT {

    @Test
    @Order(1)
    void aPlannedSwitchoverSwapsTheRolesWithoutDataLoss() {
        try (Topology world = EmulatorResource.topology()) {
            AwsCallRecorder.clear();

            JsonPath response = Lambda.invokeFile("events/planned-switchover.json");

            assertEquals("COMPLETED", response.getString("outcome"), response.prettify());
            assertEquals(1, AwsCallRecorder.count("SwitchoverGlobalCluster"));
            assertEquals(0, AwsCallRecorder.count("FailoverGlobalCluster"));
            assertTrue(response.getString("report.steps[1].detail").contains("lag 0s, budget 0s"));
            assertTrue(world.globalCluster().globalClusterMembers().stream().anyMatch(member -> Boolean.TRUE
                    .equals(member.isWriter()) && member.dbClusterArn().endsWith(":" + Topology.AURORA_SECONDARY)));
            assertEquals(world.auroraSecondary().endpoint(), world.recordTarget());
        }
    }

    @Test
    @Order(2)
    void aFailbackSwitchesBackToThePrimaryRegion() {
        try (Topology world = EmulatorResource.topology()) {
            world.reportAuroraLag(Topology.PRIMARY_REGION, Topology.AURORA_PRIMARY, 0);
            AwsCallRecorder.clear();

            JsonPath response = Lambda.invoke(Lambda.read("events/manual-failover.json")
                    .replace("Manual Failover Requested", "Failback Requested"));

            assertEquals("COMPLETED", response.getString("outcome"), response.prettify());
            assertEquals("ALREADY_DONE", response.getString("report.steps[1].status"),
                    "the old primary cluster is already a secondary");
            assertEquals(1, AwsCallRecorder.count("SwitchoverGlobalCluster"));
            assertTrue(world.globalCluster().globalClusterMembers().stream().anyMatch(member -> Boolean.TRUE
                    .equals(member.isWriter()) && member.dbClusterArn().endsWith(":" + Topology.AURORA_PRIMARY)));
            assertEquals(world.auroraPrimary().endpoint(), world.recordTarget());
            // Both clusters were fenced, the primary's in the switchover and the secondary's in the failback; both
            // admit the application again, their fence lifted while each was a secondary.
            assertEquals("DONE", step(response, "UNFENCE_FAILBACK_TARGET"));
            assertEquals("DONE", step(response, "UNFENCE_NEW_STANDBY"));
            for (DBCluster cluster : List.of(world.auroraPrimary(), world.auroraSecondary())) {
                assertEquals(List.of(Topology.APP_SECURITY_GROUP), cluster.vpcSecurityGroups().stream()
                        .map(group -> group.vpcSecurityGroupId()).toList(), cluster.dbClusterIdentifier());
                assertEquals(List.of(Topology.PLAN_TAG), cluster.tagList(),
                        cluster.dbClusterIdentifier() + ": the fence tag is gone, the deployer's plan tag stays");
            }
        }
    }

    private static String step(JsonPath response, String name) {
        return response.getString("report.steps.find { it.name == '" + name + "' }.status");
    }
}
