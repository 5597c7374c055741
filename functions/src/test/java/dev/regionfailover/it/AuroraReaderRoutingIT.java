package dev.regionfailover.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

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

import dev.regionfailover.tools.Topology;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;
import software.amazon.awssdk.services.rds.model.DBCluster;

/**
 * Reader routing for an Aurora global database (health-check-switch): each region reads from its cluster's
 * reader endpoint, which a managed failover or switchover does not move. The failover withdraws the primary
 * region's reader; the failback, whose clusters were both fenced on the way, ends with both regions serving reads
 * again from unfenced clusters, the original set.
 */
@QuarkusTest
@WithTestResource(value = EmulatorResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS, initArgs = {
        @ResourceArg(name = "handler", value = "manual-failover"),
        @ResourceArg(name = "databaseKind", value = "aurora-global"),
        @ResourceArg(name = "dnsStrategy", value = "health-check-switch"),
        @ResourceArg(name = "readers", value = "true") })
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuroraReaderRoutingIT {

    private static final String EAST = Topology.PRIMARY_REGION;
    private static final String WEST = Topology.STANDBY_REGION;

    @Test
    @Order(1)
    void aFailoverWithdrawsThePrimaryRegionsReaderAndTheSecondaryKeepsServingReads() {
        try (Topology world = EmulatorResource.topology()) {
            Map<String, String> before = world.readerRecords();
            assertEquals(Map.of(EAST, world.primaryReaderEndpoint(), WEST, world.standbyReaderEndpoint()), before);
            assertEquals(world.primaryReaderEndpoint(), world.readerAnswer(EAST));

            JsonPath response = Lambda.invokeFile("events/manual-failover.json");

            assertEquals("COMPLETED", response.getString("outcome"), response.prettify());
            assertEquals(world.standbyReaderEndpoint(), world.readerAnswer(EAST));
            assertEquals(world.standbyReaderEndpoint(), world.readerAnswer(WEST));
            assertEquals(StateValue.ALARM, world.readerAlarmState(EAST));
            assertEquals(before, world.readerRecords(), "health-check-switch: no record changed");
        }
    }

    @Test
    @Order(2)
    void aFailbackRestoresTheOriginalReadersOnUnfencedClusters() {
        try (Topology world = EmulatorResource.topology()) {
            Map<String, String> original = world.readerRecords();
            world.reportAuroraLag(EAST, Topology.AURORA_PRIMARY, 0);

            JsonPath response = Lambda.invoke(Lambda.read("events/failback.json"));

            assertEquals("COMPLETED", response.getString("outcome"), response.prettify());
            assertEquals(original, world.readerRecords(), "the original set");
            assertEquals(world.primaryReaderEndpoint(), world.readerAnswer(EAST));
            assertEquals(world.standbyReaderEndpoint(), world.readerAnswer(WEST));
            assertEquals(StateValue.OK, world.readerAlarmState(EAST));
            assertEquals(StateValue.OK, world.readerAlarmState(WEST));
            for (DBCluster cluster : List.of(world.auroraPrimary(), world.auroraSecondary())) {
                assertEquals(List.of(Topology.APP_SECURITY_GROUP), cluster.vpcSecurityGroups().stream()
                        .map(group -> group.vpcSecurityGroupId()).toList(),
                        cluster.dbClusterIdentifier() + " serves reads: not fenced");
            }
            assertEquals(world.auroraPrimary().endpoint(), world.dnsAnswer(), "writers back in " + EAST);
        }
    }
}
