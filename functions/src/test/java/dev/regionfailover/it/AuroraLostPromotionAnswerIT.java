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

import dev.regionfailover.tools.Topology;

/**
 * {@link LostPromotionAnswer} for an Aurora global database: FailoverGlobalCluster started by the first attempt,
 * its answer lost, the SDK's retry refused (InvalidGlobalClusterStateFault: "already switching over or failing
 * over"). The operation is ours: the run waits for it and completes.
 */
@QuarkusTest
@WithTestResource(value = EmulatorResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS, initArgs = {
        @ResourceArg(name = "handler", value = "manual-failover"), @ResourceArg(name = "faults", value = "true"),
        @ResourceArg(name = "databaseKind", value = "aurora-global") })
class AuroraLostPromotionAnswerIT {

    private static final String LOSE_THE_NEXT_FAILOVER =
            "{\"loseAnswers\": [{\"service\": \"rds\", \"action\": \"FailoverGlobalCluster\", \"count\": 1}]}";

    @AfterEach
    void endTheFaults() {
        Faults.clear();
    }

    @Test
    void aManagedFailoverWhoseAnswerWasLostIsOursAndTheFailoverCompletes() {
        try (Topology world = EmulatorResource.topology()) {
            Faults.set(LOSE_THE_NEXT_FAILOVER);

            JsonPath response = Lambda.invokeFile("events/manual-failover.json");

            assertEquals(1, Faults.counters().path("faults").path("lost-answer").asInt(), "the answer was lost");
            assertEquals("COMPLETED", response.getString("outcome"), response.prettify());
            assertTrue(world.globalCluster().globalClusterMembers().stream().anyMatch(member -> member.isWriter()
                    && member.dbClusterArn().equals(world.auroraSecondary().dbClusterArn())),
                    "the secondary is the global cluster's writer: " + world.globalCluster().globalClusterMembers());
            assertEquals(world.auroraSecondary().endpoint(), world.recordTarget());
        }
    }
}
