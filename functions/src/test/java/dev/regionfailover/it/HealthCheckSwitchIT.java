package dev.regionfailover.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

import dev.regionfailover.tools.Topology;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;

/**
 * The health-check-switch DNS strategy: the failover moves the application's name by moving a CloudWatch alarm
 * in the standby region, which the PRIMARY failover record's health check follows. No Route 53 call is made:
 * the Route 53 control plane (us-east-1) may be the region that failed. What DNS then answers is read back
 * through Route 53's TestDNSAnswer.
 */
@QuarkusTest
@WithTestResource(value = EmulatorResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS, initArgs = {
        @ResourceArg(name = "handler", value = "manual-failover"),
        @ResourceArg(name = "dnsStrategy", value = "health-check-switch") })
class HealthCheckSwitchIT {

    @Test
    void aFailoverMovesTheNameWithoutAnyRoute53Call() {
        try (Topology world = EmulatorResource.topology()) {
            assertEquals(world.primaryWriterEndpoint(), world.dnsAnswer(), "before: DNS answers the primary");
            AwsCallRecorder.clear();

            JsonPath response = Lambda.invokeFile("events/manual-failover.json");

            assertEquals("COMPLETED", response.getString("outcome"), response.prettify());
            assertNull(world.replica().readReplicaSourceDBInstanceIdentifier());
            assertEquals(StateValue.ALARM, world.switchAlarmState());
            assertEquals(world.standbyWriterEndpoint(), world.dnsAnswer(), "after: DNS answers the standby");
            List<String> route53Calls = AwsCallRecorder.calls().stream().filter(c -> c.startsWith("Route53")).toList();
            assertEquals(List.of(), route53Calls, "no Route 53 control-plane call");
            assertTrue(response.getString("report.steps[5].detail").contains("health-check-switch"));
        }
    }
}
