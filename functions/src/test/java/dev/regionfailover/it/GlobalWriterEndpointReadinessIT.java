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
 * Readiness with the global-writer-endpoint strategy: the global cluster reports its writer endpoint, the endpoint
 * resolves to the primary's writer, and the application's name is a CNAME to it; a name that points elsewhere (the
 * primary cluster's own endpoint, as before AWS had global endpoints) would not follow a failover, and readiness
 * says so.
 */
@QuarkusTest
@WithTestResource(value = EmulatorResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS, initArgs = {
        @ResourceArg(name = "handler", value = "health-check"),
        @ResourceArg(name = "databaseKind", value = "aurora-global"),
        @ResourceArg(name = "dnsStrategy", value = "global-writer-endpoint") })
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GlobalWriterEndpointReadinessIT {

    @Test
    @Order(1)
    void theEndpointAndTheApplicationsCnameToItAreReady() {
        try (Topology world = EmulatorResource.topology()) {
            AwsCallRecorder.clear();

            JsonPath response = Lambda.invokeFile("events/schedule.json");

            assertTrue(response.getBoolean("readiness.ready"), response.prettify());
            String endpoint = world.globalCluster().endpoint();
            assertEquals("global writer endpoint " + endpoint + " of " + Topology.GLOBAL_CLUSTER
                    + " (global-writer-endpoint): the application's name follows it", detail(response, "dns-setup"));
            assertEquals("global writer endpoint " + endpoint + " of " + Topology.GLOBAL_CLUSTER
                    + " (global-writer-endpoint): " + endpoint + " resolves to " + world.auroraPrimary().endpoint(),
                    detail(response, "dns-points-at-primary"));
            // the health check journals its history and publishes metrics; DNS and databases it only reads
            assertEquals(List.of(), AwsCallRecorder.mutatingCalls().stream()
                    .filter(call -> call.startsWith("Route53:") || call.startsWith("Rds:")).toList());
        }
    }

    @Test
    @Order(2)
    void aNameThatIsNotACnameToTheEndpointIsNotReady() {
        try (Topology world = EmulatorResource.topology()) {
            world.pointRecordAt(world.auroraPrimary().endpoint());

            JsonPath response = Lambda.invokeFile("events/schedule.json");

            assertFalse(response.getBoolean("readiness.ready"));
            assertEquals(List.of("dns-setup"), response.getList("readiness.checks.findAll { !it.ok }.name"),
                    response.prettify());
            assertTrue(detail(response, "dns-setup").endsWith(Topology.RECORD + " is a CNAME to "
                    + world.auroraPrimary().endpoint() + ", not a CNAME to the global writer endpoint "
                    + world.globalCluster().endpoint()), detail(response, "dns-setup"));
        }
    }

    private static String detail(JsonPath response, String check) {
        return response.getString("readiness.checks.find { it.name == '" + check + "' }.detail");
    }
}
