package dev.regionfailover.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

import dev.regionfailover.tools.Topology;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;

/**
 * A region outage: every call to us-east-1 hangs (the fault proxy black-holes it), which with the primary in
 * us-east-1 also takes out the Route 53 control plane. With health-check-switch the failover completes with
 * standby-region calls only, within bounds set by the client timeouts.
 */
@QuarkusTest
@WithTestResource(value = EmulatorResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS, initArgs = {
        @ResourceArg(name = "handler", value = "manual-failover"), @ResourceArg(name = "faults", value = "true"),
        @ResourceArg(name = "dnsStrategy", value = "health-check-switch"),
        @ResourceArg(name = "failover.timeouts.api-call", value = "PT3S"),
        @ResourceArg(name = "failover.timeouts.api-call-attempt", value = "PT1S"),
        @ResourceArg(name = "failover.timeouts.max-attempts", value = "2"),
        @ResourceArg(name = "failover.timeouts.step-attempts", value = "1") })
class RegionOutageIT {

    @AfterEach
    void endTheOutage() {
        Faults.clear();
    }

    @Test
    void withHealthCheckSwitchTheFailoverCompletesWhileThePrimaryRegionHangs() {
        try (Topology world = EmulatorResource.topology()) {
            Faults.set("{\"blackhole\": [\"us-east-1\"], \"blackholeSeconds\": 60}");
            Instant started = Instant.now();

            JsonPath response = Lambda.invokeFile("events/manual-failover.json");

            Duration took = Duration.between(started, Instant.now());
            assertEquals("COMPLETED", response.getString("outcome"), response.prettify());
            assertEquals("SKIPPED", response.getString("report.steps[2].status"), "the old primary is unreachable");
            assertTrue(response.getString("report.warnings[0]").contains("could not be fenced"));
            assertTrue(took.compareTo(Duration.ofSeconds(60)) < 0, "bounded by client timeouts, took " + took);
            int blackholed = Faults.counters().path("faults").path("blackhole").asInt();
            assertTrue(blackholed > 0, "the outage was real");
            System.out.printf("RELIABILITY region outage (health-check-switch): COMPLETED in %d ms with %d calls to "
                    + "us-east-1 black-holed%n", took.toMillis(), blackholed);
            assertEquals(StateValue.ALARM, world.switchAlarmState());
            assertNull(world.replica().readReplicaSourceDBInstanceIdentifier());
            Faults.clear();
            assertEquals(world.standbyWriterEndpoint(), world.dnsAnswer(), "DNS answers the standby");
        }
    }
}
