package dev.regionfailover.explore;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import dev.regionfailover.config.FailoverConfig;
import dev.regionfailover.failover.Lifecycle;
import dev.regionfailover.failover.RunKind;
import dev.regionfailover.failover.RunState;
import dev.regionfailover.failover.StepName;
import dev.regionfailover.failover.StepRecord;
import dev.regionfailover.failover.StepStatus;
import dev.regionfailover.failover.Trigger;
import dev.regionfailover.handler.HandlerResponse;
import dev.regionfailover.health.HealthHistory;

/**
 * The invariants of docs/safety.md, checked on the explored world after every invocation and every action. A
 * broken one throws an AssertionError that names it; jqwik then shrinks the history that broke it.
 */
final class WorldInvariants {

    /** Steps only a failback has: a failover run that journals one is running someone else's step list. */
    private static final Set<StepName> FAILBACK_ONLY = EnumSet.of(StepName.PREPARE_FAILBACK_REPLICA,
            StepName.AWAIT_FAILBACK_REPLICA, StepName.UNFENCE_FAILBACK_TARGET, StepName.SHIFT_READERS,
            StepName.AWAIT_CATCH_UP, StepName.REBUILD_STANDBY_REPLICA, StepName.AWAIT_STANDBY_REPLICA,
            StepName.UNFENCE_NEW_STANDBY, StepName.REARM_DNS);
    /** Answers that promise nothing was changed. */
    private static final Set<String> CHANGED_NOTHING = Set.of("IGNORED", "RECORDED", "DUPLICATE", "ALREADY_DONE",
            "EVALUATED", "DRY_RUN", "ACKNOWLEDGED", "REJECTED");

    private final ExploredSystem world;
    private final Map<String, Lifecycle.RunSpec> firstSeen = new HashMap<>();
    private final Map<String, List<FakeAws.Call>> callsByRun = new HashMap<>();
    private int checks;
    private int callsBefore;
    private int noticesBefore;
    private Set<String> runsBefore = Set.of();
    /** The run that had FAILED when this invocation began: an operator's order may retry it, and it ends again. */
    private String failedBefore;
    private final Map<String, Integer> endings = new HashMap<>();
    private final Map<String, Integer> retries = new HashMap<>();

    WorldInvariants(ExploredSystem world) {
        this.world = world;
    }

    int checks() {
        return checks;
    }

    void beforeInvocation() {
        callsBefore = world.aws.calls.size();
        noticesBefore = world.notices.size();
        runsBefore = Set.copyOf(world.journal.runs.keySet());
        Lifecycle.PlanState state = world.journal.state();
        failedBefore = state.phase() == Lifecycle.Phase.FAILED ? state.run().map(Lifecycle.RunSpec::runId).orElse(null)
                : null;
    }

    void afterInvocation(String owner, HandlerResponse response, RuntimeException thrown) {
        checks++;
        if (thrown != null && !(thrown instanceof ExploredSystem.Killed)) {
            throw new AssertionError("an invocation must answer, not throw: " + owner + " threw " + thrown, thrown);
        }
        List<FakeAws.Call> made = List.copyOf(world.aws.calls.subList(callsBefore, world.aws.calls.size()));
        if (!made.isEmpty()) {
            if (response != null && CHANGED_NOTHING.contains(response.outcome())) {
                throw new AssertionError("answered " + response.outcome() + " but changed " + made);
            }
            Lifecycle.RunSpec run = world.journal.state.run;
            if (run == null) {
                throw new AssertionError("changes made outside any run: " + made);
            }
            callsByRun.computeIfAbsent(run.runId(), id -> new ArrayList<>()).addAll(made);
            perRun(run, callsByRun.get(run.runId()));
        }
        for (String started : world.journal.runs.keySet()) {
            if (!runsBefore.contains(started)) {
                automaticStartNeedsAFailedVerdict(world.journal.runs.get(started).spec);
            }
        }
        // One outcome notification per ending: a run ends once, and once more each time an operator retries it
        // after it FAILED (Lifecycle resumes the failed run itself, with its own steps).
        Map<String, Long> told = world.notices.subList(noticesBefore, world.notices.size()).stream()
                .filter(notice -> notice.report() != null)
                .collect(Collectors.groupingBy(notice -> notice.report().runId(), Collectors.counting()));
        Lifecycle.PlanState after = world.journal.state();
        if (failedBefore != null && (told.containsKey(failedBefore) || (after.phase() == Lifecycle.Phase.RUNNING
                && after.run().map(Lifecycle.RunSpec::runId).filter(failedBefore::equals).isPresent()))) {
            retries.merge(failedBefore, 1, Integer::sum);
        }
        told.forEach((run, count) -> {
            int total = endings.merge(run, count.intValue(), Integer::sum);
            if (total > 1 + retries.getOrDefault(run, 0)) {
                throw new AssertionError("run " + run + " notified its outcome " + total + " times, with "
                        + retries.getOrDefault(run, 0) + " retries after it failed");
            }
        });
        if (world.notices.size() > noticesBefore && response != null && "DRY_RUN".equals(response.outcome())) {
            throw new AssertionError("a dry run notified: " + world.notices.subList(noticesBefore,
                    world.notices.size()));
        }
    }

