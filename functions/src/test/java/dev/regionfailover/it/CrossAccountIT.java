package dev.regionfailover.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
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
import software.amazon.awssdk.services.rds.model.DBInstance;

/**
 * A plan with a pair in a second account (a workload account; the stack in the central one), against the
 * emulator, which keys its state by account and derives the account from assumed-role credentials as AWS does:
 * the pair's databases are read, promoted, fenced and rebuilt there, through its role and external id, while the
 * plan's own pair, the journal, the DNS zone and the notifications stay in the stack's account.
 */
@QuarkusTest
@WithTestResource(value = EmulatorResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS, initArgs = {
        @ResourceArg(name = "handler", value = "manual-failover"),
        @ResourceArg(name = "otherAccountPairs", value = "billing") })
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CrossAccountIT {

    private static final String PRIMARY = "billing-db";
    private static final String REPLICA = "billing-db-replica";

    @Test
    @Order(1)
    void theDryRunReadsThePairInItsOwnAccountThroughTheRole() {
        AwsCallRecorder.clear();
        JsonPath response = Lambda.invokeFile("events/dry-run.json");

        assertEquals("DRY_RUN", response.getString("outcome"), response.prettify());
        assertEquals(List.of(Topology.PLAN, "billing"), response.getList("databases.database"));
        assertEquals("DRY_RUN", response.getString("databases[1].result.outcome"),
                response.getString("databases[1].result.reason"));
        assertTrue(AwsCallRecorder.assumedRoles().contains(Topology.OTHER_ACCOUNT_ROLE + " externalId="
                + Topology.OTHER_ACCOUNT_EXTERNAL_ID), AwsCallRecorder.assumedRoles().toString());
        assertEquals(List.of(), AwsCallRecorder.mutatingCalls());
    }

    @Test
    @Order(2)
    void bothPairsFailOverEachInItsAccount() {
        try (Topology world = EmulatorResource.topology(); Topology.OtherAccount other = world.otherAccount()) {
            JsonPath failover = Lambda.invokeFile("events/manual-failover.json");

            assertEquals("COMPLETED", failover.getString("outcome"), failover.prettify());
            DBInstance promoted = other.instance(Topology.STANDBY_REGION, REPLICA);
            assertNull(promoted.readReplicaSourceDBInstanceIdentifier(), "promoted in the workload account");
            assertEquals(List.of(Topology.FENCE_SECURITY_GROUP), other.instance(Topology.PRIMARY_REGION, PRIMARY)
                    .vpcSecurityGroups().stream().map(group -> group.vpcSecurityGroupId()).toList(),
                    "the old primary fenced there");
            assertEquals(promoted.endpoint().address(), world.recordTarget("billing-db." + Topology.ZONE),
                    "the name, in the stack's own zone, follows");
            assertNull(world.replica().readReplicaSourceDBInstanceIdentifier(), "the plan's own pair, here");
            assertFalse(world.instanceIds(Topology.STANDBY_REGION).contains(REPLICA),
                    "nothing of the pair in the stack's account");
            assertFalse(other.instanceIds(Topology.STANDBY_REGION).contains(Topology.REPLICA_ID),
                    "nothing of the plan's own pair in the workload account");
            assertEquals(2, AwsCallRecorder.count("PromoteReadReplica"));
        }
    }

    @Test
    @Order(3)
    void theFailbackRebuildsThePairInItsAccount() {
        try (Topology world = EmulatorResource.topology(); Topology.OtherAccount other = world.otherAccount()) {
            // What RDS publishes, in each account, once each failback replica has caught up with its fenced writer.
            world.reportReplicaLag(Topology.PRIMARY_REGION, Topology.PRIMARY_ID + "-g1", 0);
            other.reportReplicaLag(Topology.PRIMARY_REGION, PRIMARY + "-g1", 0);

            JsonPath prepared = Lambda.invoke(Lambda.read("events/manual-failover.json")
                    .replace("Manual Failover Requested", "Failback Requested"));

            assertEquals("COMPLETED", prepared.getString("outcome"), prepared.prettify());
            DBInstance writer = other.instance(Topology.PRIMARY_REGION, PRIMARY + "-g1");
            assertNull(writer.readReplicaSourceDBInstanceIdentifier(), "the workload account's primary region writes");
            assertNotNull(other.instance(Topology.STANDBY_REGION, REPLICA + "-g1").readReplicaSourceDBInstanceIdentifier());
            assertEquals(writer.endpoint().address(), world.recordTarget("billing-db." + Topology.ZONE));
        }
    }
}
