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
import dev.regionfailover.store.JournalStore;
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
    /**
     * The run each pair had FAILED when this invocation began: an operator's order may retry it, and it ends
     * again. Run ids are unique across pairs (a time and a random part), so these maps need no pair.
     */
    private final Map<String, String> failedBefore = new HashMap<>();
    private final Map<String, Integer> endings = new HashMap<>();
    private final Map<String, Integer> retries = new HashMap<>();

    WorldInvariants(ExploredSystem world) {
        this.world = world;
    }

    int checks() {
        return checks;
    }

    /** The plan's pairs, each with its journal partition: every invariant below holds for each. */
    private record Pair(String name, InMemoryJournal journal) {
    }

    private List<Pair> pairs() {
        List<Pair> pairs = new ArrayList<>();
        for (int i = 0; i < world.pairs.size(); i++) {
            pairs.add(new Pair(world.pairs.get(i).name(), world.journalOf(i)));
        }
        return pairs;
    }

    /** The pair's databases: its instances of every generation (or, for Aurora, the global database's members). */
    private List<FakeAws.Database> databasesOf(Pair pair) {
        return world.aws.databases().stream().filter(database -> database.pair.equals(pair.name())).toList();
    }

    void beforeInvocation() {
        callsBefore = world.aws.calls.size();
        noticesBefore = world.notices.size();
        Set<String> runs = new HashSet<>();
        failedBefore.clear();
        for (Pair pair : pairs()) {
            runs.addAll(pair.journal().runs.keySet());
            Lifecycle.PlanState state = pair.journal().state();
            if (state.phase() == Lifecycle.Phase.FAILED) {
                state.run().map(Lifecycle.RunSpec::runId).ifPresent(run -> failedBefore.put(pair.name(), run));
            }
        }
        runsBefore = Set.copyOf(runs);
    }

    void afterInvocation(String owner, HandlerResponse response, RuntimeException thrown) {
        checks++;
        if (thrown != null && !(thrown instanceof ExploredSystem.Killed)) {
            throw new AssertionError("an invocation must answer, not throw: " + owner + " threw " + thrown, thrown);
        }
        List<FakeAws.Call> made = List.copyOf(world.aws.calls.subList(callsBefore, world.aws.calls.size()));
        if (!made.isEmpty() && response != null && (CHANGED_NOTHING.contains(response.outcome())
                // a plan's summary says AWAITING_APPROVAL while another pair's run may act: one pair's answer only
                || (world.pairs.size() == 1 && response.outcome().equals("AWAITING_APPROVAL")))) {
            throw new AssertionError("answered " + response.outcome() + " but changed " + made);
        }
        for (Pair pair : pairs()) {
            List<FakeAws.Call> changed = made.stream().filter(call -> call.pair().equals(pair.name())).toList();
            if (changed.isEmpty()) {
                continue;
            }
            // A pair's databases and name are changed only by a run of that pair: its journal holds the run.
            Lifecycle.RunSpec run = pair.journal().state.run;
            if (run == null) {
                throw new AssertionError("changes made to pair " + pair.name() + " outside any of its runs: "
                        + changed);
            }
            callsByRun.computeIfAbsent(run.runId(), id -> new ArrayList<>()).addAll(changed);
            perRun(pair, run, callsByRun.get(run.runId()));
        }
        for (Pair pair : pairs()) {
            for (String started : pair.journal().runs.keySet()) {
                if (!runsBefore.contains(started)) {
                    automaticStartNeedsAFailedVerdict(pair.journal().runs.get(started).spec);
                }
            }
        }
        // One outcome notification per ending: a run ends once, and once more each time an operator retries it
        // after it FAILED (Lifecycle resumes the failed run itself, with its own steps).
        Map<String, Long> told = world.notices.subList(noticesBefore, world.notices.size()).stream()
                .filter(notice -> notice.report() != null)
                .collect(Collectors.groupingBy(notice -> notice.report().runId(), Collectors.counting()));
        for (Pair pair : pairs()) {
            String failed = failedBefore.get(pair.name());
            Lifecycle.PlanState after = pair.journal().state();
            if (failed != null && (told.containsKey(failed) || (after.phase() == Lifecycle.Phase.RUNNING
                    && after.run().map(Lifecycle.RunSpec::runId).filter(failed::equals).isPresent()))) {
                retries.merge(failed, 1, Integer::sum);
            }
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
     * target per run, each within the run's data-loss budget; and, across the plan, a pair's name moves only to
     * that pair's own database, once that run asked for its promotion (never to a database nobody promoted).
     */
    private void perRun(Pair pair, Lifecycle.RunSpec run, List<FakeAws.Call> calls) {
        // approval-required: an automatic failover changes nothing, on any database or name, until a human said yes
        if (run.approvalRequired() && !pair.journal().approval(run.runId()).map(JournalStore.Approval::granted)
                .orElse(false)) {
            throw new AssertionError("run " + run.runId() + " of pair " + pair.name() + " waits for approval (none "
                    + "granted) yet changed " + calls);
        }
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
        boolean promoted = false;
        for (FakeAws.Call call : calls) {
            promoted |= call.promotion();
            if (!call.action().equals("ChangeResourceRecordSets")) {
                continue;
            }
            if (databasesOf(pair).stream().noneMatch(database -> database.endpoint().equals(call.target()))) {
                throw new AssertionError("run " + run.runId() + " of pair " + pair.name() + " sent its name to "
                        + call.target() + ", not one of its own databases");
            }
            if (!promoted) {
                throw new AssertionError("run " + run.runId() + " of pair " + pair.name() + " moved its name to "
                        + call.target() + " before asking for any promotion: " + calls);
            }
        }
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
        // the streak is the plan's: one evaluation reads every pair
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
        for (Pair pair : pairs()) {
            writerNameNamesAWriter(pair);
            runsKeepTheirDefinition(pair);
            Lifecycle.Phase phase = pair.journal().state().phase();
            if (phase != Lifecycle.Phase.RUNNING) {
                atRest(pair, phase);
            }
        }
    }

    /**
     * The pair's writer name names a writer of that pair (whatever another pair's run did). An Aurora managed
     * failover demotes the old writer itself, before the run repoints the name (RDS's promotion leaves its source
     * a writer): so the name may name the member a run demoted while that run is under way, or has FAILED and said
     * so (only that run can follow a FAILED one: Lifecycle).
     */
    private void writerNameNamesAWriter(Pair pair) {
        String name = world.aws.writerNames.get(pair.name());
        FakeAws.Database named = namedBy(pair);
        if (named.writer()) {
            return;
        }
        Lifecycle.PlanState state = pair.journal().state();
        boolean demotedByTheRun = named instanceof FakeAws.Cluster
                && (state.phase() == Lifecycle.Phase.RUNNING || state.phase() == Lifecycle.Phase.FAILED)
                && state.run().map(run -> callsByRun.getOrDefault(run.runId(), List.of()).stream()
                        .anyMatch(FakeAws.Call::promotion)).orElse(false);
        if (!demotedByTheRun) {
            throw new AssertionError("the writer name " + name + " of pair " + pair.name() + " names " + named.id
                    + ", a replica of " + named.source() + " (" + state.phase() + ")");
        }
    }

    private FakeAws.Database namedBy(Pair pair) {
        String name = world.aws.writerNames.get(pair.name());
        return databasesOf(pair).stream().filter(database -> database.endpoint().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("the writer name of pair " + pair.name() + " names none of "
                        + "its databases: " + name));
    }

    private void runsKeepTheirDefinition(Pair pair) {
        Lifecycle.RunSpec current = pair.journal().state.run;
        if (current != null) {
            Lifecycle.RunSpec first = firstSeen.putIfAbsent(current.runId(), current);
            if (first != null && !first.equals(current)) {
                throw new AssertionError("run " + current.runId() + " changed its definition from " + first + " to "
                        + current);
            }
        }
        pair.journal().runs.forEach((id, run) -> {
            Lifecycle.RunSpec first = firstSeen.putIfAbsent(id, run.spec);
            if (first != null && !first.equals(run.spec)) {
                throw new AssertionError("run " + id + " changed its definition from " + first + " to " + run.spec);
            }
            if (run.spec.kind() == RunKind.FAILOVER) {
                pair.journal().steps(id).stream().map(StepRecord::name).filter(FAILBACK_ONLY::contains).findFirst()
                        .ifPresent(step -> {
                            throw new AssertionError("failover run " + id + " ran the failback's step " + step);
                        });
            }
        });
    }

    /**
     * With no run of the pair under way: its clients go to an unfenced writer (unless its last run FAILED, which
     * said so), and it has a second unfenced writer only where one of its runs warned, in its notification, that it
     * could not fence.
     */
    private void atRest(Pair pair, Lifecycle.Phase phase) {
        FakeAws.Database named = namedBy(pair);
        if (phase != Lifecycle.Phase.FAILED && named.fencedFrom != null) {
            throw new AssertionError("at rest (" + phase + ") the writer name of pair " + pair.name()
                    + " sends clients to " + named.id + ", which our fence holds");
        }
        List<String> unfencedWriters = databasesOf(pair).stream()
                .filter(database -> database.writer() && database.fencedFrom == null).map(database -> database.id)
                .toList();
        if (unfencedWriters.size() > 1) {
            boolean warned = world.notices.stream().filter(notice -> notice.report() != null)
                    .filter(notice -> pair.journal().runs.containsKey(notice.report().runId()))
                    .anyMatch(notice -> notice.report().warnings() != null && notice.report().warnings().stream()
                            .anyMatch(warning -> warning.contains("could not be fenced")));
            if (!warned) {
                throw new AssertionError("two unfenced writers " + unfencedWriters + " of pair " + pair.name()
                        + " and no notification of its runs said a fence failed");
            }
        }
    }

    boolean aRunIsUnfinished() {
        return pairs().stream().anyMatch(pair -> pair.journal().state().phase() == Lifecycle.Phase.RUNNING);
    }

    /** Never stuck, never silent: in a healed world every pair's runs have ended, and each said how, once. */
    void atEnd() {
        checks++;
        for (Pair pair : pairs()) {
            Lifecycle.RunSpec running = pair.journal().state.run;
            if (pair.journal().state().phase() == Lifecycle.Phase.RUNNING) {
                throw new AssertionError("stuck: run " + running.runId() + " of pair " + pair.name() + " is still "
                        + "RUNNING after the world healed; steps " + pair.journal().steps(running.runId()));
            }
        }
        // No silent approval request: every run that asked was told to people, and told once unless a notice's
        // mark was lost with its invocation.
        for (Pair pair : pairs()) {
            pair.journal().runs.forEach((id, run) -> {
                if (run.approval != null && (!run.approval.told() || world.notices.stream()
                        .noneMatch(notice -> notice.kind().equals("approval " + id)))) {
                    throw new AssertionError("run " + id + " of pair " + pair.name() + " asked for approval at "
                            + run.approval.requestedAt() + " but nobody was told");
                }
            });
        }
        // The last word on each run is how it ended (an earlier FAILED one may precede an operator's retry).
        Map<String, RunState> lastTold = new HashMap<>();
        world.notices.stream().filter(notice -> notice.report() != null)
                .forEach(notice -> lastTold.put(notice.report().runId(), notice.report().state()));
        Set<String> notified = new HashSet<>();
        lastTold.forEach((runId, told) -> {
            InMemoryJournal.RunItem run = pairs().stream().map(pair -> pair.journal().runs.get(runId))
                    .filter(Objects::nonNull).findFirst().orElse(null);
            if (run == null) {
                throw new AssertionError("a notification for a run no pair's journal knows: " + runId);
            }
            if (told != run.state) {
                throw new AssertionError("run " + runId + " ended " + run.state + " but last notified " + told);
            }
            notified.add(runId);
        });
        for (Pair pair : pairs()) {
            pair.journal().runs.forEach((id, run) -> {
                if (run.state == RunState.RUNNING) {
                    throw new AssertionError("run " + id + " of pair " + pair.name() + " is journaled RUNNING though "
                            + "the pair moved on");
                }
                if (!notified.contains(id)) {
                    throw new AssertionError("run " + id + " of pair " + pair.name() + " ended " + run.state
                            + " silently: " + run.summary);
                }
                waitsWereForChangesThatCouldCome(pair, id);
            });
        }
    }

    /** A wait for the writer that ran out its bound must have had a promotion to wait for. */
    private void waitsWereForChangesThatCouldCome(Pair pair, String runId) {
        boolean promoted = callsByRun.getOrDefault(runId, List.of()).stream()
                .anyMatch(FakeAws.Call::promotion);
        pair.journal().steps(runId).stream()
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
