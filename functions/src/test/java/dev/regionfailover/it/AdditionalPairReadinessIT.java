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
 * Readiness of a plan with an additional RDS pair. The template cannot know an additional pair's identifiers (they
 * are in AdditionalDatabases' JSON or in Parameter Store), so IAM lets the functions promote and fence its instances
 * only by the plan's tag (sam-template.yaml, AdditionalPairsPolicy): an untagged one is a failover that would fail
 * with AccessDenied, and readiness names it before it is needed. The plan's own pair is named by IAM: no such check.
 */
@QuarkusTest
@WithTestResource(value = EmulatorResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS, initArgs = {
        @ResourceArg(name = "handler", value = "health-check"),
        @ResourceArg(name = "additionalPairs", value = "inventory") })
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdditionalPairReadinessIT {

    private static List<String> fenceChecks(JsonPath response) {
        return response.getList("readiness.checks.name", String.class).stream()
                .filter(name -> name.endsWith("fence-permitted")).toList();
    }

    @Test
    @Order(1)
    void anAdditionalPairTaggedWithThePlanMayBeActedOn() {
        JsonPath response = Lambda.invokeFile("events/schedule.json");

        assertTrue(response.getBoolean("readiness.ready"), response.prettify());
        assertEquals(1, fenceChecks(response).size(), "only the additional pair is acted on by tag: "
                + fenceChecks(response));
        assertTrue(fenceChecks(response).get(0).contains("inventory"), fenceChecks(response).toString());
    }

    @Test
    @Order(2)
    void anUntaggedInstanceOfAnAdditionalPairIsAReadinessFailureNamingIt() {
        try (Topology world = EmulatorResource.topology()) {
            world.untagInstance(Topology.PRIMARY_REGION, "inventory-db");
            AwsCallRecorder.clear();

            JsonPath response = Lambda.invokeFile("events/schedule.json");

            assertFalse(response.getBoolean("readiness.ready"));
            assertEquals(fenceChecks(response), response.getList("readiness.checks.findAll { !it.ok }.name"),
                    response.prettify());
            String detail = response.getString("readiness.checks.find { it.name.endsWith('fence-permitted') }.detail");
            assertTrue(detail.contains("inventory-db (" + Topology.PRIMARY_REGION + ")")
                    && !detail.contains("inventory-db-replica") && detail.contains("promote or fence"), detail);
            for (String databaseChange : List.of("PromoteReadReplica", "ModifyDBInstance", "AddTagsToResource")) {
                assertEquals(0, AwsCallRecorder.count(databaseChange), "readiness only reads the databases");
            }
        }
    }
}
