package dev.regionfailover.failover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.regionfailover.aws.Cadence;

class RtoBreakdownTest {

    private static final Instant FAILING = Instant.parse("2026-12-03T03:00:00Z");
    private static final Instant START = FAILING.plusSeconds(121);
    private static final Duration POLL = Duration.ofSeconds(5);

    private static StepRecord step(StepName name, StepStatus status, double startSeconds, double endSeconds) {
        return new StepRecord(name, status, START.plusMillis((long) (startSeconds * 1000)),
                START.plusMillis((long) (endSeconds * 1000)), "", null);
    }

    @Test
    void anAutomaticFailoverIsBrokenDownPhaseByPhase() {
        RtoBreakdown rto = RtoBreakdown.of(FAILING, START, List.of(
                step(StepName.ACQUIRE_LEASE, StepStatus.DONE, 0, 0.1),
                step(StepName.CHECK_RPO, StepStatus.DONE, 0.1, 0.3),
                step(StepName.FENCE_OLD_PRIMARY, StepStatus.DONE, 0.3, 0.8),
                step(StepName.PROMOTE_REPLICA, StepStatus.DONE, 0.8, 1.2),
                step(StepName.AWAIT_WRITER, StepStatus.DONE, 1.2, 61.2),
                step(StepName.REPOINT_DNS, StepStatus.DONE, 61.2, 61.6)), POLL, Optional.empty());

        assertEquals(new RtoBreakdown(121.0, 1.2, 60.0, 2.5, null, null, 0.4), rto);
        assertEquals("detection 121.0 s, decision 1.2 s, managed operation 60.0 s (of which our notice lag 2.5 s "
                + "expected), DNS switch 0.4 s", rto.describe());
    }

    @Test
    void anOperatorsRunHasNoDetectionAndAPromotionFromAnEarlierInvocationStartsNoManagedOperation() {
        RtoBreakdown rto = RtoBreakdown.of(null, START, List.of(
                step(StepName.PROMOTE_REPLICA, StepStatus.ALREADY_DONE, 0, 0.1),
                step(StepName.AWAIT_WRITER, StepStatus.ALREADY_DONE, 0.1, 0.2),
                step(StepName.REPOINT_DNS, StepStatus.DONE, 0.2, 0.5)), POLL, Optional.empty());

        assertNull(rto.detectionSeconds());
        assertNull(rto.decisionSeconds());
        assertNull(rto.managedOperationSeconds());
        assertEquals(0.3, rto.switchoverSeconds(), 1e-9);
        assertEquals("DNS switch 0.3 s", rto.describe());
    }

    @Test
    void aRunThatStoppedBeforeThePromotionSaysNothingOfIt() {
        RtoBreakdown rto = RtoBreakdown.of(null, START, List.of(step(StepName.CHECK_RPO, StepStatus.REFUSED, 0, 0.2)),
                POLL, Optional.empty());

        assertEquals(new RtoBreakdown(null, null, null, null, null, null, null), rto);
        assertNull(rto.describe());
    }

    @Test
    void aWaitThatAnRdsEventWokeMeasuresItsNoticeLagFromTheEventsTime() {
        Cadence.Told told = new Cadence.Told("RDS-EVENT-0238", START.plusMillis(60_900));
        RtoBreakdown rto = RtoBreakdown.of(null, START, List.of(
                step(StepName.PROMOTE_REPLICA, StepStatus.DONE, 0.8, 1.2),
                step(StepName.AWAIT_WRITER, StepStatus.DONE, 1.2, 61.2),
                step(StepName.REPOINT_DNS, StepStatus.DONE, 61.2, 61.6)), POLL, Optional.of(told));

        assertNull(rto.expectedNoticeLagSeconds(), "measured, not expected");
        assertEquals(0.3, rto.noticeLagSeconds(), 1e-9);
        assertEquals("RDS-EVENT-0238", rto.noticedOn());
        assertEquals("decision 1.2 s, managed operation 60.0 s (noticed 0.30 s after RDS-EVENT-0238), DNS switch "
                + "0.4 s", rto.describe());
    }
}
