package dev.regionfailover.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.restassured.path.json.JsonPath;

import dev.regionfailover.tools.Topology;

/**
 * A promotion that AWS applied but whose answer was lost (the fault proxy's loseAnswers: moto acts, the client gets
 * a 503): the SDK retries, and AWS refuses the retry, because the promotion is ours and under way
 * ({@link LostPromotionAnswerWhileModifyingIT}), already done ({@link LostPromotionAnswerIT}), or a managed
 * failover already failing over ({@link AuroraLostPromotionAnswerIT}). The run must go on to the writer, not end
 * FAILED after having promoted: that left the name on the fenced old primary until a human retried. Found by the
 * fleet benchmark, 200 pairs on a loaded emulator, where attempts timed out after the emulator had applied them.
 * By default an RDS instance pair (PromoteReadReplica); a subclass may name another call and its writer.
 */
abstract class LostPromotionAnswer {

    @AfterEach
    void endTheFaults() {
        Faults.clear();
    }

    /** The promotion call whose answer is lost. */
    String promotionCall() {
        return "PromoteReadReplica";
    }

    /** What shows the failover done: the replica standalone and the name on it. */
    void assertFailedOver(Topology world, JsonPath response) {
        assertEquals("DONE", response.getString("report.steps.find { it.name == 'PROMOTE_REPLICA' }.status"),
                response.prettify());
        assertNull(world.replica().readReplicaSourceDBInstanceIdentifier());
        assertEquals(world.replica().endpoint().address(), world.recordTarget());
    }

    @Test
    void aPromotionWhoseAnswerWasLostIsOursAndTheFailoverCompletes() {
        try (Topology world = EmulatorResource.topology()) {
            Faults.set("{\"loseAnswers\": [{\"service\": \"rds\", \"action\": \"" + promotionCall()
                    + "\", \"count\": 1}]}");

            JsonPath response = Lambda.invokeFile("events/manual-failover.json");

            assertEquals(1, Faults.counters().path("faults").path("lost-answer").asInt(), "the answer was lost");
            assertEquals("COMPLETED", response.getString("outcome"), response.prettify());
            assertFailedOver(world, response);
        }
    }
}
