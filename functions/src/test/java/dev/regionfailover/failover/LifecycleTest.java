package dev.regionfailover.failover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.regionfailover.config.FailoverConfig.FailoverMode;
import dev.regionfailover.failover.Lifecycle.Decision;
import dev.regionfailover.failover.Lifecycle.Order;
import dev.regionfailover.failover.Lifecycle.Phase;
import dev.regionfailover.failover.Lifecycle.PlanState;
import dev.regionfailover.failover.Lifecycle.RunSpec;

/** The transition table of the README, row by row: phase x order kind -> decision. */
class LifecycleTest {

    private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");

    static RunSpec run(RunKind kind) {
        return new RunSpec("run-0", kind, false, kind == RunKind.FAILBACK, FailoverMode.RPO_BOUNDED, 0, "pair",
                new Trigger(Trigger.Kind.ALARM, "alarm", "cloudwatch"), "verdict FAILED", NOW.minusSeconds(600), false);
    }

    private static PlanState state(String phase, RunKind kind) {
        return switch (phase) {
            case "IDLE" -> PlanState.initial();
            case "IDLE_COOLING" -> new PlanState(Phase.IDLE, Optional.of(run(RunKind.FAILBACK)), null, Instant.EPOCH,
                    NOW.plusSeconds(60), false, 1, 5);
            case "RUNNING_LIVE" -> new PlanState(Phase.RUNNING, Optional.of(run(kind)), "owner", NOW.plusSeconds(60),
                    Instant.EPOCH, false, 0, 5);
            case "RUNNING_EXPIRED" -> new PlanState(Phase.RUNNING, Optional.of(run(kind)), "owner", NOW,
                    Instant.EPOCH, false, 0, 5);
            default -> new PlanState(Phase.valueOf(phase), Optional.of(run(kind)), null, Instant.EPOCH,
                    Instant.EPOCH, false, 0, 5);
        };
    }

    private static Order order(Order.Kind kind) {
        return switch (kind) {
            case AUTOMATIC_FAILED -> Order.automatic(true);
            case AUTOMATIC_NOT_FAILED -> Order.automatic(false);
            case OPERATOR_FAILOVER -> Order.operator(RunKind.FAILOVER, false, true);
            case OPERATOR_FAILBACK -> Order.operator(RunKind.FAILBACK, true, false);
            case RDS_OUTCOME -> Order.rdsOutcome();
            case OPERATOR_APPROVAL -> Order.approval();
        };
    }

