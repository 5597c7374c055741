package dev.regionfailover.failover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.RETURNS_DEEP_STUBS;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

import dev.regionfailover.config.FailoverConfig;
import dev.regionfailover.database.DatabaseGateway;
import dev.regionfailover.config.DatabasePair;
import dev.regionfailover.config.PlanPairs;
import dev.regionfailover.database.DatabasePairs;
import dev.regionfailover.dns.DnsGateways;
import dev.regionfailover.database.DatabaseState;
import dev.regionfailover.dns.DnsGateway;
import dev.regionfailover.dns.ReaderRecords;
import dev.regionfailover.dns.ReaderRecords.Route;
import dev.regionfailover.notify.Notifier;
import dev.regionfailover.health.HealthStatus;
import dev.regionfailover.health.Verdict;
import dev.regionfailover.store.JournalStore;

class FailoverWorkflowTest {

    private static final String PRIMARY = "us-east-1";
    private static final DnsGateway.Side STANDBY_SIDE = DnsGateway.Side.STANDBY;
    private static final String STANDBY = "us-west-2";
    private static final DatabaseState REPLICA = new DatabaseState("db-replica", STANDBY, "available",
            "db-replica.west.example", "arn:aws:rds:us-east-1:1:db:db", List.of("sg-app"));
    private static final DatabaseState WRITER = new DatabaseState("db-replica", STANDBY, "available",
            "db-replica.west.example", null, List.of("sg-app"));
    private static final DatabaseState OLD_PRIMARY = new DatabaseState("db", PRIMARY, "stopped", "db.east.example", null,
            List.of("sg-app"));

    private final FailoverWorkflow workflow = new FailoverWorkflow();
    private final FailoverConfig config = mock(FailoverConfig.class, RETURNS_DEEP_STUBS);
    private final DatabaseGateway database = mock(DatabaseGateway.class);
    private final DatabasePairs pairs = mock(DatabasePairs.class);
    private final PlanPairs planPairs = mock(PlanPairs.class);
    private final DnsGateways dnsGateways = mock(DnsGateways.class);
    private static final DatabasePair PAIR = new DatabasePair("plan", FailoverConfig.DatabaseKind.RDS_INSTANCE,
            PRIMARY, Optional.of("db"), STANDBY, Optional.of("db-replica"), Optional.empty(),
            new DatabasePair.Dns("Z1", "db.example.internal", 60, FailoverConfig.DnsStrategy.RECORD_UPDATE,
                    Optional.empty(), Optional.empty()),
            List.of("sg-fence"), "plan", FailoverConfig.FailoverMode.RPO_BOUNDED);
    private final DnsGateway dns = mock(DnsGateway.class);
    private final Notifier notifier = mock(Notifier.class);
    private final JournalStore journal = mock(JournalStore.class);

    /** An alarm whose evaluation found the primary FAILED: the lifecycle lets it start a failover. */
    private static final Verdict FAILED = new Verdict(HealthStatus.FAILED, List.of(), 2, 2, 3, 3, Instant.EPOCH,
            Duration.ofMinutes(2), Duration.ofMinutes(2));
    private final FailoverRequest alarm = new FailoverRequest(
            new Trigger(Trigger.Kind.ALARM, "alarm entered ALARM", "cloudwatch"), "health verdict FAILED", false, false,
            FAILED);

    @BeforeEach
    void wire() {
        workflow.config = config;
        workflow.pairs = pairs;
        workflow.boundaries = new StepBoundaries();
        workflow.retryPause = new RetryPause();
        workflow.planPairs = planPairs;
        workflow.dnsGateways = dnsGateways;
        when(planPairs.all()).thenReturn(List.of(PAIR));
        when(dnsGateways.forPair(any())).thenReturn(dns);
        when(journal.forPartition(anyString())).thenReturn(journal);
        when(pairs.at(any(), anyInt())).thenReturn(database);
        workflow.notifier = notifier;
        workflow.journal = journal;
        workflow.topology = mock(dev.regionfailover.topology.TopologyPublisher.class);
        workflow.clock = java.time.Clock.systemUTC();
        when(config.plan()).thenReturn("plan");
        when(config.primary().region()).thenReturn(PRIMARY);
        when(config.standby().region()).thenReturn(STANDBY);
        when(config.databaseKind()).thenReturn(FailoverConfig.DatabaseKind.RDS_INSTANCE);
        when(config.fence().securityGroupIds()).thenReturn(Optional.of(List.of("sg-fence")));
        when(config.dns().recordName()).thenReturn("db.example.internal");
        when(config.dns().ttl()).thenReturn(60L);
        when(config.rpo().maxLagSeconds()).thenReturn(60L);
        when(config.rpo().lagWindow()).thenReturn(Duration.ofMinutes(5));
        // short, so that a mocked database that never gets there fails the test in seconds
        when(config.timeouts().promotion()).thenReturn(Duration.ofSeconds(10));
        when(config.timeouts().dnsSync()).thenReturn(Duration.ofMinutes(2));
        when(config.timeouts().pollInterval()).thenReturn(Duration.ofSeconds(1));
        when(config.notification().topicArn()).thenReturn("arn:aws:sns:us-west-2:1:topic");
        when(journal.state()).thenReturn(Lifecycle.PlanState.initial());
        when(journal.start(any(), anyString(), anyLong(), any())).thenReturn(true);
        when(journal.resume(anyString(), anyString(), anyLong(), any())).thenReturn(true);
        when(database.describePair()).thenReturn("the pair");
        when(database.primary()).thenReturn(OLD_PRIMARY);
        when(database.lagSeconds(any())).thenReturn(OptionalDouble.of(5));
        when(dns.currentTarget()).thenReturn(Optional.of("db.east.example"));
        when(dns.describe()).thenReturn("CNAME db.example.internal");
        when(dns.sendClientsTo(eq(STANDBY_SIDE), anyString(), anyString())).thenReturn("change-1");
    }

