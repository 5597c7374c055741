package dev.regionfailover.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;

import dev.regionfailover.event.OperatorCommand;
import dev.regionfailover.failover.Deadline;
import dev.regionfailover.failover.StepBoundaries;
import dev.regionfailover.failover.StepName;
import dev.regionfailover.handler.HandlerResponse;
import dev.regionfailover.service.FailoverService;
import dev.regionfailover.tools.Topology;

/**
 * Resumable: a run cut short at any step boundary (as a Lambda timeout or crash would cut it) is finished by the
 * next trigger from its journal, and every side effect (promotion, DNS change, notification) happens exactly once.
 * Near the invocation's deadline a run saves its place and exits cleanly.
 */
@QuarkusTest
@WithTestResource(value = EmulatorResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS, initArgs = {
        @ResourceArg(name = "handler", value = "manual-failover"), @ResourceArg(name = "leaseSeconds", value = "1") })
class ResumabilityIT {

    @Inject
    FailoverService service;

    /** What a killed invocation looks like from inside: the run stops, nothing is released. */
    static final class Killed extends Error {
        Killed(StepName at) {
            super("invocation killed after " + at, null, false, false);
        }
    }

    /** From now on every invocation dies right after {@code killedAfter}, as a Lambda timeout would cut it. */
    static void killInvocationsAfter(StepName killedAfter) {
        QuarkusMock.installMockForType(new StepBoundaries() {
            @Override
            public void passed(String runId, StepName step) {
                if (step == killedAfter) {
                    throw new Killed(step);
                }
            }
        }, StepBoundaries.class);
    }

    @AfterEach
    void restoreTheWorld() {
        QuarkusMock.installMockForType(new StepBoundaries(), StepBoundaries.class);
        try (Topology world = EmulatorResource.topology()) {
            world.reset(5);
        }
    }

    @ParameterizedTest
    @EnumSource(value = StepName.class, names = { "ACQUIRE_LEASE", "CHECK_RPO", "FENCE_OLD_PRIMARY",
            "PROMOTE_REPLICA", "AWAIT_WRITER", "REPOINT_DNS", "ROUTE_READERS", "NOTIFY" })
    void aRunKilledAtAnyBoundaryIsFinishedByTheNextTriggerWithEverySideEffectOnce(StepName killedAfter)
            throws Exception {
        try (Topology world = EmulatorResource.topology()) {
            AwsCallRecorder.clear();
            killInvocationsAfter(killedAfter);
            assertThrows(Killed.class, () -> failover("first"));
            QuarkusMock.installMockForType(new StepBoundaries(), StepBoundaries.class);
            Thread.sleep(1200); // the dead invocation's lease runs out

            HandlerResponse second = failover("second");

            assertEquals("COMPLETED", second.outcome(), second.reason());
            assertNull(world.replica().readReplicaSourceDBInstanceIdentifier());
            assertEquals(world.replica().endpoint().address(), world.recordTarget());
            assertEquals(1, AwsCallRecorder.count("PromoteReadReplica"), "promotion once");
            assertEquals(1, AwsCallRecorder.count("ChangeResourceRecordSets"), "DNS change once");
            assertEquals(1, AwsCallRecorder.count("Publish"), "notification once");
            assertEquals(1, world.receiveNotifications().size());
        }
    }

    @Test
    void nearTheDeadlineARunSavesItsPlaceAndTheNextTriggerResumesIt() {
        try (Topology world = EmulatorResource.topology()) {
            AwsCallRecorder.clear();
            // 20 s is the margin kept for journaling: this invocation has about half a second of real work left,
            // less than the emulator's one-second promotion.
            HandlerResponse first = service.onOperator(command("first"), Deadline.after(Duration.ofMillis(20_500)),
                    "first");

            assertEquals("PAUSED", first.outcome(), first.reason());
            HandlerResponse second = failover("second");

            assertEquals("COMPLETED", second.outcome(), second.reason());
            assertEquals(1, AwsCallRecorder.count("PromoteReadReplica"));
            assertEquals(world.replica().endpoint().address(), world.recordTarget());
        }
    }

    private HandlerResponse failover(String invocation) {
        return service.onOperator(command(invocation), Deadline.unbounded(), invocation);
    }

    private static OperatorCommand command(String invocation) {
        return new OperatorCommand(OperatorCommand.Action.FAILOVER, "resumability test", false, false, "test",
                "regionfailover.operator", Topology.ACCOUNT, invocation);
    }
}
