package dev.regionfailover.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

import dev.regionfailover.config.FailoverConfig.FailoverMode;
import dev.regionfailover.failover.Lifecycle;
import dev.regionfailover.failover.RunKind;
import dev.regionfailover.failover.RunState;
import dev.regionfailover.failover.Trigger;
import dev.regionfailover.store.JournalStore;

/**
 * A lease write that DynamoDB applied but whose answer was lost (the fault proxy's loseAnswers: moto applies the
 * UpdateItem, the client gets a 503): the SDK retries, the retry fails its condition on our own write, and the
 * store must still know the lease is ours, or the run would not act while holding the plan for the whole lease
 * (16 min). Found by PlanParametersIT on a loaded machine: pairs answered DUPLICATE and never ran. A rival's write
 * on the same version is still refused.
 */
@QuarkusTest
@WithTestResource(value = EmulatorResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS, initArgs = {
        @ResourceArg(name = "handler", value = "manual-failover"), @ResourceArg(name = "faults", value = "true") })
class LostLeaseAnswerIT {

    private static final Instant NOW = Instant.parse("2026-12-03T07:00:00Z");
    private static final String LOSE_THE_NEXT_UPDATE =
            "{\"loseAnswers\": [{\"service\": \"dynamodb\", \"action\": \"UpdateItem\", \"count\": 1}]}";

    @Inject
    JournalStore journal;

    @AfterEach
    void endTheFaults() {
        Faults.clear();
    }

    private static Lifecycle.RunSpec run(String runId) {
        return new Lifecycle.RunSpec(runId, RunKind.FAILOVER, false, false, FailoverMode.RPO_BOUNDED, 0, "",
                new Trigger(Trigger.Kind.OPERATOR, "manual failover", "alice@example.com"), "test", NOW, false);
    }

    @Test
    void aStartWhoseAnswerWasLostIsOursAndARivalOnTheSameVersionIsStillRefused() {
        JournalStore pair = journal.forPartition("orders-db/lost-start");
        Faults.set(LOSE_THE_NEXT_UPDATE);

        assertTrue(pair.start(run("run-1"), "request-1", 0, NOW), "the lease we wrote is ours");

        assertEquals(1, Faults.counters().path("faults").path("lost-answer").asInt(), "the answer was lost");
        Lifecycle.PlanState state = pair.state();
        assertEquals("run-1", state.run().orElseThrow().runId());
        assertEquals("request-1", state.leaseOwner());
        assertFalse(pair.start(run("run-2"), "request-2", 0, NOW), "a rival that read version 0 loses");
        assertEquals("request-1", pair.state().leaseOwner());
    }

    @Test
    void aResumeWhoseAnswerWasLostIsOurs() {
        JournalStore pair = journal.forPartition("orders-db/lost-resume");
        assertTrue(pair.start(run("run-1"), "request-1", 0, NOW));
        pair.pause("run-1", "request-1", NOW.plusSeconds(60));
        long version = pair.state().version();
        Faults.set(LOSE_THE_NEXT_UPDATE);

        assertTrue(pair.resume("run-1", "request-2", version, NOW.plusSeconds(61)));

        assertEquals("request-2", pair.state().leaseOwner());
        assertFalse(pair.resume("run-1", "request-3", version, NOW.plusSeconds(62)), "a second resumer loses");
    }

    @Test
    void aReleaseWhoseAnswerWasLostIsDone() {
        JournalStore pair = journal.forPartition("orders-db/lost-release");
        assertTrue(pair.start(run("run-1"), "request-1", 0, NOW));
        Faults.set(LOSE_THE_NEXT_UPDATE);

        pair.release("run-1", "request-1", RunKind.FAILOVER, RunState.COMPLETED, NOW.plusSeconds(90));

        Lifecycle.PlanState state = pair.state();
        assertEquals(Lifecycle.Phase.COMPLETED, state.phase());
        assertEquals(null, state.leaseOwner());
        assertThrows(IllegalStateException.class, () -> pair.release("run-1", "request-2", RunKind.FAILOVER,
                RunState.FAILED, NOW.plusSeconds(91)), "another owner's release is still refused");
    }
}