    @Test
    void aFailoverRunsEveryStepOnceAndReleasesTheLeaseCompleted() {
        when(database.standby()).thenReturn(REPLICA);
        when(database.awaitWriter(any(), any())).thenReturn(WRITER);

        WorkflowResult result = run(alarm);

        assertEquals(WorkflowResult.Outcome.COMPLETED, result.outcome(), result.reason());
        assertEquals(List.of(StepStatus.DONE, StepStatus.DONE, StepStatus.DONE, StepStatus.DONE, StepStatus.DONE,
                StepStatus.DONE, StepStatus.SKIPPED, StepStatus.DONE), statuses(result));
        assertNull(result.report().readerChanges(), "no reader name, no reader changes");
        verify(database).fencePrimary(List.of("sg-fence"));
        verify(database).promote(false);
        verify(dns).sendClientsTo(eq(STANDBY_SIDE), eq("db-replica.west.example"), anyString());
        verify(dns).awaitInSync(eq("change-1"), any(), any());
        verify(notifier).publish(any());
        verify(journal).release(anyString(), eq("owner"), eq(RunKind.FAILOVER), eq(RunState.COMPLETED), any(Instant.class));
        // the topology is published after the lease is released, once the lifecycle says where the writer is
        org.mockito.InOrder afterRelease = org.mockito.Mockito.inOrder(journal, workflow.topology);
        afterRelease.verify(journal).release(anyString(), eq("owner"), eq(RunKind.FAILOVER), eq(RunState.COMPLETED),
                any(Instant.class));
        afterRelease.verify(workflow.topology).afterRun(PAIR, result.report().runId(), RunKind.FAILOVER,
                RunState.COMPLETED);
        assertEquals(5.0, result.report().dataLossWindowSeconds());
    }

    @Test
    void aSecondRunFindsEveryEffectInPlaceAndChangesNothing() {
        when(database.standby()).thenReturn(WRITER);
        when(database.primary()).thenReturn(new DatabaseState("db", PRIMARY, "stopped", null, null,
                List.of("sg-fence")));
        when(dns.sendsClientsTo(STANDBY_SIDE, "db-replica.west.example")).thenReturn(true);

        WorkflowResult result = run(alarm);

        assertEquals(WorkflowResult.Outcome.COMPLETED, result.outcome());
        assertEquals(List.of(StepStatus.DONE, StepStatus.ALREADY_DONE, StepStatus.ALREADY_DONE,
                StepStatus.ALREADY_DONE, StepStatus.ALREADY_DONE, StepStatus.ALREADY_DONE, StepStatus.SKIPPED,
                StepStatus.DONE), statuses(result));
        verify(database, never()).promote(anyBoolean());
        verify(database, never()).fencePrimary(any());
        verify(dns, never()).sendClientsTo(any(), anyString(), anyString());
    }

    @Test
    void aTriggerWhileAnotherRunHoldsTheLeaseIsADuplicateThatTouchesNothing() {
        when(journal.state()).thenReturn(state(Lifecycle.Phase.RUNNING, RunKind.FAILOVER, "run-0",
                Instant.now().plusSeconds(600)));

        WorkflowResult result = run(alarm);

        assertEquals(WorkflowResult.Outcome.DUPLICATE, result.outcome());
        assertTrue(result.reason().contains("run-0"));
        verifyNoInteractions(database, dns, notifier);
    }

    @Test
    void afterAFailedRunOnlyAnOperatorMayResume() {
        when(journal.state()).thenReturn(state(Lifecycle.Phase.FAILED, RunKind.FAILOVER, "run-0", Instant.EPOCH));

        assertEquals(WorkflowResult.Outcome.NEEDS_OPERATOR, run(alarm).outcome());
        verifyNoInteractions(database, dns, notifier);
    }

    @Test
    void lagOverTheBudgetIsRefusedAndNotified() {
        when(database.standby()).thenReturn(REPLICA);
        when(database.lagSeconds(any())).thenReturn(OptionalDouble.of(120));

        WorkflowResult result = run(alarm);

        assertEquals(WorkflowResult.Outcome.REFUSED, result.outcome());
        assertTrue(result.reason().contains("replica lag 120s, budget 60s"), result.reason());
        verify(database, never()).promote(anyBoolean());
        ArgumentCaptor<FailoverReport> report = ArgumentCaptor.forClass(FailoverReport.class);
        verify(notifier).publish(report.capture());
        assertEquals(RunState.REFUSED, report.getValue().state());
        verify(journal).release(anyString(), eq("owner"), eq(RunKind.FAILOVER), eq(RunState.REFUSED), any(Instant.class));
        verify(workflow.topology).afterRun(PAIR, report.getValue().runId(), RunKind.FAILOVER, RunState.REFUSED);
    }

    @Test
    void unknownLagIsRefusedUnlessForced() {
        when(database.standby()).thenReturn(REPLICA);
        when(database.awaitWriter(any(), any())).thenReturn(WRITER);
        when(database.lagSeconds(any())).thenReturn(OptionalDouble.empty());

        assertEquals(WorkflowResult.Outcome.REFUSED, run(alarm).outcome());
        FailoverRequest forced = new FailoverRequest(new Trigger(Trigger.Kind.OPERATOR, "manual", "alice"), "drill",
                true, false, null);
        WorkflowResult result = run(forced);
        assertEquals(WorkflowResult.Outcome.COMPLETED, result.outcome());
        assertTrue(result.report().warnings().get(0).contains("data loss unbounded"));
    }