    /**
     * At most one promotion (PromoteReadReplica, or a managed failover or switchover) and one DNS change per
     * target per run, each within the run's data-loss budget.
     */
    private void perRun(Lifecycle.RunSpec run, List<FakeAws.Call> calls) {
        List<FakeAws.Call> promotions = calls.stream().filter(FakeAws.Call::promotion).toList();
        if (promotions.size() > 1) {
            throw new AssertionError("run " + run.runId() + " promoted " + promotions.size() + " times: " + promotions);
        }
        Map<String, Long> dnsChanges = calls.stream().filter(call -> call.action().equals("ChangeResourceRecordSets"))
                .collect(Collectors.groupingBy(FakeAws.Call::target, Collectors.counting()));
        dnsChanges.forEach((target, count) -> {
            if (count > 1) {
                throw new AssertionError("run " + run.runId() + " sent the writer name to " + target + " " + count
                        + " times");
            }
        });
        for (FakeAws.Call promotion : promotions) {
            double lag = promotion.lag();
            boolean lossless = run.planned() || run.kind() == RunKind.FAILBACK
                    || (run.mode() == FailoverConfig.FailoverMode.PLANNED_ONLY && !run.startedBy().byOperator());
            if (lossless && lag != 0 && !run.force()) {
                throw new AssertionError("run " + run.runId() + " (" + run.kind() + ", planned " + run.planned()
                        + ", mode " + run.mode() + ") must lose no data but promoted " + promotion.target()
                        + " with " + lag + " s of lag");
            }
            if (run.mode() == FailoverConfig.FailoverMode.RPO_BOUNDED && !run.force()
                    && lag > world.config.rpo().maxLagSeconds()) {
                throw new AssertionError("run " + run.runId() + " promoted " + promotion.target() + " " + lag
                        + " s behind, beyond the RPO budget of " + world.config.rpo().maxLagSeconds() + " s");
            }
        }
    }

    /** An alarm or a tick starts a failover only on a verdict that has been FAILED for the configured time. */
    private void automaticStartNeedsAFailedVerdict(Lifecycle.RunSpec run) {
        Trigger.Kind by = run.startedBy().kind();
        if (run.kind() != RunKind.FAILOVER || (by != Trigger.Kind.ALARM && by != Trigger.Kind.SCHEDULE)) {
            return;
        }
        HealthHistory streak = world.journal.health;
        FailoverConfig.Health health = world.config.health();
        if (!streak.failing() || streak.counted() < health.consecutiveFailures()
                || streak.failingFor(run.startedAt()).compareTo(health.failedAfter()) < 0) {
            throw new AssertionError("automatic run " + run.runId() + " started by " + by + " at " + run.startedAt()
                    + " on a streak of " + streak.counted() + " counted evaluations failing for "
                    + streak.failingFor(run.startedAt()) + " (needs " + health.consecutiveFailures() + " and "
                    + health.failedAfter() + ")");
        }
    }

    void afterAction(Action action) {
        checks++;
        writerNameNamesAWriter();
        runsKeepTheirDefinition();
        Lifecycle.Phase phase = world.journal.state().phase();
        if (phase != Lifecycle.Phase.RUNNING) {
            atRest(phase);
        }
    }

    /**
     * The writer name names a writer. An Aurora managed failover demotes the old writer itself, before the run
     * repoints the name (RDS's promotion leaves its source a writer): so the name may name the member a run demoted
     * while that run is under way, or has FAILED and said so (only that run can follow a FAILED one: Lifecycle).
     */
    private void writerNameNamesAWriter() {
        FakeAws.Database named = world.aws.databases().stream()
                .filter(database -> database.endpoint().equals(world.aws.writerName)).findFirst()
                .orElseThrow(() -> new AssertionError("the writer name names no database: " + world.aws.writerName));
        if (named.writer()) {
            return;
        }
        Lifecycle.PlanState state = world.journal.state();
        boolean demotedByTheRun = named instanceof FakeAws.Cluster
                && (state.phase() == Lifecycle.Phase.RUNNING || state.phase() == Lifecycle.Phase.FAILED)
                && state.run().map(run -> callsByRun.getOrDefault(run.runId(), List.of()).stream()
                        .anyMatch(FakeAws.Call::promotion)).orElse(false);
        if (!demotedByTheRun) {
            throw new AssertionError("the writer name names " + named.id + ", a replica of " + named.source()
                    + " (" + state.phase() + ")");
        }
    }

