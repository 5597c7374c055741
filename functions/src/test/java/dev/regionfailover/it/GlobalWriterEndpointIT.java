package dev.regionfailover.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

import dev.regionfailover.dns.JndiEndpointResolver;
import dev.regionfailover.tools.Topology;

/**
 * The global-writer-endpoint strategy against the emulator: the application's name is a CNAME to the Aurora global
 * cluster's writer endpoint, and a failover, a switchover and their failbacks send clients to the new writer with
 * no Route 53 change at all. The endpoint's DNS (the emulator's name server, EMULATOR_DNS) follows Aurora's writer
 * a little after the operation ends; the run waits for it.
 */
@QuarkusTest
@WithTestResource(value = EmulatorResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS, initArgs = {
        @ResourceArg(name = "handler", value = "manual-failover"),
        @ResourceArg(name = "databaseKind", value = "aurora-global"),
        @ResourceArg(name = "dnsStrategy", value = "global-writer-endpoint"),
        @ResourceArg(name = "replicaLagSeconds", value = "0") })
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GlobalWriterEndpointIT {

    @Test
    @Order(1)
    void aDryRunSaysWhatItWouldWaitForAndChangesNothing() {
        try (Topology world = EmulatorResource.topology()) {
            AwsCallRecorder.clear();

            JsonPath response = Lambda.invokeFile("events/dry-run.json");

            assertEquals("DRY_RUN", response.getString("outcome"), response.prettify());
            assertEquals("would change no record and wait for " + endpoint(world) + " to resolve to "
                    + world.auroraSecondary().endpoint() + " (Aurora moves it: RDS-EVENT-0397) (now " + endpoint(world)
                    + " resolves to " + world.auroraPrimary().endpoint() + ")", step(response, "REPOINT_DNS"));
            assertEquals(java.util.List.of(), AwsCallRecorder.mutatingCalls());
            assertEquals(0, AwsCallRecorder.count("ListResourceRecordSets"), "a run does not read Route 53 either");
        }
    }

    @Test
    @Order(2)
    void aFailoverMovesNoRecordAndWaitsForTheEndpointToFollowTheNewWriter() {
        try (Topology world = EmulatorResource.topology()) {
            AwsCallRecorder.clear();

            JsonPath response = Lambda.invokeFile("events/manual-failover.json");

            assertEquals("COMPLETED", response.getString("outcome"), response.prettify());
            assertEquals(1, AwsCallRecorder.count("FailoverGlobalCluster"));
            assertNoRoute53Change(world);
            assertEquals(world.auroraSecondary().endpoint(), resolved(world), "the endpoint follows the new writer");
            assertTrue(step(response, "REPOINT_DNS").startsWith("global writer endpoint " + endpoint(world)
                    + " of " + Topology.GLOBAL_CLUSTER + " (global-writer-endpoint) now sends clients to "
                    + world.auroraSecondary().endpoint()), step(response, "REPOINT_DNS"));
            // Aurora had made the new writer, but its DNS change lagged (EMULATOR_GLOBAL_ENDPOINT_DNS_SECONDS): waited
            assertTrue(step(response, "REPOINT_DNS").contains("(was " + endpoint(world) + " resolves to "
                    + world.auroraPrimary().endpoint()), step(response, "REPOINT_DNS"));
        }
    }

    @Test
    @Order(3)
    void itsFailbackSwitchesOverBackWithNoRecordChangeEither() {
        try (Topology world = EmulatorResource.topology()) {
            world.reportAuroraLag(Topology.PRIMARY_REGION, Topology.AURORA_PRIMARY, 0);
            AwsCallRecorder.clear();

            JsonPath response = Lambda.invokeFile("events/failback.json");

            assertEquals("COMPLETED", response.getString("outcome"), response.prettify());
            assertEquals(1, AwsCallRecorder.count("SwitchoverGlobalCluster"));
            assertNoRoute53Change(world);
            assertEquals(world.auroraPrimary().endpoint(), resolved(world));
            assertEquals("ALREADY_DONE", status(response, "REARM_DNS"), "the endpoint follows whoever Aurora promotes");
        }
    }

    @Test
    @Order(4)
    void aPlannedSwitchoverMovesNoRecord() {
        try (Topology world = EmulatorResource.topology()) {
            world.reportAuroraLag(Topology.STANDBY_REGION, Topology.AURORA_SECONDARY, 0);
            AwsCallRecorder.clear();

            JsonPath response = Lambda.invokeFile("events/planned-switchover.json");

            assertEquals("COMPLETED", response.getString("outcome"), response.prettify());
            assertEquals(1, AwsCallRecorder.count("SwitchoverGlobalCluster"));
            assertEquals(0, AwsCallRecorder.count("FailoverGlobalCluster"));
            assertNoRoute53Change(world);
            assertEquals(world.auroraSecondary().endpoint(), resolved(world));
        }
    }

    private static void assertNoRoute53Change(Topology world) {
        assertEquals(0, AwsCallRecorder.count("ChangeResourceRecordSets"), AwsCallRecorder.calls().toString());
        assertEquals(endpoint(world), world.recordTarget(), "the application's name is still a CNAME to the endpoint");
    }

    private static String endpoint(Topology world) {
        return world.globalCluster().endpoint();
    }

    /** What the emulator's name server answers for the endpoint now, as the functions ask it. */
    private static String resolved(Topology world) {
        return new JndiEndpointResolver(Optional.of(ConfigProvider.getConfig()
                .getValue("failover.dns.name-server", String.class))).cnameOf(endpoint(world)).orElse(null);
    }

    private static String step(JsonPath response, String name) {
        return response.getString("report.steps.find { it.name == '" + name + "' }.detail");
    }

    private static String status(JsonPath response, String name) {
        return response.getString("report.steps.find { it.name == '" + name + "' }.status");
    }
}