    @Test
    void aFailedPromotionEndsTheRunFailedWithANotificationNamingTheStep() {
        when(database.standby()).thenReturn(REPLICA);
        org.mockito.Mockito.doThrow(new IllegalStateException("AccessDenied")).when(database)
                .promote(false);

        WorkflowResult result = run(alarm);

        assertEquals(WorkflowResult.Outcome.FAILED, result.outcome());
        assertTrue(result.reason().startsWith("failed at PROMOTE_REPLICA"), result.reason());
        verify(dns, never()).sendClientsTo(any(), anyString(), anyString());
        ArgumentCaptor<FailoverReport> report = ArgumentCaptor.forClass(FailoverReport.class);
        verify(notifier).publish(report.capture());
        assertEquals(RunState.FAILED, report.getValue().state());
        verify(journal).release(anyString(), eq("owner"), eq(RunKind.FAILOVER), eq(RunState.FAILED), any(Instant.class));
    }

    @Test
    void aPromotionAlreadyUnderWayIsNotStartedAgain() {
        when(database.standby()).thenReturn(new DatabaseState("db-replica", STANDBY, "modifying",
                "db-replica.west.example", "arn", List.of()));
        when(database.promotionUnderWay(any())).thenReturn(true);
        when(database.awaitWriter(any(), any())).thenReturn(WRITER);

        WorkflowResult result = run(alarm);

        assertEquals(WorkflowResult.Outcome.COMPLETED, result.outcome(), result.reason());
        assertEquals(StepStatus.ALREADY_DONE, result.report().steps().get(3).status());
        assertTrue(result.report().steps().get(3).detail().contains("already under way"));
        verify(database, never()).promote(anyBoolean());
    }

    @Test
    void aPlannedSwitchoverNeedsZeroLagAndAsksForAPlannedPromotion() {
        when(database.standby()).thenReturn(REPLICA);
        when(database.awaitWriter(any(), any())).thenReturn(WRITER);
        FailoverRequest switchover = new FailoverRequest(new Trigger(Trigger.Kind.OPERATOR, "switchover", "alice"),
                "maintenance", false, true, null);

        assertEquals(WorkflowResult.Outcome.REFUSED, run(switchover).outcome(), "lag 5 s is not zero");
        when(database.lagSeconds(any())).thenReturn(OptionalDouble.of(0));
        assertEquals(WorkflowResult.Outcome.COMPLETED, run(switchover).outcome());
        verify(database).promote(true);
    }

    @Test
    void anRdsEventOnlyResumesARunningFailover() {
        FailoverRequest event = new FailoverRequest(new Trigger(Trigger.Kind.RDS_EVENT, "RDS-EVENT-0238", "aws.rds"),
                "completed", false, false, null);

        assertEquals(WorkflowResult.Outcome.NOTHING_TO_RESUME, run(event).outcome());
        verifyNoInteractions(database, dns, notifier);
    }

    @Test
    void anUnreachableOldPrimaryIsSkippedWithAWarningAndTheFailoverGoesOn() {
        when(database.standby()).thenReturn(REPLICA);
        when(database.primary()).thenThrow(new RuntimeException("connect timed out"));
        when(database.awaitWriter(any(), any())).thenReturn(WRITER);

        WorkflowResult result = run(alarm);

        assertEquals(WorkflowResult.Outcome.COMPLETED, result.outcome());
        assertEquals(StepStatus.SKIPPED, result.report().steps().get(2).status());
        assertTrue(result.report().warnings().get(0).contains("could not be fenced"));
    }

    @Test
    void aResumedRunPassesOverTheStepsItsJournalShowsFinished() {
        when(journal.state()).thenReturn(state(Lifecycle.Phase.RUNNING, RunKind.FAILOVER, "run-1", Instant.EPOCH));
        // within the wait's bound (10 s here): the open step's bound runs from its first start
        Instant then = Instant.now().minusSeconds(2);
        pausedInAwaitWriter(then);
        when(database.standby()).thenReturn(REPLICA);
        when(database.awaitWriter(any(), any())).thenReturn(WRITER);

        WorkflowResult result = run(alarm);

        assertEquals(WorkflowResult.Outcome.COMPLETED, result.outcome());
        verify(database, never()).promote(anyBoolean());
        verify(database, never()).fencePrimary(any());
        verify(database).awaitWriter(any(), any());
    }

    /** The journal of run-1, paused while it waited for the writer, every step before it finished at {@code then}. */
    private void pausedInAwaitWriter(Instant then) {
        when(journal.steps("run-1")).thenReturn(List.of(
                new StepRecord(StepName.CHECK_RPO, StepStatus.DONE, then, then, "ok", null),
                new StepRecord(StepName.FENCE_OLD_PRIMARY, StepStatus.DONE, then, then, "fenced", null),
                new StepRecord(StepName.PROMOTE_REPLICA, StepStatus.DONE, then, then, "accepted", null),
                new StepRecord(StepName.AWAIT_WRITER, StepStatus.IN_PROGRESS, then, null, "started", null)));
    }

