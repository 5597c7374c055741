package dev.regionfailover.failover;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import software.amazon.awssdk.core.waiters.Waiter;
import software.amazon.awssdk.core.waiters.WaiterAcceptor;

import dev.regionfailover.aws.Cadence;
import dev.regionfailover.aws.Errors;
import dev.regionfailover.aws.Polling;
import dev.regionfailover.aws.Transient;
import dev.regionfailover.config.DatabasePair;
import dev.regionfailover.config.FailoverConfig;
import dev.regionfailover.config.PlanPairs;
import dev.regionfailover.database.DatabaseGateway;
import dev.regionfailover.database.DatabasePairs;
import dev.regionfailover.database.DatabaseState;
import dev.regionfailover.database.ServingStatus;
import dev.regionfailover.dns.DnsGateway;
import dev.regionfailover.dns.DnsGateways;
import dev.regionfailover.dns.ReaderRecords;
import dev.regionfailover.health.HealthStatus;
import dev.regionfailover.logs.LogContext;
import dev.regionfailover.notify.Notifier;
import dev.regionfailover.store.JournalStore;
import dev.regionfailover.topology.TopologyPublisher;

/**
 * The failover, as one state machine. The whole loop is in this file, in the order it runs:
 *
 * <pre>
 *  ACQUIRE_LEASE      conditional write on the plan's STATE item; a second trigger while a run holds it is a no-op
 *  CHECK_RPO          refuse when the replica's lag exceeds the budget (or is unknown), unless forced;
 *                     a planned switchover needs lag 0
 *  AWAIT_APPROVAL     only for an automatic failover in approval-required mode: ask once for an operator's
 *                     Failover Approved naming the run, and wait (the run pauses; every trigger resumes it) until
 *                     it is given, then check the RPO again; unanswered within the window, or the primary found
 *                     HEALTHY again before anyone approved, refuse (closed)
 *  FENCE_OLD_PRIMARY  best effort: move the old primary into admit-nothing security groups; outcome recorded
 *  PROMOTE_REPLICA    PromoteReadReplica, or Aurora's FailoverGlobalCluster / SwitchoverGlobalCluster,
 *                     unless the standby is already the writer or its promotion is under way
 *  AWAIT_WRITER       bounded wait until the standby is the available writer
 *  REPOINT_DNS        send the application's name to the new writer (CNAME UPSERT and INSYNC, or the
 *                     health-check switch, or no change and a wait until Aurora's global writer endpoint
 *                     resolves to it), unless it already goes there
 *  ROUTE_READERS      best effort, when the pair has a reader name: withdraw the failed region's reader (its
 *                     health alarm; record-update also deletes its record), keep the promoted region's serving
 *  NOTIFY             SNS (people and machines) and an EventBridge lifecycle event
 * </pre>
 *
 * The writer comes first: reader routing runs once clients write to the new writer, and a reader that cannot be
 * routed is a warning, never a failed failover.
 *
 * Every step first <em>observes</em> (is my effect already there?), acts only when it is not, and verifies. That
 * makes each step idempotent, so a retry, a resumed run or a duplicate trigger is harmless, and it gives the dry
 * run for free: a dry run is the observations alone. Each step's start, end, status and detail go to the journal.
 * A failure at any step ends the run FAILED, with a notification naming the step: never in silence.
 */
@ApplicationScoped
public class FailoverWorkflow {

    private static final Logger LOG = Logger.getLogger(FailoverWorkflow.class);

    @Inject
    FailoverConfig config;

    @Inject
    DatabasePairs pairs;

    @Inject
    DnsGateways dnsGateways;

    @Inject
    PlanPairs planPairs;

    @Inject
    StepBoundaries boundaries;

    @Inject
    RetryPause retryPause;

    @Inject
    Notifier notifier;

    @Inject
    JournalStore journal;

    @Inject
    TopologyPublisher topology;

    @Inject
    Clock clock;

    private final Step notify = new Step(StepName.NOTIFY, run -> Observation.toDo("would publish the outcome to "
            + config.notification().topicArn() + " and the " + config.notification().eventBus() + " event bus"),
            this::notifyCompleted);

    /** A failover: the standby region's replica becomes the writer. */
    private final List<Step> failover = List.of(
            new Step(StepName.CHECK_RPO, this::observeRpo, null),
            new Step(StepName.FENCE_OLD_PRIMARY, this::observeFence, this::fence),
            new Step(StepName.PROMOTE_REPLICA, this::observePromotion, this::promote),
            new Step(StepName.AWAIT_WRITER, this::observeWriter, this::awaitWriter),
            new Step(StepName.REPOINT_DNS, this::observeDns, this::repointDns),
            readerStep(StepName.ROUTE_READERS, run -> List.of(
                    ReaderRecords.Route.withdraw(run.pair.primaryRegion()),
                    ReaderRecords.Route.keep(run.pair.standbyRegion()))),
            notify);

    /** An automatic failover that waits for an operator's yes before it changes anything (approval-required). */
    private final List<Step> approvedFailover = afterRpoCheck(failover,
            new Step(StepName.AWAIT_APPROVAL, this::observeApproval, this::requestApproval));

    /** The failover's steps with {@code gate} right after CHECK_RPO: a step added to the failover is in both lists. */
    private static List<Step> afterRpoCheck(List<Step> steps, Step gate) {
        List<Step> gated = new ArrayList<>(steps);
        gated.add(gated.indexOf(gated.stream().filter(step -> step.name == StepName.CHECK_RPO).findFirst()
                .orElseThrow()) + 1, gate);
        return List.copyOf(gated);
    }

    /**
     * A failback, after the primary region has recovered: the same steps seen from the other side (the current
     * writer is the "primary", the replica in the original primary region the "standby"), with no data loss:
     *
     * <pre>
     *  PREPARE_FAILBACK_REPLICA  a replica of the writer in the primary region (RDS: the next generation, -g&lt;n&gt;;
     *                            Aurora: the old primary's cluster, a secondary again)
     *  AWAIT_FAILBACK_REPLICA    bounded wait until it is an available replica
     *  UNFENCE_FAILBACK_TARGET   a fence of ours on it (Aurora's cluster, fenced by the failover) is lifted while
     *                            it is a replica, so the writer-to-be admits the application
     *  SHIFT_READERS             best effort: the standby region's reads go to that replica before its writer is
     *                            fenced
     *  FENCE_OLD_PRIMARY         required here: the writer in the standby region takes no more writes
     *  AWAIT_CATCH_UP            lag drained to 0: nothing written is left behind
     *  PROMOTE_REPLICA           a planned promotion (PromoteReadReplica, or SwitchoverGlobalCluster)
     *  AWAIT_WRITER, REPOINT_DNS as in a failover, towards the primary region
     *  REBUILD_STANDBY_REPLICA   a new replica in the standby region, so the plan is protected again
     *  AWAIT_STANDBY_REPLICA     bounded wait until it is an available replica
     *  UNFENCE_NEW_STANDBY       a fence of ours on it (Aurora's demoted cluster) is lifted: it serves reads, and
     *                            the next failover promotes it
     *  REARM_DNS                 the next failover's DNS target is that replica (health-check-switch: SECONDARY)
     *  ROUTE_READERS             best effort: both regions serve reads again, as before the failover
     *  NOTIFY
     * </pre>
     */
    private final List<Step> failback = List.of(
            new Step(StepName.PREPARE_FAILBACK_REPLICA, this::observeFailbackReplica, this::createFailbackReplica),
            new Step(StepName.AWAIT_FAILBACK_REPLICA, run -> observeReplicaReady(run, run.database),
                    (run, seen) -> awaitReplica(run, run.database)),
            new Step(StepName.UNFENCE_FAILBACK_TARGET, run -> observeFenceToLift(run.database),
                    (run, seen) -> liftFence(run.database)),
            readerStep(StepName.SHIFT_READERS, run -> List.of(
                    ReaderRecords.Route.serve(run.pair.primaryRegion(), readerEndpoint(run.database.standby())),
                    ReaderRecords.Route.withdraw(run.pair.standbyRegion()))),
            new Step(StepName.FENCE_OLD_PRIMARY, this::observeFence, this::fence),
            new Step(StepName.AWAIT_CATCH_UP, this::observeCatchUp, this::awaitCatchUp),
            new Step(StepName.PROMOTE_REPLICA, this::observePromotion, this::promote),
            new Step(StepName.AWAIT_WRITER, this::observeWriter, this::awaitWriter),
            new Step(StepName.REPOINT_DNS, this::observeDns, this::repointDns),
            new Step(StepName.REBUILD_STANDBY_REPLICA, this::observeRebuiltStandby, this::rebuildStandby),
            new Step(StepName.AWAIT_STANDBY_REPLICA, run -> observeReplicaReady(run, run.next),
                    (run, seen) -> awaitReplica(run, run.next)),
            new Step(StepName.UNFENCE_NEW_STANDBY, run -> observeFenceToLift(run.next),
                    (run, seen) -> liftFence(run.next)),
            new Step(StepName.REARM_DNS, this::observeRearmedDns, this::rearmDns),
            readerStep(StepName.ROUTE_READERS, run -> List.of(
                    ReaderRecords.Route.serve(run.pair.primaryRegion(), readerEndpoint(run.database.standby())),
                    ReaderRecords.Route.serve(run.pair.standbyRegion(), readerEndpoint(run.next.standby())))),
            notify);

