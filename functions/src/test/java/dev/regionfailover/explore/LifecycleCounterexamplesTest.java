package dev.regionfailover.explore;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.regionfailover.config.FailoverConfig;
import dev.regionfailover.event.OperatorCommand;

/**
 * Every history the exploration (LifecycleExplorationTest) shrank to a broken invariant, kept as it was found,
 * each named for what went wrong. docs/safety.md lists them with their fixes.
 */
class LifecycleCounterexamplesTest {

    static {
        java.util.logging.Logger.getLogger("dev.regionfailover").setLevel(java.util.logging.Level.OFF);
    }

    private static void play(FailoverConfig.FailoverMode mode, double lag, Action... actions) {
        play(FailoverConfig.DatabaseKind.RDS_INSTANCE, mode, lag, actions);
    }

    private static void play(FailoverConfig.DatabaseKind kind, FailoverConfig.FailoverMode mode, double lag,
            Action... actions) {
        List<Action> history = List.of(actions);
        new History(History.seedOf(history), kind, mode, lag).play(history);
    }

    /** A plan of ExploredSystem.PAIRS, one mode and starting lag each, as the plan's exploration plays it. */
    private static void playPlan(List<FailoverConfig.FailoverMode> modes, List<Double> lags, Action... actions) {
        List<Action> history = List.of(actions);
        new History(History.seedOf(history), modes, lags).play(history);
    }

    /**
     * Found first, and a fault of the exploration, not of the product: an operator's second order retries the
     * run that FAILED (Lifecycle resumes it), which ends and notifies again. The invariant now allows one
     * notification per ending; this history keeps it honest.
     */
    @Test
    void anOperatorsRetryOfAFailedRunNotifiesItsNewEndingOnce() {
        play(FailoverConfig.FailoverMode.PLANNED_ONLY, 0,
                new Action.Status(false, "backing-up", Duration.ofMinutes(5)),
                new Action.Order(OperatorCommand.Action.FAILOVER, false, true),
                new Action.Order(OperatorCommand.Action.FAILOVER, false, true));
    }

    /**
     * A step failed after the promotion; composing the outcome described the standby through AWS, throttled
     * too, so the invocation threw: no notification, and the lease held for 16 minutes. Fixed: the words fall
     * back to "the standby" (FailoverWorkflow.standbyInWords).
     */
    @Test
    void aThrottledDescribeWhileReportingAFailureStillEndsTheRun() {
        // As found, with throttling at 0.2; written here so that every call after the promotion is throttled.
        play(FailoverConfig.FailoverMode.PLANNED_ONLY, 0,
                new Action.KillAfter(dev.regionfailover.failover.StepName.PROMOTE_REPLICA),
                new Action.Order(OperatorCommand.Action.FAILOVER, false, true),
                new Action.Throttling(1.0),
                new Action.Advance(Duration.ofMinutes(20)),
                new Action.Order(OperatorCommand.Action.FAILOVER, false, true));
    }

    /**
     * The primary region was black-holed, so the fence was skipped with a warning; the invocation was then
     * killed. The run resumed and completed, but its notification dropped the warnings of steps finished in
     * earlier invocations: two unfenced writers, and nobody told. Fixed: a resumed run carries them.
     */
    @Test
    void aResumedRunStillWarnsThatTheOldPrimaryIsUnfenced() {
        play(FailoverConfig.FailoverMode.PLANNED_ONLY, 0,
                new Action.RegionOutage(FakeAws.PRIMARY_REGION, true),
                new Action.KillAfter(dev.regionfailover.failover.StepName.FENCE_OLD_PRIMARY),
                new Action.Order(OperatorCommand.Action.FAILOVER, false, true));
    }

    /**
     * The replica was busy for 40 minutes, then in a status AWS does not document. Each invocation waited its
     * whole bound again, was cut by its deadline, paused, and the next trigger resumed it: a run that never ends.
     * Found with it: an SDK failure acceptor's match carried only its own message, so the step was retried as
     * a transient error. Fixed: a step's waits spend one bound from the step's first start, across invocations
     * (FailoverWorkflow.waitBound), bounded by the clock (Polling.until); Polling.failWhen reads as an outcome.
     */
    @Test
    void aWaitForAChangeThatNeverComesEndsTheRunInsteadOfPausingForever() {
        play(FailoverConfig.FailoverMode.PLANNED_ONLY, 0,
                new Action.Status(false, "backing-up", Duration.ofMinutes(40)),
                new Action.Order(OperatorCommand.Action.FAILOVER, false, true),
                new Action.Status(false, "an-undocumented-status", Duration.ofSeconds(30)));
    }

    /**
     * Found by the plan's exploration: a forced failover of three pairs spent the Lambda's time on the first, so
     * the others paused; a later tick found the first failed over (no failover to do) and resumed the second,
     * which acted and paused again. The plan's answer summed the pairs' outcomes as the first pair's: EVALUATED,
     * "no failover", for a tick that fenced and promoted a database. Fixed: a pair that paused makes the plan's
     * outcome PAUSED (WorkflowResult.across).
     */
    @Test
    void aTickThatResumedOnePairOfAPlanDoesNotAnswerThatItChangedNothing() {
        Action fires = new Action.AlarmFires(0, 1);
        playPlan(List.of(FailoverConfig.FailoverMode.PLANNED_ONLY, FailoverConfig.FailoverMode.PLANNED_ONLY,
                FailoverConfig.FailoverMode.PLANNED_ONLY), List.of(0.0, 0.0, 0.0),
                fires, fires, fires, fires, fires, fires, fires, fires, fires, fires,
                new Action.Order(OperatorCommand.Action.FAILOVER, false, true),
                new Action.Order(OperatorCommand.Action.FAILBACK, false, true));
    }
    /**
     * Approval-required, planned-only: the run asked, was approved (the guard looked again: lag 0), fenced (the
     * primary region black-holed: skipped) and was killed. By the time the next tick resumed it the lag was 10 s,
     * and it promoted: nothing looked at the lag between a resume and PROMOTE_REPLICA, so any run resumed after
     * CHECK_RPO could lose more than its budget. Found with seed 77031. Fixed: a resumed run that has not asked for
     * the promotion yet runs the guard again before it does (FailoverWorkflow.rpoGuardIsStale).
     */
    @Test
    void aRunResumedAfterItsRpoCheckLooksAtTheLagAgainBeforePromoting() {
        List<Action> history = List.of(
                new Action.RegionOutage(FakeAws.PRIMARY_REGION, true),
                new Action.KillAfter(dev.regionfailover.failover.StepName.FENCE_OLD_PRIMARY),
                new Action.SustainedOutage(2),
                new Action.Order(OperatorCommand.Action.APPROVE, false, false, Action.Age.FRESH),
                new Action.Lag(10.0));
        History.approvalRequired(History.seedOf(history), FailoverConfig.DatabaseKind.RDS_INSTANCE,
                FailoverConfig.FailoverMode.PLANNED_ONLY, 0.0).play(history);
    }
}
