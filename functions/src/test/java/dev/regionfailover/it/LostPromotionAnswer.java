package dev.regionfailover.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.restassured.path.json.JsonPath;

import dev.regionfailover.tools.Topology;

/**
 * A PromoteReadReplica that RDS applied but whose answer was lost (the fault proxy's loseAnswers: moto promotes,
 * the client gets a 503): the SDK retries, and RDS refuses the retry with InvalidDBInstanceState, because the
 * replica is ours and promoting ({@link LostPromotionAnswerWhileModifyingIT}) or already promoted
 * ({@link LostPromotionAnswerIT}). The run must go on to the writer, not end FAILED after having promoted: that
 * left the name on the fenced old primary until a human retried. Found by the fleet benchmark, 200 pairs on a loaded
 * emulator, where attempts timed out after the emulator had applied them.
 */
abstract class LostPromotionAnswer {

    private static final String LOSE_THE_NEXT_PROMOTION =
            "{\"loseAnswers\": [{\"service\": \"rds\", \"action\": \"PromoteReadReplica\", \"count\": 1}]}";

    @AfterEach
    void endTheFaults() {
        Faults.clear();
    }

    @Test
    void aPromotionWhoseAnswerWasLostIsOursAndTheFailoverCompletes() {
        try (Topology world = EmulatorResource.topology()) {
            Faults.set(LOSE_THE_NEXT_PROMOTION);

            JsonPath response = Lambda.invokeFile("events/manual-failover.json");

            assertEquals(1, Faults.counters().path("faults").path("lost-answer").asInt(), "the answer was lost");
            assertEquals("COMPLETED", response.getString("outcome"), response.prettify());
            assertEquals("DONE", response.getString("report.steps.find { it.name == 'PROMOTE_REPLICA' }.status"),
                    response.prettify());
            assertNull(world.replica().readReplicaSourceDBInstanceIdentifier());
            assertEquals(world.replica().endpoint().address(), world.recordTarget());
        }
    }
}