    /** A step left open by an earlier invocation has spent its bound: it ends the run, it does not wait again. */
    @Test
    void aResumedWaitWhoseBoundHasPassedEndsTheRun() {
        when(journal.state()).thenReturn(state(Lifecycle.Phase.RUNNING, RunKind.FAILOVER, "run-1", Instant.EPOCH));
        Instant then = Instant.now().minusSeconds(60);
        pausedInAwaitWriter(then);
        when(database.standby()).thenReturn(REPLICA);

        WorkflowResult result = run(alarm);

        assertEquals(WorkflowResult.Outcome.FAILED, result.outcome());
        assertTrue(result.reason().contains("has waited its whole bound of 10 s"), result.reason());
        verify(database, never()).awaitWriter(any(), any());
    }

    @Test
    void aDryRunObservesEveryStepAndActsOnNone() {
        when(database.standby()).thenReturn(REPLICA);

        WorkflowResult result = workflow.plan(alarm);

        assertEquals(WorkflowResult.Outcome.DRY_RUN, result.outcome());
        assertEquals(List.of(StepStatus.PLANNED, StepStatus.PLANNED, StepStatus.PLANNED, StepStatus.PLANNED,
                StepStatus.PLANNED, StepStatus.PLANNED, StepStatus.SKIPPED, StepStatus.PLANNED), statuses(result));
        assertTrue(result.report().steps().get(1).detail().contains("within budget"));
        verify(journal, never()).start(any(), anyString(), anyLong(), any());
        verify(journal, never()).recordStep(anyString(), anyInt(), any());
        verify(database, never()).promote(anyBoolean());
        verify(database, never()).fencePrimary(any());
        verify(dns, never()).sendClientsTo(any(), anyString(), anyString());
        verifyNoInteractions(notifier);
    }

    @Test
    void aFailbackRunsItsStepsOnTheReversedPairAndReleasesTheLeaseAsAFailback() {
        DatabaseGateway reversed = mock(DatabaseGateway.class);
        DatabaseGateway next = mock(DatabaseGateway.class);
        when(database.reversed()).thenReturn(reversed);
        when(reversed.describePair()).thenReturn("the pair");
        failedOver();
        when(pairs.next(any(), anyInt())).thenReturn(next);
        DatabaseState failbackReplica = new DatabaseState("db-g1", PRIMARY, "available", "db-g1.east.example",
                "arn:aws:rds:us-west-2:1:db:db-replica", List.of("sg-app"));
        when(reversed.standbyExists()).thenReturn(false);
        when(reversed.standby()).thenReturn(failbackReplica);
        when(reversed.primary()).thenReturn(WRITER);
        when(reversed.lagSeconds(any())).thenReturn(OptionalDouble.of(0));
        when(reversed.awaitWriter(any(), any())).thenReturn(new DatabaseState("db-g1", PRIMARY, "available",
                "db-g1.east.example", null, List.of("sg-app")));
        when(next.standbyExists()).thenReturn(false);
        when(next.standby()).thenReturn(REPLICA);
        when(dns.sendClientsTo(eq(DnsGateway.Side.PRIMARY), anyString(), anyString())).thenReturn("change-2");

        WorkflowResult result = run(failback());

        assertEquals(WorkflowResult.Outcome.COMPLETED, result.outcome(), result.reason());
        assertEquals(RunKind.FAILBACK, result.report().kind());
        verify(reversed).createStandby();
        verify(reversed).fencePrimary(List.of("sg-fence"));
        verify(reversed).promote(true);
        verify(dns).sendClientsTo(eq(DnsGateway.Side.PRIMARY), eq("db-g1.east.example"), anyString());
        verify(next).createStandby();
        verify(database, never()).promote(anyBoolean());
        verify(journal).release(anyString(), eq("owner"), eq(RunKind.FAILBACK), eq(RunState.COMPLETED),
                any(Instant.class));
    }

    @Test
    void aFailbackReArmsTheNameForTheNewStandbyWhenItDoesNotNameItYet() {
        DatabaseGateway next = failbackResumedAfterTheRebuild();
        when(next.standby()).thenReturn(new DatabaseState("db-replica-g1", STANDBY, "available",
                "db-replica-g1.west.example", "db-g1", List.of()));
        when(dns.armedFor("db-replica-g1.west.example")).thenReturn(false);
        when(dns.armFor(eq("db-replica-g1.west.example"), anyString())).thenReturn("change-3");

        WorkflowResult result = run(failback());

        assertEquals(WorkflowResult.Outcome.COMPLETED, result.outcome(), result.reason());
        assertEquals(StepStatus.DONE, step(result, StepName.REARM_DNS).status());
        verify(dns).awaitInSync(eq("change-3"), any(), any());
        List<StepName> order = result.report().steps().stream().map(StepRecord::name).toList();
        assertTrue(order.indexOf(StepName.AWAIT_STANDBY_REPLICA) < order.indexOf(StepName.REARM_DNS),
                "armed for the new standby once it is available: " + order);
    }