    /**
     * Runs, or resumes, the failover (or failback) of every database pair of the plan: one pair runs here; several
     * run in parallel, at most {@code failover.max-parallel-pairs} at a time, each with its own lease and journal,
     * and a summary notification lists each outcome. {@code owner} identifies this invocation in the leases.
     */
    public WorkflowResult run(FailoverRequest request, String owner, Deadline deadline) {
        return acrossPairs(planPairs.all(), request, pair -> runPair(pair, request, owner, deadline), true);
    }

    /** The same for some of the plan's pairs only: those whose runs an operator approved. */
    public WorkflowResult run(List<DatabasePair> some, FailoverRequest request, String owner, Deadline deadline) {
        return acrossPairs(some, request, pair -> runPair(pair, request, owner, deadline), true);
    }

    /** The dry run: the leases, the guards and every step observed, nothing changed. */
    public WorkflowResult plan(FailoverRequest request) {
        return acrossPairs(planPairs.all(), request, pair -> planPair(pair, request), false);
    }

    private WorkflowResult acrossPairs(List<DatabasePair> all, FailoverRequest request,
            Function<DatabasePair, WorkflowResult> each, boolean notifySummary) {
        if (all.size() == 1) {
            return each.apply(all.get(0));
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(all.size(), config.maxParallelPairs()));
        try {
            List<Future<WorkflowResult>> running = all.stream()
                    .map(pair -> pool.submit(LogContext.carried(() -> each.apply(pair)))).toList();
            List<WorkflowResult.PairOutcome> outcomes = new ArrayList<>();
            for (int i = 0; i < all.size(); i++) {
                outcomes.add(new WorkflowResult.PairOutcome(all.get(i).name(), settle(all.get(i), running.get(i))));
            }
            WorkflowResult summary = WorkflowResult.across(request.kind(), outcomes);
            if (notifySummary && outcomes.stream().anyMatch(outcome -> outcome.result().report() != null)) {
                try {
                    notifier.publishPlanSummary(config.plan(), request.kind(), summary);
                } catch (RuntimeException e) {
                    LOG.errorf(e, "could not publish the summary of plan %s", config.plan());
                }
            }
            return summary;
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * A pair whose run threw (a bug, or the journal unreachable) is reported FAILED; the others are unaffected.
     * It is logged here, with the pair and the cause: the pair's thread logged nothing of it, and the plan's
     * summary line names only the outcome.
     */
    private static WorkflowResult settle(DatabasePair pair, Future<WorkflowResult> running) {
        try {
            return running.get();
        } catch (ExecutionException e) {
            String why = Errors.describe(e.getCause());
            LOG.errorf(e.getCause(), "pair %s FAILED: its run threw before it could end: %s", pair.name(), why);
            return WorkflowResult.of(WorkflowResult.Outcome.FAILED, why);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return WorkflowResult.of(WorkflowResult.Outcome.FAILED, "interrupted");
        }
    }

    /**
     * One pair: read its state, {@link Lifecycle#decide decide}, perform the decision's one conditional write, then
     * run the steps of the run the decision names: a new one, or the persisted one it resumes, with its own kind,
     * flags, mode and databases whoever the trigger is.
     */
    private WorkflowResult runPair(DatabasePair pair, FailoverRequest request, String owner, Deadline deadline) {
        LogContext.pair(pair.name());
        JournalStore journal = this.journal.forPartition(pair.journalPartition());
        Instant leaseStart = clock.instant();
        Lifecycle.PlanState state = journal.state();
        Lifecycle.Decision decision = Lifecycle.decide(state, Lifecycle.Order.of(request), leaseStart);
        Lifecycle.RunSpec spec;
        if (decision instanceof Lifecycle.Decision.Start start) {
            spec = newSpec(pair, start, request, state.generation(), leaseStart);
            if (!journal.start(spec, owner, state.version(), leaseStart)) {
                return lostRace(journal);
            }
        } else if (decision instanceof Lifecycle.Decision.Resume resume) {
            spec = resume.run();
            if (!journal.resume(spec.runId(), owner, state.version(), leaseStart)) {
                return lostRace(journal);
            }
        } else {
            return answer(pair, journal, state, decision);
        }
        LogContext.run(spec.runId());
        boolean resumed = decision instanceof Lifecycle.Decision.Resume;
        // The run as it was defined when it started: a resume never takes the resuming trigger's kind or flags.
        FailoverRequest defined = new FailoverRequest(spec.startedBy(), spec.reason(), spec.force(), spec.planned(),
                request.verdict(), spec.kind());
        Run run = newRun(pair, spec, journal, spec.runId(), defined, owner, deadline, leaseStart);
        journal.startRun(spec, request.verdict() == null ? "none" : request.verdict().summary(),
                // detection is measured for the runs a verdict started, not those an operator ordered
                request.verdict() == null || spec.startedBy().byOperator() ? null : request.verdict().failingSince(),
                leaseStart);
        List<StepRecord> journaled = resumed ? journal.steps(run.runId) : List.of();
        Map<StepName, StepRecord> finished = journaled.stream().filter(step -> step.status().isFinished())
                .collect(Collectors.toMap(StepRecord::name, step -> step, (first, second) -> second));
        // A promotion this run started (its step began, in this or an earlier invocation) is under way even when
        // AWS reports no state for it, as an RDS instance does not.
        run.promotionIssued = journaled.stream().anyMatch(step -> step.name() == StepName.PROMOTE_REPLICA);
        run.resumed = resumed;
        // A step an earlier invocation left open keeps the start it had: its waits spend one bound in all.
        journaled.stream().filter(step -> step.status() == StepStatus.IN_PROGRESS)
                .forEach(step -> run.firstStarted.put(step.name(), step.startedAt()));
        record(run, new StepRecord(StepName.ACQUIRE_LEASE, StepStatus.DONE, leaseStart, clock.instant(),
                (resumed ? "resumed " + spec.kind().name().toLowerCase() + " run " + run.runId + " (started by "
                        + spec.startedBy().description() + ") on " + request.trigger().description()
                        : "started " + spec.kind().name().toLowerCase() + " run " + run.runId) + " for " + owner,
                null));
        boundaries.passed(run.runId, StepName.ACQUIRE_LEASE);
        // A run journaled before runs recorded their target (an empty one) is taken as it is.
        if (!spec.target().isEmpty() && !spec.target().equals(run.database.describePair())) {
            return end(run, RunState.FAILED, "the pair's configuration changed since run " + run.runId
                    + " started: it was started for " + spec.target() + ", the configuration now names "
                    + run.database.describePair() + "; nothing was done on the new databases");
        }

        for (Step step : run.steps) {
            if (finished.containsKey(step.name)) {
                StepRecord earlier = finished.get(step.name);
                run.records.add(earlier);
                if (earlier.warning() != null) {
                    // A warning from an earlier invocation (an old primary left unfenced) belongs in the outcome.
                    run.warnings.add(earlier.warning());
                }
                continue;
            }
            if (run.deadline.nearlyOver()) {
                return pause(run, step.name);
            }
            StepRecord outcome = execute(step, run);
            if (outcome.status() == StepStatus.IN_PROGRESS) {
                return pause(run, step.name);
            }
            if (outcome.status() == StepStatus.FAILED) {
                return end(run, RunState.FAILED, "failed at " + step.name + ": " + outcome.detail()
                        + writerMovedNote(run, step.name));
            }
            if (outcome.status() == StepStatus.REFUSED) {
                return end(run, RunState.REFUSED, "refused by " + step.name + ": " + outcome.detail());
            }
            boundaries.passed(run.runId, step.name);
        }
        Duration took = Duration.between(run.startedAt, clock.instant());
        journal.finishRun(run.runId, RunState.COMPLETED, completedSummary(run, took), run.lagAtPromotion,
                clock.instant());
        journal.release(run.runId, owner, spec.kind(), RunState.COMPLETED, clock.instant());
        topology.afterRun(pair, run.runId, spec.kind(), RunState.COMPLETED);
        return new WorkflowResult(WorkflowResult.Outcome.COMPLETED, completedSummary(run, took),
                report(run, RunState.COMPLETED, completedSummary(run, took)));
    }

    /** Another trigger changed the pair's state between our read and our write: it acts, this one does not. */
    private WorkflowResult lostRace(JournalStore journal) {
        Lifecycle.PlanState winner = journal.state();
        return WorkflowResult.of(WorkflowResult.Outcome.DUPLICATE, "run " + winner.run().map(Lifecycle.RunSpec::runId)
                .orElse("unknown") + " took the lease first (held until " + winner.leaseExpiresAt()
                + "); this trigger changes nothing");
    }

    /** A decision that runs no step, in words. */
    private WorkflowResult answer(DatabasePair pair, JournalStore journal, Lifecycle.PlanState state,
            Lifecycle.Decision decision) {
        String name = pair.journalPartition();
        if (decision instanceof Lifecycle.Decision.Duplicate busy) {
            return WorkflowResult.of(WorkflowResult.Outcome.DUPLICATE, "run " + busy.runId()
                    + " is already acting on " + name + " (lease held until " + busy.leaseExpiresAt()
                    + "); this trigger changes nothing");
        }
        if (decision instanceof Lifecycle.Decision.AlreadyDone done) {
            return WorkflowResult.of(WorkflowResult.Outcome.ALREADY_DONE, "plan " + name
                    + " already failed over in run " + done.runId()
                    + "; nothing to do until it is re-armed by a failback");
        }
        if (decision instanceof Lifecycle.Decision.NothingToResume nothing) {
            return WorkflowResult.of(WorkflowResult.Outcome.NOTHING_TO_RESUME, "no run is under way (plan " + name
                    + " is " + nothing.phase() + "); an RDS event only resumes a running one");
        }
        if (decision instanceof Lifecycle.Decision.CoolingDown cooling) {
            String why = "a failover of " + name + " was wanted within the cooldown after run "
                    + cooling.lastRunId() + " (until " + cooling.until() + "): not flipped. An operator may fail over "
                    + "now, or send Cooldown Acknowledged to re-arm automatic failover";
            if (cooling.firstRefusal() && journal.markCooldownRefusal(state.version())) {
                try {
                    notifier.publishCooldownRefusal(config.plan(), pair.name(), why);
                } catch (RuntimeException e) {
                    LOG.errorf(e, "could not notify the cooldown refusal of %s", name);
                }
            }
            return WorkflowResult.of(WorkflowResult.Outcome.COOLING_DOWN, why);
        }
        if (decision instanceof Lifecycle.Decision.Refuse refuse) {
            return WorkflowResult.of(WorkflowResult.Outcome.NOT_APPLICABLE, refuse.reason());
        }
        if (decision instanceof Lifecycle.Decision.NeedsOperator failed) {
            return WorkflowResult.of(WorkflowResult.Outcome.NEEDS_OPERATOR, "the last run " + failed.runId()
                    + " failed; automatic triggers do not retry it. Send a Manual Failover Requested event to resume");
        }
        return WorkflowResult.of(WorkflowResult.Outcome.NO_FAILOVER, "no run is under way and the verdict does not "
                + "call for a failover");
    }

    /** A new run's definition, persisted with its lease. */
    private Lifecycle.RunSpec newSpec(DatabasePair pair, Lifecycle.Decision.Start start, FailoverRequest request,
            int generation, Instant now) {
        DatabaseGateway current = pairs.at(pair, generation);
        return new Lifecycle.RunSpec(RunIds.next(now), start.kind(), start.force(), start.planned(), pair.mode(),
                generation, String.valueOf((start.kind() == RunKind.FAILBACK ? current.reversed() : current).describePair()),
                request.trigger(), request.reason(), now, approvalRequired(start, request));
    }

    /**
     * Whether a new run waits for an operator's approval before it changes anything: an automatic failover of a
     * plan in approval-required mode. An operator's order is itself the human's yes; a failback is always ordered.
     */
    private boolean approvalRequired(Lifecycle.Decision.Start start, FailoverRequest request) {
        return config.approval().mode() == FailoverConfig.ApprovalMode.APPROVAL_REQUIRED
                && start.kind() == RunKind.FAILOVER
                && (request.trigger().kind() == Trigger.Kind.ALARM || request.trigger().kind() == Trigger.Kind.SCHEDULE);
    }

    /**
     * A step that failed after the promotion was asked for: the standby region's database is (or is becoming) the
     * writer, and the outcome must say so rather than read as "nothing happened".
     */
    private String writerMovedNote(Run run, StepName failedAt) {
        if (run.position(failedAt) <= run.position(StepName.PROMOTE_REPLICA)) {
            return "";
        }
        return "; the promotion had been asked for, so " + standbyInWords(run)
                + " is or is becoming the writer: clients may still be sent to the old writer until an operator "
                + "resumes this run";
    }

    /**
     * Only for words in an outcome: a failed describe (the very throttling or outage that failed the step) must not
     * keep the run from ending, being notified and releasing its lease.
     */
    private static String standbyInWords(Run run) {
        try {
            return run.database.standby().describe();
        } catch (RuntimeException e) {
            return "the standby";
        }
    }

    private WorkflowResult planPair(DatabasePair pair, FailoverRequest request) {
        LogContext.pair(pair.name());
        JournalStore journal = this.journal.forPartition(pair.journalPartition());
        Instant now = clock.instant();
        Lifecycle.PlanState state = journal.state();
        Lifecycle.RunSpec spec = new Lifecycle.RunSpec("dry-run", request.kind(), request.force(), request.planned(),
                pair.mode(), state.generation(), "", request.trigger(), request.reason(), now,
                approvalRequired(new Lifecycle.Decision.Start(request.kind(), request.force(), request.planned()),
                        request));
        Run run = newRun(pair, spec, journal, "dry-run", request, "dry-run", Deadline.unbounded(), now);
        run.records.add(new StepRecord(StepName.ACQUIRE_LEASE, StepStatus.PLANNED, now, clock.instant(),
                Lifecycle.describe(Lifecycle.decide(state, Lifecycle.Order.of(request), now)), null));
        for (Step step : run.steps) {
            Instant started = clock.instant();
            Observation seen = observeSafely(step, run);
            StepStatus status = switch (seen.kind) {
                case TO_DO, PASS -> StepStatus.PLANNED;
                case ALREADY_DONE -> StepStatus.ALREADY_DONE;
                case SKIP -> StepStatus.SKIPPED;
                case REFUSE -> StepStatus.REFUSED;
                case BROKEN -> step.bestEffort ? StepStatus.SKIPPED : StepStatus.FAILED;
            };
            if (step.name == StepName.PROMOTE_REPLICA && status == StepStatus.PLANNED) {
                // The rehearsal's later steps are judged as if this promotion had been asked for, as the run would.
                run.promotionIssued = true;
            }
            String warning = seen.kind == Observation.Kind.BROKEN && step.bestEffort
                    ? step.name + " would not be done: " + seen.detail : seen.warning;
            run.records.add(new StepRecord(step.name, status, started, clock.instant(), seen.detail, warning));
            if (warning != null) {
                run.warnings.add(warning);
            }
        }
        boolean refused = run.records.stream().anyMatch(r -> r.status() == StepStatus.REFUSED);
        boolean broken = run.records.stream().anyMatch(r -> r.status() == StepStatus.FAILED);
        String what = "a " + request.kind().name().toLowerCase() + " now";
        String summary = "dry run: " + (broken ? "a step could not be checked; " + what + " would fail"
                : refused ? what + " would be refused by the RPO guard (an operator may force it)"
                        : what + " would run the planned steps") + "; nothing was changed";
        return new WorkflowResult(WorkflowResult.Outcome.DRY_RUN, summary, report(run, null, summary));
    }

    // ---- AWAIT_APPROVAL --------------------------------------------------------------------------------------

    private boolean approvalMode() {
        return config.approval().mode() == FailoverConfig.ApprovalMode.APPROVAL_REQUIRED;
    }

    /**
     * Approved: go on, once the RPO guard has looked again (the lag may have grown while people decided). Not yet:
     * ask (once), and wait. Unanswered past the window: refused, which closes the run and notifies it.
     */
    private Observation observeApproval(Run run) {
        String window = config.approval().window().toString();
        if (!run.spec.approvalRequired()) {
            return Observation.skip("an operator's order needs no approval; an automatic failover of this plan "
                    + "(approval-required) would wait here up to " + window + " for a Failover Approved order "
                    + "naming its run", null);
        }
        if (run.dryRun()) {
            return Observation.toDo("would ask for an operator's approval (a Failover Approved order naming the "
                    + "run) and wait up to " + window + ", changing nothing meanwhile");
        }
        Instant now = clock.instant();
        Optional<JournalStore.Approval> approval = run.journal.approval(run.runId);
        if (approval.map(JournalStore.Approval::granted).orElse(false)) {
            String granted = "approved by " + approval.get().approvedBy().orElseThrow() + " at "
                    + approval.get().approvedAt().map(Instant::toString).orElse("?");
            Observation rpo = observeRpo(run);
            if (rpo.kind == Observation.Kind.REFUSE) {
                return Observation.refuse(granted + ", but the RPO guard now refuses: " + rpo.detail);
            }
            return Observation.pass(granted + "; the RPO guard again: " + rpo.detail, rpo.warning);
        }
        if (run.request.verdict() != null && run.request.verdict().status() == HealthStatus.HEALTHY) {
            // Nobody has said yes, and what the request proposed no longer holds: it is withdrawn rather than left
            // for someone to approve a failover of a primary that is serving again.
            return Observation.refuse("the primary recovered (" + run.request.verdict().summary() + ") before "
                    + "anyone approved run " + run.runId + ": the request is withdrawn and nothing was changed. If it "
                    + "fails again, a new run asks again");
        }
        if (approval.isPresent() && approval.get().expired(now)) {
            return Observation.refuse("the approval request of run " + run.runId + " expired at "
                    + approval.get().expiresAt() + " unanswered: the run is closed with nothing changed. A new "
                    + "FAILED verdict starts a new run and asks again; an operator may fail over at any time");
        }
        return Observation.toDo(approval.map(open -> "awaiting approval until " + open.expiresAt())
                .orElse("approval needed"));
    }

    /**
     * Asks (the first request and its expiry stand), tells people until a notice got through (at least once: the
     * notice is marked told after it is sent), and leaves the step open: the run pauses.
     */
    private StepResult requestApproval(Run run, Observation seen) {
        Instant now = clock.instant();
        JournalStore.Approval approval = run.journal.requestApproval(run.runId, now,
                now.plus(config.approval().window()));
        run.approvalAwaited = approval;
        if (!approval.told()) {
            try {
                notifier.publishApprovalRequest(report(run, RunState.RUNNING, "awaiting approval until "
                        + approval.expiresAt()), approval.expiresAt());
                run.journal.approvalTold(run.runId);
            } catch (RuntimeException e) {
                LOG.errorf(e, "could not notify the approval request of run %s; the next trigger tells it again",
                        run.runId);
            }
        }
        return new StepResult(StepStatus.IN_PROGRESS, "awaiting an operator's Failover Approved for run "
                + run.runId + " until " + approval.expiresAt() + " (requested " + approval.requestedAt() + ")", null);
    }

    // ---- CHECK_RPO -------------------------------------------------------------------------------------------

    private Observation observeRpo(Run run) {
        DatabaseState standby = run.database.standby();
        if (!standby.isReplica()) {
            return Observation.alreadyDone(standby.id() + " is no longer a replica (" + standby.status()
                    + "): there is no replication left to guard");
        }
        OptionalDouble lag = run.database.lagSeconds(config.rpo().lagWindow());
        lag.ifPresent(seconds -> run.lagAtPromotion = seconds);
        Observation decision = rpoDecision(run.spec.mode(), run, standby, lag);
        run.rpoGuardedNow = true;
        if (!run.dryRun()) {
            return decision;
        }
        // The dry run also says what the other consistency choices would do with the same lag.
        List<String> others = new ArrayList<>();
        for (FailoverConfig.FailoverMode mode : FailoverConfig.FailoverMode.values()) {
            if (mode != run.spec.mode()) {
                Observation other = rpoDecision(mode, run, standby, lag);
                others.add(modeName(mode) + " would " + (other.kind == Observation.Kind.REFUSE ? "refuse" : "pass"));
            }
        }
        return new Observation(decision.kind, decision.detail + " [mode " + modeName(run.spec.mode()) + "; "
                + String.join("; ", others) + "]", decision.warning);
    }

    /**
     * The guard's decision for a consistency choice. A planned switchover or a failback needs lag 0 whatever the
     * mode; {@code force} (an operator) passes any budget.
     */
    private Observation rpoDecision(FailoverConfig.FailoverMode mode, Run run, DatabaseState standby,
            OptionalDouble lag) {
        boolean planned = run.planned();
        boolean byOperator = run.request.trigger().byOperator();
        long budget = planned ? 0 : config.rpo().maxLagSeconds();
        String measured = lag.isPresent() ? String.format("replica lag %.0fs, budget %ds", lag.getAsDouble(), budget)
                : "replica lag of " + standby.id() + " is unknown (no lag datapoint in the last "
                        + config.rpo().lagWindow().toMinutes() + " min)";
        boolean lossless = lag.isPresent() && lag.getAsDouble() == 0;
        boolean withinBudget = lag.isPresent() && lag.getAsDouble() <= budget;
        String lossWindow = lag.isPresent() ? String.format("up to %.0fs of writes may be lost", lag.getAsDouble())
                : "data loss unbounded";
        if (!planned && mode == FailoverConfig.FailoverMode.AVAILABILITY_FIRST) {
            return Observation.pass(measured + ": availability-first promotes regardless",
                    "availability-first: " + lossWindow + " (estimated data-loss window)");
        }
        if (!planned && mode == FailoverConfig.FailoverMode.PLANNED_ONLY && !byOperator && !lossless) {
            return Observation.refuse(measured + ": planned-only never promotes automatically when data could be "
                    + "lost; waiting for an operator's event");
        }
        if (withinBudget) {
            return Observation.pass(measured + ": within budget", null);
        }
        if (run.request.force()) {
            return Observation.pass(measured + ": " + (lag.isPresent() ? "over budget" : "unknown")
                    + ", overridden by force", lag.isPresent() ? "forced past the RPO budget: " + lossWindow
                            : measured + ": " + lossWindow);
        }
        return Observation.refuse(measured + (planned
                ? ": a planned switchover waits for lag 0; retry when the replica has caught up"
                : lag.isPresent() ? ": over budget; an operator may force the failover"
                        : "; refusing to promote without force"));
    }

    private static String modeName(FailoverConfig.FailoverMode mode) {
        return mode.name().toLowerCase().replace('_', '-');
    }

    // ---- FENCE_OLD_PRIMARY -----------------------------------------------------------------------------------

    private Observation observeFence(Run run) {
        List<String> fence = run.pair.fenceSecurityGroupIds();
        String primary = "the primary in " + config.primary().region();
        if (fence.isEmpty()) {
            return Observation.skip("fencing is not configured (failover.fence.security-group-ids)",
                    "the old primary " + primary + " is not fenced: make sure it takes no writes when it returns");
        }
        DatabaseState old;
        try {
            old = run.database.primary();
        } catch (RuntimeException e) {
            return Observation.skip("old primary unreachable: " + Errors.describe(e), unfenced(primary));
        }
        if (new HashSet<>(old.securityGroupIds()).equals(new HashSet<>(fence))) {
            return Observation.alreadyDone(old.describe() + " is already in the fencing security groups " + fence);
        }
        return Observation.toDo("would move " + old.describe() + " from security groups " + old.securityGroupIds()
                + " into " + fence);
    }

    /**
     * Best effort in a failover: a primary that cannot be reached now cannot take writes now; the warning travels
     * on. Required in a failback, which promises no data loss: there the writer is reachable, and a fence that
     * fails fails the run.
     */
    private StepResult fence(Run run, Observation seen) {
        List<String> fence = run.pair.fenceSecurityGroupIds();
        String primary = "the writer in " + (run.request.kind() == RunKind.FAILBACK ? config.standby().region()
                : config.primary().region());
        try {
            run.database.fencePrimary(fence);
            return StepResult.done("moved " + primary + " into security groups " + fence);
        } catch (RuntimeException e) {
            if (run.request.kind() == RunKind.FAILBACK) {
                throw e;
            }
            return new StepResult(StepStatus.SKIPPED, "fencing failed: " + Errors.describe(e), unfenced(primary));
        }
    }

    private static String unfenced(String primary) {
        return "the old primary " + primary + " could not be fenced: when its region returns it may accept "
                + "writes; fence or stop it before then";
    }

    // ---- PROMOTE_REPLICA -------------------------------------------------------------------------------------

    private Observation observePromotion(Run run) {
        DatabaseState standby = run.database.standby();
        if (!standby.isReplica()) {
            return Observation.alreadyDone(standby.id() + " is already the writer (" + standby.status() + ")");
        }
        if (run.database.promotionUnderWay(standby)) {
            // AWS reports it (Aurora's FailoverState, a cluster promoting): waiting for it is the next step's work.
            return Observation.alreadyDone("the promotion of " + standby.id() + " is already under way ("
                    + standby.status() + ")");
        }
        ServingStatus serving = standby.serving();
        if (!serving.canPromoteFrom() && !serving.worthWaitingFor()) {
            return Observation.broken(standby.describe() + " is " + standby.status() + " (" + serving
                    + "): a replica in that state cannot be promoted, and it does not leave it on its own");
        }
        if (rpoGuardIsStale(run)) {
            // CHECK_RPO passed in an earlier invocation; the lag may have grown since (an unfenced primary in a
            // region that is only partly down keeps writing). Found by the approval exploration, seed 77031.
            Observation rpo = observeRpo(run);
            if (rpo.kind == Observation.Kind.REFUSE) {
                return Observation.refuse("resumed before the promotion, the RPO guard looked again and refuses: "
                        + rpo.detail + fencedNote(run));
            }
        }
        run.standbySeen = standby;
        return Observation.toDo("would " + (serving.canPromoteFrom() ? "" : "wait until " + standby.describe()
                + " can be promoted (now " + standby.status() + ", " + serving + "), then ") + promotion(run) + " "
                + standby.describe() + " (replica of " + standby.replicationSource() + ", " + standby.status() + ")");
    }

    /**
     * The lag CHECK_RPO judged was measured by an earlier invocation, and this run has not asked for the promotion
     * yet: a resume may come minutes or (approval-required) half an hour later, so the guard must look again. A
     * failback has no CHECK_RPO: it promotes only after AWAIT_CATCH_UP saw lag 0 behind a required fence.
     */
    private boolean rpoGuardIsStale(Run run) {
        return run.resumed && !run.rpoGuardedNow && !run.promotionIssued && !run.dryRun()
                && run.position(StepName.CHECK_RPO) > 0;
    }

    private String fencedNote(Run run) {
        return run.records.stream().anyMatch(step -> step.name() == StepName.FENCE_OLD_PRIMARY
                && step.status() == StepStatus.DONE)
                        ? "; the old primary stays fenced (FENCE_OLD_PRIMARY moved it): an operator may force the "
                                + "failover, or lift the fence if it is to serve again"
                        : "";
    }

    /**
     * A busy replica (backing up, modifying) cannot be promoted yet, but will be: wait until it can, then promote.
     * If it stops being a replica while we wait, a promotion this run asked for in an earlier invocation finished.
     */
    private StepResult promote(Run run, Observation seen) {
        // As the observation described it a moment ago: a second describe would only add a round trip.
        DatabaseState standby = Optional.ofNullable(run.standbySeen).orElseGet(run.database::standby);
        if (!standby.serving().canPromoteFrom()) {
            Duration bound = waitBound(run, config.timeouts().promotion());
            standby = Polling.await(Waiter.builder(DatabaseState.class)
                    .addAcceptor(WaiterAcceptor.successOnResponseAcceptor(
                            state -> !state.isReplica() || state.serving().canPromoteFrom()))
                    .addAcceptor(Polling.failWhen(
                            state -> !state.serving().canPromoteFrom() && !state.serving().worthWaitingFor(),
                            "the standby entered a state it does not leave on its own"))
                    .addAcceptor(Polling.until(clock, endOf(bound)))
                    .addAcceptor(WaiterAcceptor.retryOnResponseAcceptor(state -> true))
                    .overrideConfiguration(Polling.every(config.timeouts().pollInterval(), bound))
                    .build(), run.database::standby);
            if (!standby.isReplica()) {
                return StepResult.done(standby.describe() + " became the writer while we waited ("
                        + standby.status() + ")");
            }
        }
        run.promotionIssued = true;
        run.database.promote(run.planned());
        return StepResult.done(promotion(run) + " accepted for " + standby.describe());
    }

    private String promotion(Run run) {
        return switch (run.pair.kind()) {
            case RDS_INSTANCE -> "PromoteReadReplica";
            case AURORA_GLOBAL -> run.planned() ? "SwitchoverGlobalCluster"
                    : "FailoverGlobalCluster (AllowDataLoss)";
        };
    }

    // ---- AWAIT_WRITER ----------------------------------------------------------------------------------------

    private Observation observeWriter(Run run) {
        DatabaseState standby = run.database.standby();
        if (standby.isWriter()) {
            run.newWriter = standby.endpoint();
            return Observation.alreadyDone(standby.id() + " is the available writer at "
                    + standby.endpoint());
        }
        if (standby.isReplica() && !run.promotionIssued && !run.database.promotionUnderWay(standby)) {
            // Waiting would spend the whole bound on a change nobody asked for.
            return Observation.broken(standby.describe() + " is still a replica and no promotion of it is under way "
                    + "(this run did not ask for one, and AWS reports none): not waiting for a writer that cannot come");
        }
        return Observation.toDo("would wait up to " + config.timeouts().promotion().toSeconds() + " s for "
                + standby.id() + " to become the available writer (now " + standby.status()
                + (standby.isReplica() ? ", replica of " + standby.replicationSource() : "") + ")");
    }

    private StepResult awaitWriter(Run run, Observation seen) {
        Cadence cadence = cadence(run);
        DatabaseState writer = run.database.awaitWriter(waitBound(run, config.timeouts().promotion()), cadence);
        run.newWriter = writer.endpoint();
        run.writerToldBy = cadence.lookedBecauseOf().orElse(null);
        return StepResult.done(writer.id() + " is the available writer at " + writer.endpoint() + toldBy(cadence));
    }

    /**
     * Aurora emits an RDS event when a managed failover or switchover ends (0238, 0185; 0186, 0187, 0239) and when
     * the global writer endpoint has moved (0397); the rds-event function journals it, and the wait looks at AWS
     * at once. AWS emits no such event for an RDS instance's promotion, and delivers a workload account's or the
     * primary region's events to their own event buses, where no rule of ours listens: those waits poll.
     */
    private Cadence cadence(Run run) {
        Duration interval = config.timeouts().pollInterval();
        return run.pair.kind() == FailoverConfig.DatabaseKind.AURORA_GLOBAL
                ? Cadence.everyOrWhenTold(interval, config.timeouts().eventCheckInterval(), run.journal::latestRdsEvent,
                        clock)
                : Cadence.every(interval);
    }

    private static String toldBy(Cadence cadence) {
        return cadence.lookedBecauseOf().map(told -> " (looked at once on " + told.what() + " of " + told.at() + ")")
                .orElse("");
    }

    // ---- REPOINT_DNS -----------------------------------------------------------------------------------------

    private Observation observeDns(Run run) {
        // AWAIT_WRITER saw the writer's endpoint in this invocation; a resumed run describes it again.
        String target = run.newWriter;
        if (target == null) {
            DatabaseState standby = run.database.standby();
            target = standby.endpoint();
            if (target == null) {
                return Observation.broken(standby.describe() + " reports no endpoint to send clients to");
            }
        }
        run.newWriter = target;
        if (run.dns.sendsClientsTo(run.side, target)) {
            return Observation.alreadyDone(run.dns.describe() + " already sends clients to " + target);
        }
        run.dnsTargetBefore = run.dns.currentTarget().orElse("absent");
        return Observation.toDo("would " + run.dns.plannedChange(target) + " (now " + run.dnsTargetBefore + ")");
    }

    private StepResult repointDns(Run run, Observation seen) {
        String previous = Optional.ofNullable(run.dnsTargetBefore)
                .orElseGet(() -> run.dns.currentTarget().orElse("absent"));
        String change = run.dns.sendClientsTo(run.side, run.newWriter,
                "region failover " + run.pair.journalPartition() + " run " + run.runId);
        Cadence cadence = cadence(run);
        run.dns.awaitInSync(change, waitBound(run, config.timeouts().dnsSync()), cadence);
        return StepResult.done(run.dns.describe() + " now sends clients to " + run.newWriter + " (was " + previous
                + "; " + change + " in sync)" + toldBy(cadence));
    }

    // ---- failback: PREPARE_FAILBACK_REPLICA, AWAIT_FAILBACK_REPLICA, AWAIT_CATCH_UP, REBUILD_STANDBY_REPLICA ----

    private Observation observeFailbackReplica(Run run) {
        if (run.database.standbyExists()) {
            DatabaseState replica = run.database.standby();
            return Observation.alreadyDone(replica.describe() + " exists (" + replica.status() + ")");
        }
        return Observation.toDo("would create a read replica of " + run.database.primary().describe() + " in "
                + config.primary().region() + ": " + run.database.describePair());
    }

    private StepResult createFailbackReplica(Run run, Observation seen) {
        run.database.createStandby();
        return StepResult.done("creating " + run.database.standby().describe() + " as a replica of "
                + run.database.primary().describe());
    }

    /** {@code pair}'s standby: the failback's replica in the primary region, or the rebuilt one in the standby region. */
    private Observation observeReplicaReady(Run run, DatabaseGateway pair) {
        DatabaseState replica = pair.standby();
        return replica.isReplica() && replica.isAvailable()
                ? Observation.alreadyDone(replica.describe() + " is an available replica")
                : Observation.toDo("would wait for " + replica.describe() + " to be an available replica (now "
                        + replica.status() + ")");
    }

    private StepResult awaitReplica(Run run, DatabaseGateway pair) {
        Duration bound = waitBound(run, config.timeouts().promotion());
        DatabaseState replica = Waiter.builder(DatabaseState.class)
                .addAcceptor(WaiterAcceptor.successOnResponseAcceptor(state -> state.isReplica() && state.isAvailable()))
                .addAcceptor(Polling.until(clock, endOf(bound)))
                .addAcceptor(WaiterAcceptor.retryOnResponseAcceptor(state -> true))
                .overrideConfiguration(Polling.every(config.timeouts().pollInterval(), bound))
                .build().run(pair::standby).matched().response().orElseThrow();
        return StepResult.done(replica.describe() + " is an available replica of " + replica.replicationSource());
    }

    /**
     * The standby of {@code pair} carries our fence tag: it was fenced by an earlier run (an Aurora cluster fenced
     * in a failover, or the writer fenced by this failback) and is a replica now. Only a replica's fence is ever
     * lifted: a replica takes no writes, and a fenced writer must stay fenced.
     */
    private Observation observeFenceToLift(DatabaseGateway pair) {
        DatabaseState standby = pair.standby();
        Optional<List<String>> before = pair.standbyFencedFrom();
        if (before.isEmpty()) {
            return Observation.alreadyDone(standby.describe() + " is not fenced (security groups "
                    + standby.securityGroupIds() + ")");
        }
        if (!standby.isReplica()) {
            return Observation.broken("will not lift the fence of " + standby.describe()
                    + ": it is not a replica, and a fenced writer stays fenced");
        }
        return Observation.toDo("would move " + standby.describe() + " from the fence " + standby.securityGroupIds()
                + " back into security groups " + before.get());
    }

    private StepResult liftFence(DatabaseGateway pair) {
        List<String> before = pair.standbyFencedFrom().orElseThrow();
        pair.liftStandbyFence();
        return StepResult.done("moved " + pair.standby().describe() + " back into security groups " + before);
    }

    /** With the writer fenced, the replica's lag falls to zero: then nothing written is left behind. */
    private Observation observeCatchUp(Run run) {
        OptionalDouble lag = run.database.lagSeconds(config.rpo().lagWindow());
        if (lag.isPresent() && lag.getAsDouble() == 0) {
            run.lagAtPromotion = 0.0;
            return Observation.alreadyDone(run.database.standby().describe() + " has caught up (lag 0 s)");
        }
        return Observation.toDo("would wait up to " + config.timeouts().promotion().toSeconds() + " s for the lag of "
                + run.database.standby().describe() + " to reach 0 (now " + (lag.isPresent()
                        ? String.format("%.0f s", lag.getAsDouble()) : "unknown") + ")");
    }

    private StepResult awaitCatchUp(Run run, Observation seen) {
        Duration bound = waitBound(run, config.timeouts().promotion());
        Waiter.builder(OptionalDouble.class)
                .addAcceptor(WaiterAcceptor.successOnResponseAcceptor(lag -> lag.isPresent() && lag.getAsDouble() == 0))
                .addAcceptor(Polling.until(clock, endOf(bound)))
                .addAcceptor(WaiterAcceptor.retryOnResponseAcceptor(lag -> true))
                .overrideConfiguration(Polling.every(config.timeouts().pollInterval(), bound))
                .build().run(() -> run.database.lagSeconds(config.rpo().lagWindow()));
        run.lagAtPromotion = 0.0;
        return StepResult.done(run.database.standby().describe() + " has caught up (lag 0 s)");
    }

    private Observation observeRebuiltStandby(Run run) {
        if (run.next.standbyExists()) {
            return Observation.alreadyDone(run.next.standby().describe() + " replicates the writer: "
                    + run.next.describePair());
        }
        return Observation.toDo("would create a read replica in " + config.standby().region() + ": "
                + run.next.describePair());
    }

    private StepResult rebuildStandby(Run run, Observation seen) {
        run.next.createStandby();
        return StepResult.done("creating " + run.next.standby().describe() + ": " + run.next.describePair());
    }

    /** The next failover's DNS target is the new standby's writer (health-check-switch: its SECONDARY record). */
    private Observation observeRearmedDns(Run run) {
        DatabaseState standby = run.next.standby();
        if (run.dns.armedFor(standby.endpoint())) {
            return Observation.alreadyDone(run.dns.describe() + ": a failover would send clients to "
                    + standby.describe() + " at " + standby.endpoint());
        }
        return Observation.toDo("would make " + run.dns.describe() + " send clients to " + standby.describe()
                + " at " + standby.endpoint() + " on the next failover");
    }

    private StepResult rearmDns(Run run, Observation seen) {
        DatabaseState standby = run.next.standby();
        String change = run.dns.armFor(standby.endpoint(), "region failover " + run.pair.journalPartition()
                + " run " + run.runId + ": re-armed");
        run.dns.awaitInSync(change, waitBound(run, config.timeouts().dnsSync()), cadence(run));
        return StepResult.done(run.dns.describe() + ": the next failover sends clients to " + standby.describe()
                + " at " + standby.endpoint());
    }

    // ---- ROUTE_READERS, SHIFT_READERS -------------------------------------------------------------------------

    /**
     * A reader-routing step: where each region's reads should go at this point of the run. Best effort: reads
     * that cannot be routed leave a warning; the writer's failover goes on.
     */
    private Step readerStep(StepName name, Function<Run, List<ReaderRecords.Route>> routes) {
        return new Step(name, run -> observeReaders(run, routes), (run, seen) -> routeReaders(run, routes), true);
    }

    private Observation observeReaders(Run run, Function<Run, List<ReaderRecords.Route>> routes) {
        if (run.readers.isEmpty()) {
            return Observation.skip("reader routing is not configured for " + run.pair.name()
                    + " (failover.readers.record-name)", null);
        }
        List<ReaderRecords.Route> wanted = routes.apply(run);
        List<String> pending = run.readers.get().pending(wanted);
        if (pending.isEmpty()) {
            return Observation.alreadyDone(run.readers.get().describe() + " already route reads as wanted: "
                    + describeRoutes(wanted));
        }
        return Observation.toDo("would route " + run.readers.get().describe() + ": " + String.join("; ", pending));
    }

    private StepResult routeReaders(Run run, Function<Run, List<ReaderRecords.Route>> routes) {
        List<String> changes = run.readers.get().apply(routes.apply(run), "region failover "
                + run.pair.journalPartition() + " run " + run.runId, waitBound(run, config.timeouts().dnsSync()),
                config.timeouts().pollInterval());
        run.readerChanges.addAll(changes);
        return StepResult.done(run.readers.get().describe() + ": " + String.join("; ", changes));
    }

    private static String describeRoutes(List<ReaderRecords.Route> routes) {
        return routes.stream().map(route -> route.region() + " " + switch (route.action()) {
            case SERVE -> "serves reads from " + route.endpoint();
            case KEEP -> "serves reads";
            case WITHDRAW -> "withdrawn";
        }).collect(Collectors.joining(", "));
    }

    /** A side with no reader endpoint (still being created) cannot serve reads yet: the step says so. */
    private static String readerEndpoint(DatabaseState side) {
        if (side.readerEndpoint() == null) {
            throw new IllegalStateException(side.describe() + " reports no reader endpoint yet (" + side.status()
                    + ")");
        }
        return side.readerEndpoint();
    }

    // ---- NOTIFY ----------------------------------------------------------------------------------------------

    private StepResult notifyCompleted(Run run, Observation seen) {
        String summary = completedSummary(run, Duration.between(run.startedAt, clock.instant()));
        FailoverReport report = report(run, RunState.COMPLETED, summary);
        notifier.publish(report);
        return StepResult.done("published to " + config.notification().topicArn() + " and EventBridge ("
                + Notifier.detailType(report) + ")");
    }

    // ---- the machinery ---------------------------------------------------------------------------------------

    /**
     * The bound of the current step's wait: what is left of its configured bound since the step first started (a
     * wait resumed by a later invocation does not start its bound again, so a change that never comes ends the
     * step instead of pausing it forever), cut to what the invocation has left.
     */
    private Duration waitBound(Run run, Duration configured) {
        Instant first = run.firstStarted.getOrDefault(run.currentStep, clock.instant());
        Duration left = configured.minus(Duration.between(first, clock.instant()));
        if (left.isNegative() || left.isZero()) {
            throw new Polling.WaitEnded(run.currentStep + " has waited its whole bound of " + configured.toSeconds()
                    + " s since " + first + ", across invocations");
        }
        return run.deadline.bound(left);
    }

    /** The end of a wait that starts now with {@code bound}, on the clock the waits' acceptors read. */
    private Instant endOf(Duration bound) {
        return clock.instant().plus(bound);
    }

    private StepRecord execute(Step step, Run run) {
        Instant started = run.firstStarted.getOrDefault(step.name, clock.instant());
        run.firstStarted.put(step.name, started);
        run.currentStep = step.name;
        run.journal.recordStep(run.runId, run.position(step.name), new StepRecord(step.name, StepStatus.IN_PROGRESS,
                started, null,
                "started", null));
        StepResult result;
        // A bound cut short by the invocation's end speaks for this step's wait only.
        run.deadline.forgetCut();
        try {
            result = attempt(step, run);
        } catch (RuntimeException e) {
            if (run.deadline.nearlyOver() || run.deadline.cutAWaitShort()) {
                // A wait cut short by the invocation's end is not a failure: the step stays open and resumes.
                LOG.warnf("step %s of run %s stopped at the invocation's deadline: %s", step.name, run.runId,
                        Errors.describe(e));
                result = new StepResult(StepStatus.IN_PROGRESS, "stopped at the invocation's deadline; resumes on "
                        + "the next trigger", null);
            } else if (step.bestEffort) {
                LOG.warnf(e, "step %s of run %s could not be done; the run goes on", step.name, run.runId);
                result = new StepResult(StepStatus.SKIPPED, "could not be done: " + Errors.describe(e),
                        step.name + " could not be done (" + Errors.describe(e) + "): check "
                                + run.pair.name() + "'s reader records and their health alarms");
            } else {
                LOG.errorf(e, "step %s of run %s failed", step.name, run.runId);
                result = new StepResult(StepStatus.FAILED, Errors.describe(e), null);
            }
        }
        StepRecord record = new StepRecord(step.name, result.status(), started, clock.instant(), result.detail(),
                result.warning());
        record(run, record);
        return record;
    }

    /**
     * Observe, then act if needed; a transient AWS failure (throttling, 5xx, a timeout) tries the whole step
     * again after a jittered wait, up to {@code failover.timeouts.step-attempts}. Trying again from the
     * observation is safe because every step is idempotent.
     */
    private StepResult attempt(Step step, Run run) {
        for (int attempt = 1;; attempt++) {
            try {
                Observation seen = step.observe.apply(run);
                return switch (seen.kind) {
                    case ALREADY_DONE -> new StepResult(StepStatus.ALREADY_DONE, seen.detail, seen.warning);
                    case PASS -> new StepResult(StepStatus.DONE, seen.detail, seen.warning);
                    case SKIP -> new StepResult(StepStatus.SKIPPED, seen.detail, seen.warning);
                    case REFUSE -> new StepResult(StepStatus.REFUSED, seen.detail, null);
                    case BROKEN -> new StepResult(StepStatus.FAILED, seen.detail, null);
                    case TO_DO -> step.act.apply(run, seen);
                };
            } catch (RuntimeException e) {
                if (attempt >= config.timeouts().stepAttempts() || !Transient.isTransient(e)
                        || run.deadline.nearlyOver() || run.deadline.cutAWaitShort()) {
                    throw e;
                }
                Duration wait = Transient.backoff(attempt);
                LOG.warnf("step %s of run %s: transient failure (%s); try %d of %d in %d ms", step.name, run.runId,
                        Errors.describe(e), attempt + 1, config.timeouts().stepAttempts(), wait.toMillis());
                retryPause.before(wait);
            }
        }
    }

    private void record(Run run, StepRecord step) {
        run.records.add(step);
        if (step.warning() != null) {
            run.warnings.add(step.warning());
        }
        LOG.infof("run %s step %s %s in %d ms: %s", run.runId, step.name(), step.status(), step.durationMillis(),
                step.detail());
        run.journal.recordStep(run.runId, run.position(step.name()), step);
    }

    /** Near the invocation's end: keep the journal, hand the lease back, and let the next trigger resume. */
    private WorkflowResult pause(Run run, StepName at) {
        run.journal.pause(run.runId, run.owner, clock.instant());
        if (at == StepName.AWAIT_APPROVAL && run.approvalAwaited != null) {
            String reason = "run " + run.runId + " awaits an operator's approval until "
                    + run.approvalAwaited.expiresAt() + " (a Failover Approved order naming the run); nothing has "
                    + "been changed";
            return new WorkflowResult(WorkflowResult.Outcome.AWAITING_APPROVAL, reason,
                    report(run, RunState.RUNNING, reason));
        }
        return new WorkflowResult(WorkflowResult.Outcome.PAUSED, "run " + run.runId + " saved its place before "
                + at + " at the invocation's deadline; the next trigger resumes it", report(run, RunState.RUNNING,
                        "paused before " + at));
    }

    /** Ends a run that did not complete: journal it, tell people, and leave the lease in the documented state. */
    private WorkflowResult end(Run run, RunState state, String summary) {
        FailoverReport report = report(run, state, summary);
        try {
            notifier.publish(report);
        } catch (RuntimeException e) {
            LOG.errorf(e, "could not notify the %s outcome of run %s", state, run.runId);
            summary += " (and the notification failed: " + Errors.describe(e) + ")";
        }
        run.journal.finishRun(run.runId, state, summary, run.lagAtPromotion, clock.instant());
        run.journal.release(run.runId, run.owner, run.request.kind(), state, clock.instant());
        topology.afterRun(run.pair, run.runId, run.request.kind(), state);
        WorkflowResult.Outcome outcome = state == RunState.REFUSED ? WorkflowResult.Outcome.REFUSED
                : WorkflowResult.Outcome.FAILED;
        return new WorkflowResult(outcome, summary, report(run, state, summary));
    }

    private String completedSummary(Run run, Duration took) {
        return run.request.kind() == RunKind.FAILBACK
                ? String.format("failed back from %s to %s in %.1f s", config.standby().region(),
                        config.primary().region(), took.toMillis() / 1000.0)
                : String.format("failed over from %s to %s in %.1f s", config.primary().region(),
                        config.standby().region(), took.toMillis() / 1000.0);
    }

    private FailoverReport report(Run run, RunState state, String summary) {
        return new FailoverReport(config.plan(), run.pair.name(), run.request.kind(), run.runId, state, summary,
                run.request.trigger(),
                run.request.reason(), run.request.force(),
                "the " + run.pair.kind().name().toLowerCase().replace('_', '-') + " primary in "
                        + config.primary().region(),
                run.newWriter,
                run.pair.dns().recordName(),
                run.pair.dns().readers().map(DatabasePair.Readers::recordName).orElse(null),
                run.readers.isPresent() ? List.copyOf(run.readerChanges) : null, run.lagAtPromotion,
                run.request.verdict() == null ? "none" : run.request.verdict().summary(),
                List.copyOf(run.records), List.copyOf(run.warnings), run.startedAt, clock.instant(),
                // detection belongs to the invocation that started the run on its verdict
                RtoBreakdown.of(run.resumed || run.request.verdict() == null || run.spec.startedBy().byOperator() ? null
                        : run.request.verdict().failingSince(), run.startedAt, run.records,
                        config.timeouts().pollInterval(), Optional.ofNullable(run.writerToldBy)));
    }

    private Observation observeSafely(Step step, Run run) {
        try {
            return step.observe.apply(run);
        } catch (RuntimeException e) {
            return Observation.broken("could not check: " + Errors.describe(e));
        }
    }

    /**
     * One step: how it looks, and how it acts when the look says there is work to do. A best-effort step that
     * cannot be done is SKIPPED with a warning instead of failing the run.
     */
    private record Step(StepName name, Function<Run, Observation> observe,
            BiFunction<Run, Observation, StepResult> act, boolean bestEffort) {

        Step(StepName name, Function<Run, Observation> observe, BiFunction<Run, Observation, StepResult> act) {
            this(name, observe, act, false);
        }
    }

    private record Observation(Kind kind, String detail, String warning) {

        enum Kind {
            /** The step's effect is already in place. */
            ALREADY_DONE,
            /** A guard that lets the run go on. */
            PASS,
            TO_DO, SKIP, REFUSE,
            /** The step cannot even tell what to do. */
            BROKEN
        }

        static Observation alreadyDone(String detail) {
            return new Observation(Kind.ALREADY_DONE, detail, null);
        }

        static Observation pass(String detail, String warning) {
            return new Observation(Kind.PASS, detail, warning);
        }

        static Observation toDo(String detail) {
            return new Observation(Kind.TO_DO, detail, null);
        }

        static Observation skip(String detail, String warning) {
            return new Observation(Kind.SKIP, detail, warning);
        }

        static Observation refuse(String detail) {
            return new Observation(Kind.REFUSE, detail, null);
        }

        static Observation broken(String detail) {
            return new Observation(Kind.BROKEN, detail, null);
        }
    }

    private record StepResult(StepStatus status, String detail, String warning) {

        static StepResult done(String detail) {
            return new StepResult(StepStatus.DONE, detail, null);
        }
    }

    private Run newRun(DatabasePair pair, Lifecycle.RunSpec spec, JournalStore journal, String runId,
            FailoverRequest request, String owner, Deadline deadline, Instant startedAt) {
        DatabaseGateway current = pairs.at(pair, spec.generation());
        DnsGateway dns = dnsGateways.forPair(pair);
        Optional<ReaderRecords> readers = dnsGateways.readersFor(pair);
        return request.kind() == RunKind.FAILBACK
                ? new Run(pair, spec, journal, dns, readers, runId, request, owner, deadline, startedAt, failback,
                        current.reversed(), DnsGateway.Side.PRIMARY, pairs.next(pair, spec.generation()))
                : new Run(pair, spec, journal, dns, readers, runId, request, owner, deadline, startedAt,
                        // the dry run of an approval-required plan shows the gate, even for an order that skips it
                        spec.approvalRequired() || (runId.equals("dry-run") && approvalMode()) ? approvedFailover
                                : failover,
                        current, DnsGateway.Side.STANDBY, null);
    }

    /** One run in flight: what the steps learn travels here to the later steps and the report. */
    private static final class Run {
        final DatabasePair pair;
        /** The run's persisted definition. */
        final Lifecycle.RunSpec spec;
        /** The pair's own journal partition. */
        final JournalStore journal;
        final DnsGateway dns;
        /** The pair's reader routing, when it has a reader name. */
        final Optional<ReaderRecords> readers;
        final String runId;
        final FailoverRequest request;
        final String owner;
        final Deadline deadline;
        final Instant startedAt;
        final List<Step> steps;
        /** The pair as this run sees it: reversed for a failback. */
        final DatabaseGateway database;
        /** Where this run sends clients. */
        final DnsGateway.Side side;
        /** The pair after a failback (its new standby is rebuilt); null for a failover. */
        final DatabaseGateway next;
        final List<StepRecord> records = new ArrayList<>();
        final List<String> warnings = new ArrayList<>();
        final List<String> readerChanges = new ArrayList<>();
        Double lagAtPromotion;
        String newWriter;
        /** The approval request this invocation found open (AWAIT_APPROVAL paused the run). */
        JournalStore.Approval approvalAwaited;
        /** Continued from an earlier invocation: its earlier steps and its detection are not in this one's records. */
        boolean resumed;
        /** This run asked for the promotion (its journal has the step), in this invocation or an earlier one; in a dry run, it plans to. */
        boolean promotionIssued;
        /** The RPO guard looked at the lag in this invocation (CHECK_RPO, or the approval's second look). */
        boolean rpoGuardedNow;
        /** The standby as PROMOTE_REPLICA's observation described it, for its action a moment later. */
        DatabaseState standbySeen;
        /** What the name sent clients to when REPOINT_DNS observed it, for the step's record. */
        String dnsTargetBefore;
        /** The RDS event that made AWAIT_WRITER look at AWS when it saw the writer, if one did. */
        Cadence.Told writerToldBy;
        /** When each step first started, in this invocation or the one that left it open. */
        final Map<StepName, Instant> firstStarted = new java.util.EnumMap<>(StepName.class);
        StepName currentStep;

        Run(DatabasePair pair, Lifecycle.RunSpec spec, JournalStore journal, DnsGateway dns, Optional<ReaderRecords> readers, String runId,
                FailoverRequest request, String owner, Deadline deadline, Instant startedAt, List<Step> steps, DatabaseGateway database,
                DnsGateway.Side side, DatabaseGateway next) {
            this.pair = pair;
            this.spec = spec;
            this.journal = journal;
            this.dns = dns;
            this.readers = readers;
            this.runId = runId;
            this.request = request;
            this.owner = owner;
            this.deadline = deadline;
            this.startedAt = startedAt;
            this.steps = steps;
            this.database = database;
            this.side = side;
            this.next = next;
        }

        boolean dryRun() {
            return "dry-run".equals(runId);
        }

        /** A failback loses no data, like an operator's planned switchover. */
        boolean planned() {
            return request.planned() || request.kind() == RunKind.FAILBACK;
        }

        /** The step's place in this run (the lease is 0): the order of the journal's timeline. */
        int position(StepName name) {
            for (int i = 0; i < steps.size(); i++) {
                if (steps.get(i).name == name) {
                    return i + 1;
                }
            }
            return 0;
        }
    }
}