    @ParameterizedTest(name = "{0} ({1} run) x {2} -> {3}")
    @CsvSource({
            "IDLE,            FAILOVER, AUTOMATIC_FAILED,     Start",
            "IDLE_COOLING,    FAILOVER, AUTOMATIC_FAILED,     CoolingDown",
            "IDLE,            FAILOVER, AUTOMATIC_NOT_FAILED, NoFailover",
            "IDLE_COOLING,    FAILOVER, OPERATOR_FAILOVER,    Start",
            "IDLE,            FAILOVER, OPERATOR_FAILBACK,    Refuse",
            "IDLE,            FAILOVER, RDS_OUTCOME,          NothingToResume",
            "RUNNING_LIVE,    FAILOVER, AUTOMATIC_FAILED,     Duplicate",
            "RUNNING_LIVE,    FAILBACK, OPERATOR_FAILOVER,    Duplicate",
            "RUNNING_LIVE,    FAILOVER, RDS_OUTCOME,          Duplicate",
            "RUNNING_EXPIRED, FAILOVER, AUTOMATIC_FAILED,     Resume",
            "RUNNING_EXPIRED, FAILBACK, AUTOMATIC_NOT_FAILED, Resume",
            "RUNNING_EXPIRED, FAILBACK, AUTOMATIC_FAILED,     Resume",
            "RUNNING_EXPIRED, FAILBACK, OPERATOR_FAILOVER,    Resume",
            "RUNNING_EXPIRED, FAILOVER, OPERATOR_FAILBACK,    Resume",
            "RUNNING_EXPIRED, FAILBACK, RDS_OUTCOME,          Resume",
            "COMPLETED,       FAILOVER, AUTOMATIC_FAILED,     AlreadyDone",
            "COMPLETED,       FAILOVER, AUTOMATIC_NOT_FAILED, NoFailover",
            "COMPLETED,       FAILOVER, OPERATOR_FAILOVER,    AlreadyDone",
            "COMPLETED,       FAILOVER, OPERATOR_FAILBACK,    Start",
            "COMPLETED,       FAILOVER, RDS_OUTCOME,          NothingToResume",
            "FAILED,          FAILOVER, AUTOMATIC_FAILED,     NeedsOperator",
            "FAILED,          FAILOVER, AUTOMATIC_NOT_FAILED, NoFailover",
            "FAILED,          FAILOVER, OPERATOR_FAILOVER,    Resume",
            "FAILED,          FAILOVER, OPERATOR_FAILBACK,    Refuse",
            "FAILED,          FAILBACK, OPERATOR_FAILBACK,    Resume",
            "FAILED,          FAILBACK, OPERATOR_FAILOVER,    Refuse",
            "FAILED,          FAILBACK, RDS_OUTCOME,          NothingToResume",
            // an approval only lets a run under way go on
            "IDLE,            FAILOVER, OPERATOR_APPROVAL,    Refuse",
            "IDLE_COOLING,    FAILOVER, OPERATOR_APPROVAL,    Refuse",
            "RUNNING_LIVE,    FAILOVER, OPERATOR_APPROVAL,    Duplicate",
            "RUNNING_EXPIRED, FAILOVER, OPERATOR_APPROVAL,    Resume",
            "COMPLETED,       FAILOVER, OPERATOR_APPROVAL,    Refuse",
            "FAILED,          FAILOVER, OPERATOR_APPROVAL,    Refuse"})
    void theTable(String phase, RunKind runKind, Order.Kind orderKind, String decision) {
        Decision decided = Lifecycle.decide(state(phase, runKind), order(orderKind), NOW);
        assertEquals(decision, decided.getClass().getSimpleName(), Lifecycle.describe(decided));
    }

    /** Issue 10, first example: a paused failback picked up by the schedule stays a failback, with its flags. */
    @Test
    void aPausedFailbackResumedByAScheduledEvaluationIsStillThatFailback() {
        PlanState paused = state("RUNNING_EXPIRED", RunKind.FAILBACK);
        Decision decided = Lifecycle.decide(paused, Order.automatic(false), NOW);
        Decision.Resume resume = assertInstanceOf(Decision.Resume.class, decided);
        assertSame(paused.run().orElseThrow(), resume.run());
        assertEquals(RunKind.FAILBACK, resume.run().kind());
        assertTrue(resume.run().planned());
    }

    @Test
    void aForcedOperatorOrderDoesNotForceTheRunItResumes() {
        Decision decided = Lifecycle.decide(state("FAILED", RunKind.FAILOVER),
                Order.operator(RunKind.FAILOVER, false, true), NOW);
        assertEquals(false, assertInstanceOf(Decision.Resume.class, decided).run().force());
    }

    @Test
    void theFirstCooldownRefusalIsToldAndTheNextIsNot() {
        PlanState cooling = state("IDLE_COOLING", RunKind.FAILOVER);
        assertTrue(assertInstanceOf(Decision.CoolingDown.class, Lifecycle.decide(cooling, Order.automatic(true), NOW))
                .firstRefusal());
        PlanState told = new PlanState(Phase.IDLE, cooling.run(), null, Instant.EPOCH, cooling.cooldownUntil(), true,
                1, 6);
        assertEquals(false, assertInstanceOf(Decision.CoolingDown.class,
                Lifecycle.decide(told, Order.automatic(true), NOW)).firstRefusal());
    }
}
