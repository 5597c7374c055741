package dev.regionfailover.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import jakarta.inject.Inject;

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
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.regionfailover.readiness.Readiness;
import dev.regionfailover.readiness.ReadinessEvaluator;
import dev.regionfailover.tools.Topology;

/**
 * Where the writer is, as consumers read it from Parameter Store (the template's default prefix), against the
 * emulator: after a failover, after a failback (one generation on), and after a drift that readiness finds and
 * repairs. Each change of writer is also an EventBridge {@code Topology Changed} event.
 */
@QuarkusTest
@WithTestResource(value = EmulatorResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS, initArgs = {
        @ResourceArg(name = "handler", value = "manual-failover"),
        @ResourceArg(name = "failover.topology-parameters-prefix", value = Topology.TOPOLOGY_PREFIX) })
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TopologyPublicationIT {

    private static final String DOCUMENT = Topology.topologyParameter(Topology.PLAN);
    private static final String ENDPOINT = DOCUMENT + "/writer-endpoint";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Inject
    ReadinessEvaluator readiness;

    @Test
    @Order(1)
    void aDryRunPublishesNothing() {
        try (Topology world = EmulatorResource.topology()) {
            AwsCallRecorder.clear();
            assertEquals("DRY_RUN", Lambda.invokeFile("events/dry-run.json").getString("outcome"));
            assertEquals(null, world.parameter(Topology.STANDBY_REGION, DOCUMENT));
            assertEquals(List.of(), AwsCallRecorder.mutatingCalls());
        }
    }

    @Test
    @Order(2)
    void afterAFailoverBothRegionsNameTheNewWriter() throws Exception {
        try (Topology world = EmulatorResource.topology()) {
            world.discardNotifications();
            JsonPath failover = Lambda.invokeFile("events/manual-failover.json");
            assertEquals("COMPLETED", failover.getString("outcome"), failover.getString("reason"));

            String writerEndpoint = world.replica().endpoint().address();
            for (String region : List.of(Topology.STANDBY_REGION, Topology.PRIMARY_REGION)) {
                JsonNode document = MAPPER.readTree(world.parameter(region, DOCUMENT));
                assertEquals(Topology.REPLICA_ID, document.path("writer").path("id").asText(), region);
                assertEquals(Topology.STANDBY_REGION, document.path("writer").path("region").asText());
                assertEquals(writerEndpoint, document.path("writer").path("endpoint").asText());
                assertEquals(Topology.PRIMARY_ID, document.path("standby").path("id").asText());
                assertTrue(document.path("settled").asBoolean(), document.toString());
                assertEquals("COMPLETED", document.path("phase").asText());
                assertEquals(0, document.path("generation").asInt());
                assertEquals(failover.getString("report.runId"), document.path("lastRun").path("id").asText());
                assertEquals("COMPLETED", document.path("lastRun").path("outcome").asText());
                assertEquals(writerEndpoint, world.parameter(region, ENDPOINT), region);
            }
            JsonNode changed = topologyChanged(world);
            assertEquals(Topology.REPLICA_ID, changed.path("detail").path("topology").path("writer").path("id")
                    .asText());
        }
    }

    @Test
    @Order(3)
    void afterTheFailbackTheWriterIsTheNewGenerationInThePrimaryRegion() throws Exception {
        try (Topology world = EmulatorResource.topology()) {
            world.reportReplicaLag(Topology.PRIMARY_REGION, Topology.PRIMARY_ID + "-g1", 0);
            world.discardNotifications();
            JsonPath failback = Lambda.invoke(Lambda.read("events/manual-failover.json")
                    .replace("Manual Failover Requested", "Failback Requested"));
            assertEquals("COMPLETED", failback.getString("outcome"), failback.getString("reason"));

            JsonNode document = MAPPER.readTree(world.parameter(Topology.STANDBY_REGION, DOCUMENT));
            assertEquals(Topology.PRIMARY_ID + "-g1", document.path("writer").path("id").asText());
            assertEquals(Topology.PRIMARY_REGION, document.path("writer").path("region").asText());
            assertEquals(Topology.REPLICA_ID + "-g1", document.path("standby").path("id").asText());
            assertEquals("IDLE", document.path("phase").asText());
            assertEquals(1, document.path("generation").asInt());
            assertEquals("FAILBACK", document.path("lastRun").path("kind").asText());
            assertEquals(world.instance(Topology.PRIMARY_REGION, Topology.PRIMARY_ID + "-g1").endpoint().address(),
                    world.parameter(Topology.STANDBY_REGION, ENDPOINT));
            assertEquals(world.parameter(Topology.STANDBY_REGION, DOCUMENT),
                    world.parameter(Topology.PRIMARY_REGION, DOCUMENT));
            JsonNode changed = topologyChanged(world);
            assertEquals(Topology.REPLICA_ID, changed.path("detail").path("previous").path("writerId").asText());
        }
    }

    @Test
    @Order(4)
    void readinessFlagsADriftedPublicationAndRepublishesTheTruth() throws Exception {
        try (Topology world = EmulatorResource.topology()) {
            String truth = world.parameter(Topology.STANDBY_REGION, DOCUMENT);
            // a stale pipeline writes back what it knew before the failover
            String stale = truth.replace(Topology.PRIMARY_ID + "-g1", Topology.REPLICA_ID);
            world.overwriteParameter(DOCUMENT, stale);
            world.discardNotifications();

            Readiness drifted = readiness.evaluate();

            Readiness.Check check = check(drifted, "topology-published");
            assertFalse(check.ok(), check.detail());
            assertTrue(check.detail().startsWith("drift: " + DOCUMENT + " said writer " + Topology.REPLICA_ID),
                    check.detail());
            assertTrue(check.detail().contains("AWS reports writer " + Topology.PRIMARY_ID + "-g1"), check.detail());
            JsonNode republished = MAPPER.readTree(world.parameter(Topology.STANDBY_REGION, DOCUMENT));
            assertEquals(Topology.PRIMARY_ID + "-g1", republished.path("writer").path("id").asText());
            assertEquals("readiness", republished.path("publishedBy").asText());
            assertEquals("FAILBACK", republished.path("lastRun").path("kind").asText());
            assertEquals(Topology.REPLICA_ID, topologyChanged(world).path("detail").path("previous").path("writerId")
                    .asText(), "the event names what the drifted document said");

            Readiness.Check after = check(readiness.evaluate(), "topology-published");
            assertTrue(after.ok(), after.detail());
        }
    }

    private static Readiness.Check check(Readiness readiness, String name) {
        return readiness.checks().stream().filter(check -> check.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no check " + name + " in " + readiness.summary()));
    }

    /** The one Topology Changed event among the lifecycle events delivered since they were last discarded. */
    private static JsonNode topologyChanged(Topology world) throws Exception {
        List<JsonNode> changed = new java.util.ArrayList<>();
        for (String body : world.receiveLifecycleEvents()) {
            JsonNode event = MAPPER.readTree(body);
            if (event.path("detail-type").asText().equals("Topology Changed")) {
                changed.add(event);
            }
        }
        assertEquals(1, changed.size(), "Topology Changed events: " + changed);
        return changed.get(0);
    }
}
