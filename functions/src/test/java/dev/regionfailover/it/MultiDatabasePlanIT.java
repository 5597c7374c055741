package dev.regionfailover.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.regionfailover.tools.Topology;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A plan of three database pairs (a region evacuation): they fail over in parallel, each journaled on its own,
 * and one summary notification lists each outcome.
 */
@QuarkusTest
@WithTestResource(value = EmulatorResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS, initArgs = {
        @ResourceArg(name = "handler", value = "manual-failover"),
        @ResourceArg(name = "additionalPairs", value = "inventory,billing") })
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MultiDatabasePlanIT {

    private static final List<String> PAIRS = List.of("orders-db", "inventory", "billing");

    @Test
    @Order(1)
    void aDryRunPlansEveryPairAndChangesNothing() {
        AwsCallRecorder.clear();
        JsonPath response = Lambda.invokeFile("events/dry-run.json");

        assertEquals("DRY_RUN", response.getString("outcome"), response.prettify());
        assertEquals(PAIRS, response.getList("databases.database"));
        assertEquals(List.of("DRY_RUN", "DRY_RUN", "DRY_RUN"), response.getList("databases.result.outcome"));
        assertEquals(List.of(), AwsCallRecorder.mutatingCalls());
    }

    @Test
    @Order(2)
    void threePairsFailOverInParallelEachJournaledAndSummedUp() throws Exception {
        try (Topology world = EmulatorResource.topology()) {
            AwsCallRecorder.clear();

            JsonPath response = Lambda.invokeFile("events/manual-failover.json");

            assertEquals("COMPLETED", response.getString("outcome"), response.prettify());
            assertEquals(List.of("COMPLETED", "COMPLETED", "COMPLETED"), response.getList("databases.result.outcome"));
            assertEquals(3, AwsCallRecorder.count("PromoteReadReplica"));
            for (String name : List.of("inventory", "billing")) {
                var replica = world.instance(Topology.STANDBY_REGION, name + "-db-replica");
                assertNull(replica.readReplicaSourceDBInstanceIdentifier(), name);
                assertEquals(replica.endpoint().address(), world.recordTarget(name + "-db." + Topology.ZONE + "."));
            }
            assertEquals(world.replica().endpoint().address(), world.recordTarget());

            List<Map<String, AttributeValue>> runs = List.of(run(world, Topology.PLAN),
                    run(world, Topology.PLAN + "/inventory"), run(world, Topology.PLAN + "/billing"));
            Instant lastStart = runs.stream().map(run -> Instant.parse(run.get("startedAt").s())).max(Instant::compareTo)
                    .orElseThrow();
            Instant firstEnd = runs.stream().map(run -> Instant.parse(run.get("endedAt").s())).min(Instant::compareTo)
                    .orElseThrow();
            assertTrue(lastStart.isBefore(firstEnd), "the three runs overlapped in time: they ran in parallel");

            ObjectMapper mapper = new ObjectMapper();
            List<String> subjects = world.receiveNotifications().stream()
                    .map(body -> field(mapper, body, "Subject")).toList();
            assertTrue(subjects.stream().anyMatch(subject -> subject.contains("failover of 3 databases COMPLETED")),
                    subjects.toString());
            List<String> detailTypes = world.receiveLifecycleEvents().stream()
                    .map(body -> field(mapper, body, "detail-type")).toList();
            assertTrue(detailTypes.contains("Failover Plan Completed"), detailTypes.toString());
        }
    }

    private static Map<String, AttributeValue> run(Topology world, String partition) {
        return world.journal(partition).stream().filter(item -> item.get("sk").s().matches("RUN#[^#]+"))
                .findFirst().orElseThrow(() -> new AssertionError("no run journaled under " + partition));
    }

    private static String field(ObjectMapper mapper, String body, String name) {
        try {
            return mapper.readTree(body).path(name).asText();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
