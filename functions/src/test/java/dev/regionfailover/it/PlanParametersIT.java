package dev.regionfailover.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

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
import software.amazon.awssdk.services.rds.model.DBInstance;

/**
 * A plan whose pairs but its own are defined in Parameter Store, more than Lambda's 4 KB of environment variables
 * hold (about 20): they were read once, at start-up, over every page of GetParametersByPath (ten a page), and all
 * of them fail over and fail back. The build runs the plan of 200 that issue 13 names (201 pairs with the plan's
 * own; on a 2-core machine about 3 minutes: 16 s to seed and start, the dry run 17 s, the failover 48 s and the
 * failback 96 s, about 23,000 AWS calls, all answered by one emulator process); {@code -Dit.parameter-pairs=25}
 * runs a smaller plan (three pages) when iterating.
 */
@QuarkusTest
@WithTestResource(value = EmulatorResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS, initArgs = {
        @ResourceArg(name = "handler", value = "manual-failover"),
        @ResourceArg(name = "parameterPairs", value = PlanParametersIT.PAIRS),
        @ResourceArg(name = "quarkus.http.test-timeout", value = "PT15M"),
        // the template's largest MaxParallelPairs
        @ResourceArg(name = "failover.max-parallel-pairs", value = "50") })
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PlanParametersIT {

    static final String PAIRS = "200";
    static final int STORED = EmulatorResource.parameterPairs(PAIRS);
    private static final List<String> NAMES = IntStream.rangeClosed(1, STORED).mapToObj(EmulatorResource::parameterPair)
            .toList();
    @Test
    @Order(1)
    void thePairsOfParameterStoreFollowThePlansOwnInTheOrderOfTheirNames() {
        long pagesRead = AwsCallRecorder.count("GetParametersByPath");
        assertTrue(pagesRead >= STORED / 10, "every page of ten was read at start-up: " + pagesRead);
        AwsCallRecorder.clear();

        JsonPath response = Lambda.invokeFile("events/dry-run.json");

        assertEquals("DRY_RUN", response.getString("outcome"), response.prettify());
        List<String> expected = new ArrayList<>(List.of(Topology.PLAN));
        expected.addAll(NAMES);
        assertEquals(expected, response.getList("databases.database"));
        assertEquals(List.of(), AwsCallRecorder.mutatingCalls());
    }

    @Test
    @Order(2)
    void allPairsFailOverAndFailBack() {
        try (Topology world = EmulatorResource.topology()) {
            AwsCallRecorder.clear();
            long started = System.nanoTime();
            JsonPath failover = Lambda.invokeFile("events/manual-failover.json");
            long failedOver = System.nanoTime();

            assertEquals("COMPLETED", failover.getString("outcome"), failover.getString("reason"));
            assertEquals(List.of(), notCompleted(failover));
            assertEquals(STORED + 1, AwsCallRecorder.count("PromoteReadReplica"));
            for (String name : NAMES) {
                DBInstance replica = world.instance(Topology.STANDBY_REGION, name + "-db-replica");
                assertNull(replica.readReplicaSourceDBInstanceIdentifier(), name);
            }
            for (String name : List.of(NAMES.get(0), NAMES.get(STORED - 1))) {
                assertEquals(world.instance(Topology.STANDBY_REGION, name + "-db-replica").endpoint().address(),
                        world.recordTarget(name + "-db." + Topology.ZONE + "."), name);
            }

            // What RDS publishes once each new replica in the primary region has caught up with its fenced writer.
            world.reportReplicaLag(Topology.PRIMARY_REGION, Topology.PRIMARY_ID + "-g1", 0);
            NAMES.forEach(name -> world.reportReplicaLag(Topology.PRIMARY_REGION, name + "-db-g1", 0));
            long reported = System.nanoTime();
            JsonPath failback = Lambda.invoke(Lambda.read("events/manual-failover.json")
                    .replace("Manual Failover Requested", "Failback Requested"));
            long failedBack = System.nanoTime();

            assertEquals("COMPLETED", failback.getString("outcome"), failback.getString("reason"));
            assertEquals(List.of(), notCompleted(failback));
            for (String name : NAMES) {
                DBInstance writer = world.instance(Topology.PRIMARY_REGION, name + "-db-g1");
                assertNull(writer.readReplicaSourceDBInstanceIdentifier(), name + ": the primary region writes again");
            }
            String last = NAMES.get(STORED - 1);
            assertEquals(world.instance(Topology.PRIMARY_REGION, last + "-db-g1").endpoint().address(),
                    world.recordTarget(last + "-db." + Topology.ZONE + "."));
            assertEquals(0, AwsCallRecorder.count("GetParametersByPath"),
                    "Parameter Store was read at start-up only, not by the failover or the failback");
            System.out.printf("PlanParametersIT: %d pairs: failover %d ms, failback %d ms (%d AWS calls)%n",
                    STORED + 1, (failedOver - started) / 1_000_000, (failedBack - reported) / 1_000_000,
                    AwsCallRecorder.calls().size());
        }
    }

    /** Each pair whose run did not complete, with its outcome and reason. */
    private static List<String> notCompleted(JsonPath response) {
        List<String> pairs = response.getList("databases.database");
        List<String> outcomes = response.getList("databases.result.outcome");
        List<String> reasons = response.getList("databases.result.reason");
        return IntStream.range(0, pairs.size()).filter(i -> !"COMPLETED".equals(outcomes.get(i)))
                .mapToObj(i -> pairs.get(i) + " " + outcomes.get(i) + ": " + reasons.get(i)).toList();
    }
}
