package dev.regionfailover.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * The same outage with the record-update strategy: the database is promoted, but the Route 53 control plane
 * (us-east-1) does not answer, so the run ends FAILED at REPOINT_DNS, saying why, with a notification.
 */
@QuarkusTest
@WithTestResource(value = EmulatorResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS, initArgs = {
        @ResourceArg(name = "handler", value = "manual-failover"), @ResourceArg(name = "faults", value = "true"),
        @ResourceArg(name = "failover.timeouts.api-call", value = "PT3S"),
        @ResourceArg(name = "failover.timeouts.api-call-attempt", value = "PT1S"),
        @ResourceArg(name = "failover.timeouts.max-attempts", value = "2"),
        @ResourceArg(name = "failover.timeouts.step-attempts", value = "2") })
class RecordUpdateOutageIT {

    @AfterEach
    void endTheOutage() {
        Faults.clear();
    }

    @Test
    void withRecordUpdateTheRunFailsClearlyAtTheDnsStep() {
        Faults.set("{\"blackhole\": [\"us-east-1\"], \"blackholeSeconds\": 60}");

        long started = System.nanoTime();
        JsonPath response = Lambda.invokeFile("events/manual-failover.json");
        System.out.printf("RELIABILITY region outage (record-update): %s in %d ms: %s%n", response.getString("outcome"),
                (System.nanoTime() - started) / 1_000_000, response.getString("reason"));

        assertEquals("FAILED", response.getString("outcome"), response.prettify());
        assertTrue(response.getString("reason").startsWith("failed at REPOINT_DNS"), response.getString("reason"));
        assertEquals("DONE", response.getString("report.steps[3].status"), "the promotion itself went through");
        assertTrue(Faults.counters().path("byService").path("route53").path("blackhole").asInt() > 0,
                "Route 53 was unreachable");
    }
}