    @Test
    void aFailbackLiftsAnEarlierFenceFromItsTargetWhileItIsAReplicaBeforePromotingIt() {
        DatabaseGateway reversed = mock(DatabaseGateway.class);
        when(database.reversed()).thenReturn(reversed);
        when(reversed.describePair()).thenReturn("the pair");
        failedOver();
        DatabaseGateway next = mock(DatabaseGateway.class);
        when(pairs.next(any(), anyInt())).thenReturn(next);
        DatabaseState fencedSecondary = new DatabaseState("east", PRIMARY, "available", "east.example", "global",
                List.of("sg-fence"));
        when(reversed.standbyExists()).thenReturn(true);
        when(reversed.standby()).thenReturn(fencedSecondary);
        when(reversed.standbyFencedFrom()).thenReturn(Optional.of(List.of("sg-app")));
        when(reversed.primary()).thenReturn(WRITER);
        when(reversed.lagSeconds(any())).thenReturn(OptionalDouble.of(0));
        when(reversed.awaitWriter(any(), any())).thenReturn(new DatabaseState("east", PRIMARY, "available",
                "east.example", null, List.of("sg-app")));
        when(next.standbyExists()).thenReturn(true);
        when(next.standby()).thenReturn(REPLICA);

        WorkflowResult result = run(failback());

        assertEquals(WorkflowResult.Outcome.COMPLETED, result.outcome(), result.reason());
        assertEquals(StepStatus.DONE, step(result, StepName.UNFENCE_FAILBACK_TARGET).status());
        assertTrue(step(result, StepName.UNFENCE_FAILBACK_TARGET).detail().contains("back into security groups "
                + "[sg-app]"), step(result, StepName.UNFENCE_FAILBACK_TARGET).detail());
        org.mockito.InOrder inOrder = org.mockito.Mockito.inOrder(reversed);
        inOrder.verify(reversed).liftStandbyFence();
        inOrder.verify(reversed).promote(true);
        verify(next, never()).liftStandbyFence();
    }

    @Test
    void aFencedDatabaseThatIsNotAReplicaKeepsItsFenceAndTheFailbackStops() {
        DatabaseGateway reversed = mock(DatabaseGateway.class);
        when(database.reversed()).thenReturn(reversed);
        when(reversed.describePair()).thenReturn("the pair");
        failedOver();
        when(pairs.next(any(), anyInt())).thenReturn(mock(DatabaseGateway.class));
        when(reversed.standbyExists()).thenReturn(true);
        // a writer now (say, promoted by hand since the replica was prepared), and still carrying the fence
        when(reversed.standby()).thenReturn(new DatabaseState("east", PRIMARY, "available", "east.example", null,
                List.of("sg-fence")));
        when(reversed.standbyFencedFrom()).thenReturn(Optional.of(List.of("sg-app")));
        when(reversed.primary()).thenReturn(WRITER);
        resumedAfter(StepName.PREPARE_FAILBACK_REPLICA, StepName.AWAIT_FAILBACK_REPLICA);

        WorkflowResult result = run(failback());

        assertEquals(WorkflowResult.Outcome.FAILED, result.outcome(), result.reason());
        assertTrue(result.reason().startsWith("failed at UNFENCE_FAILBACK_TARGET: will not lift the fence of east"),
                result.reason());
        verify(reversed, never()).liftStandbyFence();
        verify(reversed, never()).promote(anyBoolean());
    }

    @Test
    void aFailbackWhoseFenceFailsStopsBeforePromoting() {
        DatabaseGateway reversed = mock(DatabaseGateway.class);
        when(database.reversed()).thenReturn(reversed);
        when(reversed.describePair()).thenReturn("the pair");
        failedOver();
        when(pairs.next(any(), anyInt())).thenReturn(mock(DatabaseGateway.class));
        when(reversed.standbyExists()).thenReturn(true);
        when(reversed.standby()).thenReturn(new DatabaseState("db-g1", PRIMARY, "available", "db-g1.east.example",
                "arn", List.of()));
        when(reversed.primary()).thenReturn(WRITER);
        org.mockito.Mockito.doThrow(new IllegalStateException("AccessDenied")).when(reversed).fencePrimary(any());

        WorkflowResult result = run(failback());

        assertEquals(WorkflowResult.Outcome.FAILED, result.outcome());
        assertTrue(result.reason().startsWith("failed at FENCE_OLD_PRIMARY"), result.reason());
        verify(reversed, never()).promote(anyBoolean());
    }

    private static FailoverRequest failback() {
        return new FailoverRequest(new Trigger(Trigger.Kind.OPERATOR, "failback", "alice"), "region recovered",
                false, false, null, RunKind.FAILBACK);
    }

    @Test
    void planedOnlyNeverPromotesAutomaticallyWhenDataCouldBeLostButAnOperatorMay() {
        withMode(FailoverConfig.FailoverMode.PLANNED_ONLY);
        when(database.standby()).thenReturn(REPLICA);
        when(database.awaitWriter(any(), any())).thenReturn(WRITER);

        WorkflowResult automatic = run(alarm);
        assertEquals(WorkflowResult.Outcome.REFUSED, automatic.outcome());
        assertTrue(automatic.reason().contains("planned-only never promotes automatically"), automatic.reason());
        verify(database, never()).promote(anyBoolean());

        FailoverRequest operator = new FailoverRequest(new Trigger(Trigger.Kind.OPERATOR, "manual", "alice"),
                "decided", false, false, null);
        assertEquals(WorkflowResult.Outcome.COMPLETED, run(operator).outcome(), "lag 5 s is within the budget");
    }

    @Test
    void planedOnlyPromotesAutomaticallyWhenNothingCanBeLost() {
        withMode(FailoverConfig.FailoverMode.PLANNED_ONLY);
        when(database.standby()).thenReturn(REPLICA);
        when(database.awaitWriter(any(), any())).thenReturn(WRITER);
        when(database.lagSeconds(any())).thenReturn(OptionalDouble.of(0));

        assertEquals(WorkflowResult.Outcome.COMPLETED, run(alarm).outcome());
    }