    private void runsKeepTheirDefinition() {
        Lifecycle.RunSpec current = world.journal.state.run;
        if (current != null) {
            Lifecycle.RunSpec first = firstSeen.putIfAbsent(current.runId(), current);
            if (first != null && !first.equals(current)) {
                throw new AssertionError("run " + current.runId() + " changed its definition from " + first + " to "
                        + current);
            }
        }
        world.journal.runs.forEach((id, run) -> {
            Lifecycle.RunSpec first = firstSeen.putIfAbsent(id, run.spec);
            if (first != null && !first.equals(run.spec)) {
                throw new AssertionError("run " + id + " changed its definition from " + first + " to " + run.spec);
            }
            if (run.spec.kind() == RunKind.FAILOVER) {
                world.journal.steps(id).stream().map(StepRecord::name).filter(FAILBACK_ONLY::contains).findFirst()
                        .ifPresent(step -> {
                            throw new AssertionError("failover run " + id + " ran the failback's step " + step);
                        });
            }
        });
    }

    /**
     * With no run under way: clients go to an unfenced writer (unless the last run FAILED, which said so), and a
     * second unfenced writer exists only where a run warned, in its notification, that it could not fence.
     */
    private void atRest(Lifecycle.Phase phase) {
        FakeAws.Database named = world.aws.databases().stream()
                .filter(database -> database.endpoint().equals(world.aws.writerName)).findFirst().orElseThrow();
        if (phase != Lifecycle.Phase.FAILED && named.fencedFrom != null) {
            throw new AssertionError("at rest (" + phase + ") the writer name sends clients to " + named.id
                    + ", which our fence holds");
        }
        List<String> unfencedWriters = world.aws.databases().stream()
                .filter(database -> database.writer() && database.fencedFrom == null).map(database -> database.id)
                .toList();
        if (unfencedWriters.size() > 1) {
            boolean warned = world.notices.stream().filter(notice -> notice.report() != null)
                    .anyMatch(notice -> notice.report().warnings() != null && notice.report().warnings().stream()
                            .anyMatch(warning -> warning.contains("could not be fenced")));
            if (!warned) {
                throw new AssertionError("two unfenced writers " + unfencedWriters + " and no notification said a "
                        + "fence failed");
            }
        }
    }

    boolean aRunIsUnfinished() {
        return world.journal.state().phase() == Lifecycle.Phase.RUNNING;
    }

    /** Never stuck, never silent: in a healed world every run has ended, and each said how, once. */
    void atEnd() {
        checks++;
        if (aRunIsUnfinished()) {
            throw new AssertionError("stuck: run " + world.journal.state.run.runId() + " is still RUNNING after the "
                    + "world healed; steps " + world.journal.steps(world.journal.state.run.runId()));
        }
        // The last word on each run is how it ended (an earlier FAILED one may precede an operator's retry).
        Map<String, RunState> lastTold = new HashMap<>();
        world.notices.stream().filter(notice -> notice.report() != null)
                .forEach(notice -> lastTold.put(notice.report().runId(), notice.report().state()));
        Set<String> notified = new HashSet<>();
        lastTold.forEach((runId, told) -> {
            InMemoryJournal.RunItem run = world.journal.runs.get(runId);
            if (run == null) {
                throw new AssertionError("a notification for a run the journal does not know: " + runId);
            }
            if (told != run.state) {
                throw new AssertionError("run " + runId + " ended " + run.state + " but last notified " + told);
            }
            notified.add(runId);
        });
        world.journal.runs.forEach((id, run) -> {
            if (run.state == RunState.RUNNING) {
                throw new AssertionError("run " + id + " is journaled RUNNING though the plan moved on");
            }
            if (!notified.contains(id)) {
                throw new AssertionError("run " + id + " ended " + run.state + " silently: " + run.summary);
            }
        });
        for (Map.Entry<String, InMemoryJournal.RunItem> run : world.journal.runs.entrySet()) {
            waitsWereForChangesThatCouldCome(run.getKey());
        }
    }

    /** A wait for the writer that ran out its bound must have had a promotion to wait for. */
    private void waitsWereForChangesThatCouldCome(String runId) {
        boolean promoted = callsByRun.getOrDefault(runId, List.of()).stream()
                .anyMatch(FakeAws.Call::promotion);
        world.journal.steps(runId).stream()
                .filter(step -> step.name() == StepName.AWAIT_WRITER && step.status() == StepStatus.FAILED
                        && Objects.toString(step.detail(), "").contains("exceeded"))
                .findFirst().ifPresent(step -> {
                    if (!promoted) {
                        throw new AssertionError("run " + runId + " waited out its bound for a writer nobody "
                                + "promoted: " + step.detail());
                    }
                });
    }
}
