package dev.regionfailover.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

import com.fasterxml.jackson.databind.JsonNode;

import dev.regionfailover.tools.Topology;

/**
 * Transient and permanent faults: with 30% of AWS calls throttled or answered 5xx, the failover completes (SDK
 * retries per call, step retries with jittered backoff, both bounded); a permanent fault ends the run FAILED,
 * naming the step and the error, with a notification, and the plan waits for an operator.
 */
@QuarkusTest
@WithTestResource(value = EmulatorResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS, initArgs = {
        @ResourceArg(name = "handler", value = "manual-failover"), @ResourceArg(name = "faults", value = "true"),
        @ResourceArg(name = "failover.timeouts.max-attempts", value = "8") })
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TransientFaultsIT {

    @AfterEach
    void endTheFaults() {
        Faults.clear();
    }

    @Test
    @Order(1)
    void aPermanentFaultEndsTheRunFailedNamingTheStepAndTheError() throws Exception {
        try (Topology world = EmulatorResource.topology()) {
            Faults.set("{\"permanent\": [{\"service\": \"rds\", \"action\": \"PromoteReadReplica\"}]}");

            JsonPath response = Lambda.invokeFile("events/manual-failover.json");

            assertEquals("FAILED", response.getString("outcome"), response.prettify());
            assertTrue(response.getString("reason").startsWith("failed at PROMOTE_REPLICA: AccessDenied"),
                    response.getString("reason"));
            assertEquals(1, Faults.counters().path("faults").path("permanent").asInt(), "not retried");
            Faults.clear();
            JsonNode report = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                    new com.fasterxml.jackson.databind.ObjectMapper().readTree(world.receiveNotifications().get(0))
                            .get("Message").asText());
            assertEquals("FAILED", report.get("state").asText());
            assertEquals("FAILED", world.journal().stream().filter(item -> item.get("sk").s().equals("STATE"))
                    .findFirst().orElseThrow().get("phase").s(), "the plan waits for an operator");
        }
    }

    @Test
    @Order(2)
    void withThirtyPercentOfCallsFailingTheOperatorsRetryCompletesTheFailover() {
        try (Topology world = EmulatorResource.topology()) {
            Faults.set("{\"errorRate\": 0.3, \"errorKinds\": [\"throttling\", \"5xx\"], \"seed\": 42}");

            JsonPath response = Lambda.invokeFile("events/manual-failover.json");

            assertEquals("COMPLETED", response.getString("outcome"), response.prettify());
            JsonNode faults = Faults.counters().path("faults");
            assertTrue(faults.path("throttling").asInt() + faults.path("5xx").asInt() > 5,
                    "faults were injected: " + faults);
            Faults.clear();
            assertNull(world.replica().readReplicaSourceDBInstanceIdentifier());
            assertEquals(world.replica().endpoint().address(), world.recordTarget());
            System.out.printf("RELIABILITY transient faults: failover COMPLETED with %s injected faults over %s "
                    + "requests%n", faults, Faults.counters().path("requests").asInt());
        }
    }
}