    @Test
    void availabilityFirstPromotesOverTheBudgetAndRecordsTheDataLossWindow() {
        withMode(FailoverConfig.FailoverMode.AVAILABILITY_FIRST);
        when(database.standby()).thenReturn(REPLICA);
        when(database.awaitWriter(any(), any())).thenReturn(WRITER);
        when(database.lagSeconds(any())).thenReturn(OptionalDouble.of(120));

        WorkflowResult result = run(alarm);

        assertEquals(WorkflowResult.Outcome.COMPLETED, result.outcome(), result.reason());
        assertEquals(120.0, result.report().dataLossWindowSeconds());
        assertTrue(result.report().warnings().get(0).startsWith("availability-first: up to 120s of writes may be lost"),
                result.report().warnings().toString());
        verify(journal).finishRun(anyString(), eq(RunState.COMPLETED), anyString(), eq(120.0), any());
    }

    @Test
    void availabilityFirstPromotesEvenWithUnknownLag() {
        withMode(FailoverConfig.FailoverMode.AVAILABILITY_FIRST);
        when(database.standby()).thenReturn(REPLICA);
        when(database.awaitWriter(any(), any())).thenReturn(WRITER);
        when(database.lagSeconds(any())).thenReturn(OptionalDouble.empty());

        WorkflowResult result = run(alarm);

        assertEquals(WorkflowResult.Outcome.COMPLETED, result.outcome());
        assertTrue(result.report().warnings().get(0).contains("data loss unbounded"));
    }

    @Test
    void aDryRunSaysWhatEveryModeWouldDo() {
        when(database.standby()).thenReturn(REPLICA);
        when(database.lagSeconds(any())).thenReturn(OptionalDouble.of(120));

        WorkflowResult result = workflow.plan(alarm);

        String detail = result.report().steps().get(1).detail();
        assertEquals(StepStatus.REFUSED, result.report().steps().get(1).status(), detail);
        assertTrue(detail.contains("[mode rpo-bounded; planned-only would refuse; availability-first would pass]"),
                detail);
    }

    private void withMode(FailoverConfig.FailoverMode mode) {
        when(planPairs.all()).thenReturn(List.of(new DatabasePair(PAIR.name(), PAIR.kind(), PAIR.primaryRegion(),
                PAIR.primaryDbInstanceId(), PAIR.standbyRegion(), PAIR.standbyDbInstanceId(),
                PAIR.auroraGlobalClusterId(), PAIR.dns(), PAIR.fenceSecurityGroupIds(), PAIR.journalPartition(), mode)));
    }

    /**
     * Found by the fleet benchmark under injected latency: a pair of a 200-pair plan FAILED (its journal call timed
     * out) and no log line named it; only the plan's summary said "FAILED". Each such pair is logged with its cause.
     */
    @Test
    void aPairWhoseRunThrowsIsReportedFailedAndLoggedWithItsCauseWhileTheOthersGoOn() {
        DatabasePair other = new DatabasePair("other", PAIR.kind(), PAIR.primaryRegion(), Optional.of("db2"),
                PAIR.standbyRegion(), Optional.of("db2-replica"), Optional.empty(), PAIR.dns(),
                PAIR.fenceSecurityGroupIds(), "plan/other", PAIR.mode());
        when(planPairs.all()).thenReturn(List.of(PAIR, other));
        when(config.maxParallelPairs()).thenReturn(2);
        when(journal.forPartition("plan/other")).thenThrow(new IllegalStateException("the journal did not answer"));
        when(database.standby()).thenReturn(REPLICA);
        when(database.awaitWriter(any(), any())).thenReturn(WRITER);
        List<String> logged = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler capture = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                logged.add(record.getLevel() + " " + java.text.MessageFormat.format(String.valueOf(record.getMessage()),
                        record.getParameters() == null ? new Object[0] : record.getParameters()));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger("dev.regionfailover");
        // The explorations turn this logger off for speed (LifecycleCounterexamplesTest), in the same JVM.
        java.util.logging.Level level = logger.getLevel();
        logger.setLevel(java.util.logging.Level.ALL);
        logger.addHandler(capture);
        try {
            WorkflowResult result = run(alarm);

            WorkflowResult failed = result.databases().stream().filter(pair -> pair.database().equals("other"))
                    .findFirst().orElseThrow().result();
            assertEquals(WorkflowResult.Outcome.FAILED, failed.outcome(), failed.reason());
            assertTrue(failed.reason().contains("the journal did not answer"), failed.reason());
            assertEquals(WorkflowResult.Outcome.COMPLETED, result.databases().stream()
                    .filter(pair -> pair.database().equals("plan")).findFirst().orElseThrow().result().outcome());
            assertTrue(logged.stream().anyMatch(line -> line.startsWith("SEVERE") || line.startsWith("ERROR")
                    ? line.contains("pair other FAILED") && line.contains("the journal did not answer") : false),
                    logged.toString());
        } finally {
            logger.removeHandler(capture);
            logger.setLevel(level);
        }
    }

    // ---- reader routing ----------------------------------------------------------------------------------------

