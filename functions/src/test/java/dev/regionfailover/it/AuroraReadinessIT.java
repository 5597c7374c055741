package dev.regionfailover.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

/**
 * Readiness of an Aurora global database with fencing on. The member clusters are discovered, so IAM lets the
 * functions fence one only when the deployer has tagged it with the plan (sam-template.yaml, FenceOldPrimaryCluster):
 * an untagged member is a failover that would stop at the fence, and readiness says so before it is needed.
 */
@QuarkusTest
@WithTestResource(value = EmulatorResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS, initArgs = {
        @ResourceArg(name = "handler", value = "health-check"),
        @ResourceArg(name = "databaseKind", value = "aurora-global") })
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuroraReadinessIT {

    @Test
    @Order(1)
    void bothMembersTaggedWithThePlanMayBeFenced() {
        JsonPath response = Lambda.invokeFile("events/schedule.json");

        assertTrue(response.getBoolean("readiness.ready"), response.prettify());
        assertTrue(response.getList("readiness.checks.name").contains("fence-permitted"), response.prettify());
    }

    @Test
    @Order(2)
    void aMemberWithoutThePlanTagIsAReadinessFailureNamingIt() {
        try (Topology world = EmulatorResource.topology()) {
            world.untagAuroraSecondary();
            AwsCallRecorder.clear();

            JsonPath response = Lambda.invokeFile("events/schedule.json");

            assertFalse(response.getBoolean("readiness.ready"));
            assertEquals(List.of("fence-permitted"), response.getList("readiness.checks.findAll { !it.ok }.name"),
                    response.prettify());
            String detail = response.getString("readiness.checks.find { it.name == 'fence-permitted' }.detail");
            assertTrue(detail.contains(Topology.AURORA_SECONDARY + " (" + Topology.STANDBY_REGION + ")")
                    && !detail.contains(Topology.AURORA_PRIMARY) && detail.contains("regionfailover:plan=orders-db"),
                    detail);
            assertEquals(0, AwsCallRecorder.count("ModifyDBCluster"), "readiness only reads");
        }
    }
}
