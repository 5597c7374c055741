package dev.regionfailover.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.regionfailover.tools.Topology;

/**
 * The function that serves the default event bus, with failover.operator.default-bus-orders off (the default): a
 * fresh, well-formed order is refused and told to people, and nothing else is called.
 */
@QuarkusTest
@WithTestResource(value = EmulatorResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS, initArgs = {
        @ResourceArg(name = "handler", value = "manual-failover"),
        @ResourceArg(name = "failover.operator.path", value = "default-bus") })
class DefaultBusOrdersIT {

    @Test
    void anOrderOnTheDefaultBusIsRefusedWhileThatPathIsOff() throws Exception {
        AwsCallRecorder.clear();
        try (Topology world = EmulatorResource.topology(); LogCapture logs = new LogCapture()) {
            String recordBefore = world.recordTarget();
            AwsCallRecorder.clear();

            JsonPath response = Lambda.invokeFile("events/manual-failover.json");

            assertEquals("REJECTED", response.getString("outcome"));
            String reason = response.getString("reason");
            assertTrue(reason.startsWith("UNAUTHORISED: orders on the default event bus are off for plan orders-db "
                    + "(failover.operator.default-bus-orders is false)"), reason);
            assertTrue(logs.messages().stream().anyMatch(m -> m.contains("rejected an event (UNAUTHORISED): orders "
                    + "on the default event bus are off")), logs.messages().toString());
            // The refusal is told to people and machines; no database, name or journal is touched.
            assertEquals(List.of("Sns:Publish", "EventBridge:PutEvents"), AwsCallRecorder.calls());
            assertTrue(new ObjectMapper().readTree(world.receiveNotifications().get(0)).get("Subject").asText()
                    .contains("UNAUTHORISED operator event refused"));
            assertTrue(world.replica().readReplicaSourceDBInstanceIdentifier() != null, "still a replica");
            assertEquals(recordBefore, world.recordTarget());
            assertEquals(List.of(), world.journal());
        }
    }
}