    @Test
    void aFailoverWithdrawsTheFailedRegionsReaderAfterTheWriterMovedAndListsTheChanges() {
        ReaderRecords readers = withReaders();
        when(database.standby()).thenReturn(REPLICA);
        when(database.awaitWriter(any(), any())).thenReturn(WRITER);
        List<Route> wanted = List.of(Route.withdraw(PRIMARY), Route.keep(STANDBY));
        when(readers.pending(wanted)).thenReturn(List.of("us-east-1: withdrawn"));
        when(readers.apply(eq(wanted), anyString(), any(), any())).thenReturn(List.of("us-east-1: withdrawn"));

        WorkflowResult result = run(alarm);

        assertEquals(WorkflowResult.Outcome.COMPLETED, result.outcome(), result.reason());
        List<StepName> order = result.report().steps().stream().map(StepRecord::name).toList();
        assertEquals(order.indexOf(StepName.REPOINT_DNS) + 1, order.indexOf(StepName.ROUTE_READERS),
                "the writer moves first: " + order);
        assertEquals(StepStatus.DONE, step(result, StepName.ROUTE_READERS).status());
        assertTrue(step(result, StepName.ROUTE_READERS).detail().contains("us-east-1: withdrawn"));
        assertEquals(List.of("us-east-1: withdrawn"), result.report().readerChanges());
        assertEquals("reader.example.internal", result.report().readerRecord());
    }

    @Test
    void readersThatCannotBeRoutedLeaveAWarningAndTheFailoverCompletes() {
        ReaderRecords readers = withReaders();
        when(database.standby()).thenReturn(REPLICA);
        when(database.awaitWriter(any(), any())).thenReturn(WRITER);
        when(readers.pending(any())).thenThrow(new IllegalStateException("alarm reader-us-east-1 does not exist"));

        WorkflowResult result = run(alarm);

        assertEquals(WorkflowResult.Outcome.COMPLETED, result.outcome(), result.reason());
        assertEquals(StepStatus.SKIPPED, step(result, StepName.ROUTE_READERS).status());
        assertTrue(result.report().warnings().stream().anyMatch(w -> w.startsWith("ROUTE_READERS could not be done")
                && w.contains("does not exist")), result.report().warnings().toString());
        verify(notifier).publish(any());
    }

    @Test
    void aFailbackShiftsReadsOffTheWriterBeforeFencingItAndRestoresBothRegionsAtTheEnd() {
        ReaderRecords readers = withReaders();
        DatabaseGateway reversed = mock(DatabaseGateway.class);
        DatabaseGateway next = mock(DatabaseGateway.class);
        when(database.reversed()).thenReturn(reversed);
        when(reversed.describePair()).thenReturn("the pair");
        failedOver();
        when(pairs.next(any(), anyInt())).thenReturn(next);
        when(reversed.standbyExists()).thenReturn(true);
        when(reversed.standby()).thenReturn(new DatabaseState("db-g1", PRIMARY, "available", "db-g1.east.example",
                "arn:aws:rds:us-west-2:1:db:db-replica", List.of("sg-app")));
        when(reversed.primary()).thenReturn(WRITER);
        when(reversed.lagSeconds(any())).thenReturn(OptionalDouble.of(0));
        when(reversed.awaitWriter(any(), any())).thenReturn(new DatabaseState("db-g1", PRIMARY, "available",
                "db-g1.east.example", null, List.of("sg-app")));
        when(next.standbyExists()).thenReturn(true);
        when(next.standby()).thenReturn(new DatabaseState("db-replica-g1", STANDBY, "available",
                "db-replica-g1.west.example", "arn:aws:rds:us-east-1:1:db:db-g1", List.of("sg-app")));
        when(dns.sendClientsTo(eq(DnsGateway.Side.PRIMARY), anyString(), anyString())).thenReturn("change-2");
        List<Route> shift = List.of(Route.serve(PRIMARY, "db-g1.east.example"), Route.withdraw(STANDBY));
        List<Route> restore = List.of(Route.serve(PRIMARY, "db-g1.east.example"),
                Route.serve(STANDBY, "db-replica-g1.west.example"));
        when(readers.pending(any())).thenReturn(List.of("a change"));
        when(readers.apply(eq(shift), anyString(), any(), any())).thenReturn(List.of("us-west-2: withdrawn"));
        when(readers.apply(eq(restore), anyString(), any(), any())).thenReturn(List.of("us-west-2: serves"));

        WorkflowResult result = run(failback());

        assertEquals(WorkflowResult.Outcome.COMPLETED, result.outcome(), result.reason());
        List<StepName> order = result.report().steps().stream().map(StepRecord::name).toList();
        assertTrue(order.indexOf(StepName.SHIFT_READERS) < order.indexOf(StepName.FENCE_OLD_PRIMARY), order.toString());
        assertTrue(order.indexOf(StepName.AWAIT_STANDBY_REPLICA) < order.indexOf(StepName.ROUTE_READERS),
                order.toString());
        org.mockito.InOrder inOrder = org.mockito.Mockito.inOrder(readers, reversed);
        inOrder.verify(readers).apply(eq(shift), anyString(), any(), any());
        inOrder.verify(reversed).fencePrimary(List.of("sg-fence"));
        inOrder.verify(readers).apply(eq(restore), anyString(), any(), any());
        assertEquals(List.of("us-west-2: withdrawn", "us-west-2: serves"), result.report().readerChanges());
    }

    @Test
    void aFailbackWaitsForTheRebuiltStandbyReplicaBeforeRestoringItsReads() {
        withReaders();
        // resumed after REBUILD_STANDBY_REPLICA: the replica it started is still being created
        DatabaseGateway next = failbackResumedAfterTheRebuild();
        DatabaseState creating = new DatabaseState("db-replica-g1", STANDBY, "creating", null, "db-g1", List.of());
        DatabaseState ready = new DatabaseState("db-replica-g1", STANDBY, "available", "db-replica-g1.west.example",
                "db-g1", List.of());
        when(next.standby()).thenReturn(creating, creating, ready);

        WorkflowResult result = run(failback());

        assertEquals(WorkflowResult.Outcome.COMPLETED, result.outcome(), result.reason());
        assertEquals(StepStatus.DONE, step(result, StepName.AWAIT_STANDBY_REPLICA).status());
        assertTrue(step(result, StepName.AWAIT_STANDBY_REPLICA).detail().contains("db-replica-g1 in us-west-2 is an "
                + "available replica"), step(result, StepName.AWAIT_STANDBY_REPLICA).detail());
        verify(next, never()).createStandby();
    }

