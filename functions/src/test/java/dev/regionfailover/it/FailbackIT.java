package dev.regionfailover.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

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
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.rds.model.DBInstance;

/**
 * A full round trip for an RDS instance pair: fail over A → B, fail back B → A with no data loss (a new replica
 * in A, the writer in B fenced, lag drained, a planned promotion, DNS back, a new replica in B), and the plan,
 * re-armed one generation on, fails over again.
 */
@QuarkusTest
@WithTestResource(value = EmulatorResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS,
        initArgs = @ResourceArg(name = "handler", value = "manual-failover"))
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FailbackIT {

    private static final String FAILBACK_WRITER = Topology.PRIMARY_ID + "-g1";
    private static final String NEW_REPLICA = Topology.REPLICA_ID + "-g1";

    @Test
    @Order(1)
    void aFailbackBeforeAnyFailoverHasNothingToDo() {
        AwsCallRecorder.clear();
        JsonPath response = Lambda.invoke(failback());
        assertEquals("NOT_APPLICABLE", response.getString("outcome"), response.prettify());
        assertTrue(response.getString("reason").contains("nothing to fail back"));
        assertEquals(List.of(), AwsCallRecorder.mutatingCalls().stream().filter(c -> !c.startsWith("DynamoDb")).toList());
    }

    @Test
    @Order(2)
    void theRoundTripEndsWithTheWriterBackInThePrimaryRegionAndAReplicaInTheStandbyRegion() throws Exception {
        try (Topology world = EmulatorResource.topology()) {
            assertEquals("COMPLETED", Lambda.invokeFile("events/manual-failover.json").getString("outcome"));
            world.receiveLifecycleEvents();
            // What RDS publishes once the new replica in the primary region has caught up with the fenced writer.
            world.reportReplicaLag(Topology.PRIMARY_REGION, FAILBACK_WRITER, 0);

            JsonPath response = Lambda.invoke(failback());

            assertEquals("COMPLETED", response.getString("outcome"), response.prettify());
            assertEquals("FAILBACK", response.getString("report.kind"));
            assertEquals(List.of("ACQUIRE_LEASE", "PREPARE_FAILBACK_REPLICA", "AWAIT_FAILBACK_REPLICA",
                    "UNFENCE_FAILBACK_TARGET", "SHIFT_READERS", "FENCE_OLD_PRIMARY", "AWAIT_CATCH_UP",
                    "PROMOTE_REPLICA", "AWAIT_WRITER", "REPOINT_DNS", "REBUILD_STANDBY_REPLICA",
                    "AWAIT_STANDBY_REPLICA", "UNFENCE_NEW_STANDBY", "REARM_DNS", "ROUTE_READERS", "NOTIFY"),
                    response.getList("report.steps.name"));
            assertEquals(0.0, response.getDouble("report.dataLossWindowSeconds"));

            DBInstance writer = world.instance(Topology.PRIMARY_REGION, FAILBACK_WRITER);
            assertNull(writer.readReplicaSourceDBInstanceIdentifier(), "the primary region serves writes again");
            assertEquals(writer.endpoint().address(), world.recordTarget());
            assertEquals(List.of(Topology.FENCE_SECURITY_GROUP), world.replica().vpcSecurityGroups().stream()
                    .map(group -> group.vpcSecurityGroupId()).toList(), "the old writer in B was fenced first");
            DBInstance replica = world.instance(Topology.STANDBY_REGION, NEW_REPLICA);
            // No placement configured: each new generation takes the security groups its predecessor had before
            // the fence, so the application reaches the new writer and replica as it reached the old ones.
            for (DBInstance built : List.of(writer, replica)) {
                assertEquals(List.of(Topology.APP_SECURITY_GROUP), built.vpcSecurityGroups().stream()
                        .map(group -> group.vpcSecurityGroupId()).toList(), built.dbInstanceIdentifier());
                // the stack's IAM acts on a generation only by this tag (docs/security.md): without it, a real
                // failback could not promote or fence what it built
                assertTrue(built.tagList().stream().anyMatch(tag -> tag.key().equals("regionfailover:plan")
                        && tag.value().equals(Topology.PLAN)), built.dbInstanceIdentifier() + " " + built.tagList());
            }
            assertTrue(replica.readReplicaSourceDBInstanceIdentifier().endsWith(":db:" + FAILBACK_WRITER),
                    replica.readReplicaSourceDBInstanceIdentifier());
            assertEquals("Failback Completed", new ObjectMapper().readTree(world.receiveLifecycleEvents().get(0))
                    .get("detail-type").asText());
            Map<String, AttributeValue> state = world.journal().stream()
                    .filter(item -> item.get("sk").s().equals("STATE")).findFirst().orElseThrow();
            assertEquals("IDLE", state.get("phase").s(), "re-armed");
            assertEquals("1", state.get("generation").n());
        }
    }

    @Test
    @Order(3)
    void theReArmedPlanFailsOverAgainToTheNewReplica() {
        try (Topology world = EmulatorResource.topology()) {
            world.reportReplicaLag(Topology.STANDBY_REGION, NEW_REPLICA, 3);

            JsonPath response = Lambda.invokeFile("events/manual-failover.json");

            assertEquals("COMPLETED", response.getString("outcome"), response.prettify());
            DBInstance promoted = world.instance(Topology.STANDBY_REGION, NEW_REPLICA);
            assertNull(promoted.readReplicaSourceDBInstanceIdentifier());
            assertEquals(promoted.endpoint().address(), world.recordTarget());
        }
    }

    private static String failback() {
        return Lambda.read("events/manual-failover.json").replace("Manual Failover Requested", "Failback Requested");
    }
}