    @Test
    void aDryRunWithReadersSaysWhatWouldChangeAndChangesNothing() {
        ReaderRecords readers = withReaders();
        when(database.standby()).thenReturn(REPLICA);
        when(readers.pending(any())).thenReturn(List.of("us-east-1: withdrawn"));
        when(readers.describe()).thenReturn("latency records of reader.example.internal");

        WorkflowResult result = workflow.plan(alarm);

        assertEquals(StepStatus.PLANNED, step(result, StepName.ROUTE_READERS).status());
        assertTrue(step(result, StepName.ROUTE_READERS).detail().contains("would route latency records of "
                + "reader.example.internal: us-east-1: withdrawn"), step(result, StepName.ROUTE_READERS).detail());
        verify(readers, never()).apply(any(), anyString(), any(), any());
    }

    private ReaderRecords withReaders() {
        ReaderRecords readers = mock(ReaderRecords.class);
        DatabasePair withReaders = new DatabasePair(PAIR.name(), PAIR.kind(), PAIR.primaryRegion(),
                PAIR.primaryDbInstanceId(), PAIR.standbyRegion(), PAIR.standbyDbInstanceId(),
                PAIR.auroraGlobalClusterId(), new DatabasePair.Dns("Z1", "db.example.internal", 60,
                        FailoverConfig.DnsStrategy.RECORD_UPDATE, Optional.empty(), Optional.of(
                                new DatabasePair.Readers("reader.example.internal", 60, "reader-"))),
                PAIR.fenceSecurityGroupIds(), PAIR.journalPartition(), PAIR.mode());
        when(planPairs.all()).thenReturn(List.of(withReaders));
        when(dnsGateways.readersFor(withReaders)).thenReturn(Optional.of(readers));
        return readers;
    }

    /**
     * A failback resumed with the writer back in the primary region (db-g1) and the standby replica's rebuild
     * started; returns the pair after the failback, whose standby the test sets.
     */
    private DatabaseGateway failbackResumedAfterTheRebuild() {
        DatabaseGateway reversed = mock(DatabaseGateway.class);
        DatabaseGateway next = mock(DatabaseGateway.class);
        when(database.reversed()).thenReturn(reversed);
        when(reversed.describePair()).thenReturn("the pair");
        failedOver();
        when(pairs.next(any(), anyInt())).thenReturn(next);
        when(reversed.standby()).thenReturn(new DatabaseState("db-g1", PRIMARY, "available", "db-g1.east.example",
                null, List.of("sg-app")));
        resumedAfter(StepName.PREPARE_FAILBACK_REPLICA, StepName.AWAIT_FAILBACK_REPLICA,
                StepName.UNFENCE_FAILBACK_TARGET, StepName.SHIFT_READERS, StepName.FENCE_OLD_PRIMARY,
                StepName.AWAIT_CATCH_UP, StepName.PROMOTE_REPLICA, StepName.AWAIT_WRITER, StepName.REPOINT_DNS,
                StepName.REBUILD_STANDBY_REPLICA);
        return next;
    }

    /** The pair failed over earlier (run-0): a failback may start, unless a test says it resumes one. */
    private void failedOver() {
        when(journal.state()).thenReturn(state(Lifecycle.Phase.COMPLETED, RunKind.FAILOVER, "run-0", Instant.EPOCH));
    }

    /** The run resumes a journaled one whose first steps finished. */
    private void resumedAfter(StepName... finished) {
        when(journal.state()).thenReturn(state(Lifecycle.Phase.RUNNING, RunKind.FAILBACK, "run-1", Instant.EPOCH));
        when(journal.steps("run-1")).thenReturn(java.util.stream.Stream.of(finished).map(name -> new StepRecord(name,
                StepStatus.DONE, Instant.EPOCH, Instant.EPOCH, "done earlier", null)).toList());
    }

    /** A pair whose run {@code runId} of {@code kind} is persisted, its lease held until {@code leaseUntil}. */
    private static Lifecycle.PlanState state(Lifecycle.Phase phase, RunKind kind, String runId, Instant leaseUntil) {
        Lifecycle.RunSpec spec = new Lifecycle.RunSpec(runId, kind, false, kind == RunKind.FAILBACK,
                FailoverConfig.FailoverMode.RPO_BOUNDED, 0, "the pair", new Trigger(Trigger.Kind.ALARM, "alarm",
                        "cloudwatch"), "health verdict FAILED", Instant.EPOCH, false);
        return new Lifecycle.PlanState(phase, Optional.of(spec), "owner-0", leaseUntil, Instant.EPOCH, false, 0, 7);
    }

    private static StepRecord step(WorkflowResult result, StepName name) {
        return result.report().steps().stream().filter(step -> step.name() == name).findFirst().orElseThrow();
    }

    private WorkflowResult run(FailoverRequest request) {
        return workflow.run(request, "owner", Deadline.unbounded());
    }

    private static List<StepStatus> statuses(WorkflowResult result) {
        return result.report().steps().stream().map(StepRecord::status).toList();
    }
}
