package dev.regionfailover.explore;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import dev.regionfailover.aws.Cadence;
import dev.regionfailover.failover.Lifecycle;
import dev.regionfailover.failover.RunKind;
import dev.regionfailover.failover.RunState;
import dev.regionfailover.failover.StepRecord;
import dev.regionfailover.health.HealthHistory;
import dev.regionfailover.store.JournalStore;

/**
 * {@link JournalStore} in memory, with DynamoJournalStore's conditions write for write: {@code start} and
 * {@code resume} compare the version, {@code release} and {@code pause} need the lease, a run's header is written
 * once. One history runs on one thread at a time, so no lock is needed; the emulator's ConcurrentTriggersIT covers
 * races. Each pair of a plan journals in its own partition ({@link #forPartition}); the health history and
 * readiness are the plan's, on the journal the beans are given.
 */
final class InMemoryJournal implements JournalStore {

    /** The STATE item's attributes; a missing one reads as DynamoJournalStore reads it. */
    static final class StateItem {
        String phase;
        Lifecycle.RunSpec run;
        String leaseOwner;
        Instant leaseExpiresAt;
        Instant cooldownUntil;
        boolean cooldownRefused;
        int generation;
        Long version;
    }

    /** A RUN# header: what was written when the run started, and how it ended. */
    static final class RunItem {
        final Lifecycle.RunSpec spec;
        RunState state = RunState.RUNNING;
        String summary;
        Approval approval;

        RunItem(Lifecycle.RunSpec spec) {
            this.spec = spec;
        }
    }

    private final java.time.Duration lease;
    private final java.time.Duration cooldown;
    final StateItem state = new StateItem();
    final Map<String, RunItem> runs = new LinkedHashMap<>();
    /** The plan's RDS events by source, kept (as DynamoJournalStore keeps them) in one place for every pair. */
    private static final String RDS_EVENTS = "#rds-events";
    private final Map<String, Cadence.Told> rdsEvents = new HashMap<>();
    final Map<String, TreeMap<String, StepRecord>> steps = new HashMap<>();
    HealthHistory health = HealthHistory.none();
    Boolean ready;
    /** Every partition of the table, this one's included: shared by all of them, as one table is. */
    private final Map<String, InMemoryJournal> partitions;

    /** The journal of partition {@code partitionKey} (the plan's own), in a table of its own. */
    InMemoryJournal(String partitionKey, Duration lease, Duration cooldown) {
        this(lease, cooldown, new HashMap<>());
        partitions.put(partitionKey, this);
    }

    private InMemoryJournal(Duration lease, Duration cooldown, Map<String, InMemoryJournal> partitions) {
        this.lease = lease;
        this.cooldown = cooldown;
        this.partitions = partitions;
    }

    /** Another partition of the same table: another pair's journal. */
    @Override
    public JournalStore forPartition(String partitionKey) {
        return partitions.computeIfAbsent(partitionKey, key -> new InMemoryJournal(lease, cooldown, partitions));
    }

    @Override
    public Lifecycle.PlanState state() {
        if (state.phase == null && state.version == null && state.cooldownUntil == null) {
            return Lifecycle.PlanState.initial();
        }
        return new Lifecycle.PlanState(Lifecycle.Phase.valueOf(state.phase == null ? "IDLE" : state.phase),
                Optional.ofNullable(state.run), state.leaseOwner,
                state.leaseExpiresAt == null ? Instant.EPOCH : state.leaseExpiresAt,
                state.cooldownUntil == null ? Instant.EPOCH : state.cooldownUntil, state.cooldownRefused,
                state.generation, state.version == null ? 0 : state.version);
    }

    @Override
    public boolean start(Lifecycle.RunSpec run, String owner, long version, Instant now) {
        boolean matches = version == 0 ? state.version == null || state.version == 0 : Long.valueOf(version)
                .equals(state.version);
        if (!matches) {
            return false;
        }
        state.phase = "RUNNING";
        state.run = run;
        state.leaseOwner = owner;
        state.leaseExpiresAt = now.plus(lease);
        state.version = version + 1;
        return true;
    }

    @Override
    public boolean resume(String runId, String owner, long version, Instant now) {
        if (state.run == null || !state.run.runId().equals(runId) || !Long.valueOf(version).equals(state.version)) {
            return false;
        }
        state.phase = "RUNNING";
        state.leaseOwner = owner;
        state.leaseExpiresAt = now.plus(lease);
        state.version = version + 1;
        return true;
    }

    @Override
    public boolean markCooldownRefusal(long version) {
        if (!Long.valueOf(version).equals(state.version) || state.cooldownRefused) {
            return false;
        }
        state.cooldownRefused = true;
        return true;
    }

    @Override
    public void release(String runId, String owner, RunKind kind, RunState outcome, Instant now) {
        if (state.run == null || !state.run.runId().equals(runId) || !owner.equals(state.leaseOwner)) {
            throw new IllegalStateException("lost the lease of run " + runId + " before releasing it");
        }
        boolean failedBack = kind == RunKind.FAILBACK && outcome == RunState.COMPLETED;
        state.phase = switch (outcome) {
            case COMPLETED -> failedBack ? "IDLE" : "COMPLETED";
            case FAILED -> "FAILED";
            case REFUSED, RUNNING -> kind == RunKind.FAILBACK ? "COMPLETED" : "IDLE";
        };
        if (failedBack) {
            state.generation++;
        }
        if (outcome == RunState.COMPLETED) {
            state.cooldownUntil = now.plus(cooldown);
            state.cooldownRefused = false;
        }
        state.version = (state.version == null ? 0 : state.version) + 1;
        state.leaseOwner = null;
        state.leaseExpiresAt = null;
    }

    @Override
    public void pause(String runId, String owner, Instant now) {
        if (state.run == null || !state.run.runId().equals(runId) || !owner.equals(state.leaseOwner)) {
            throw new IllegalStateException("lost the lease of run " + runId + " before pausing it");
        }
        state.leaseExpiresAt = now;
        state.version = (state.version == null ? 0 : state.version) + 1;
    }

    @Override
    public void startRun(Lifecycle.RunSpec run, String verdict, Instant failingSince, Instant now) {
        runs.putIfAbsent(run.runId(), new RunItem(run));
    }

    @Override
    public void finishRun(String runId, RunState runState, String summary, Double dataLossWindowSeconds,
            Instant now) {
        RunItem run = runs.get(runId);
        if (run != null) {
            run.state = runState;
            run.summary = summary;
        }
    }

    @Override
    public void noteRdsEvent(String source, Cadence.Told told, Instant now) {
        partitions.computeIfAbsent(RDS_EVENTS, key -> new InMemoryJournal(lease, cooldown, partitions)).rdsEvents
                .put(source, told);
    }

    @Override
    public Optional<Cadence.Told> latestRdsEvent(String source) {
        return Optional.ofNullable(partitions.get(RDS_EVENTS)).map(events -> events.rdsEvents.get(source));
    }

    @Override
    public Optional<Approval> approval(String runId) {
        return Optional.ofNullable(runs.get(runId)).map(run -> run.approval);
    }

    @Override
    public Approval requestApproval(String runId, Instant now, Instant expiresAt) {
        RunItem run = runs.get(runId);
        if (run == null) {
            throw new IllegalStateException("run " + runId + " has no header item to record its approval request on");
        }
        if (run.approval == null) {
            run.approval = new Approval(now, expiresAt, false, Optional.empty(), Optional.empty());
        }
        return run.approval;
    }

    @Override
    public Grant approve(String runId, String approvedBy, Instant now) {
        RunItem run = runs.get(runId);
        if (run == null || run.approval == null) {
            return Grant.NOT_REQUESTED;
        }
        if (run.approval.granted()) {
            return Grant.ALREADY_GRANTED;
        }
        if (!now.isBefore(run.approval.expiresAt())) {
            return Grant.EXPIRED;
        }
        run.approval = new Approval(run.approval.requestedAt(), run.approval.expiresAt(), run.approval.told(),
                Optional.of(approvedBy), Optional.of(now));
        return Grant.GRANTED;
    }

    @Override
    public void approvalTold(String runId) {
        RunItem run = runs.get(runId);
        if (run != null && run.approval != null) {
            Approval open = run.approval;
            run.approval = new Approval(open.requestedAt(), open.expiresAt(), true, open.approvedBy(),
                    open.approvedAt());
        }
    }

    @Override
    public void endCooldown(Instant now) {
        state.cooldownUntil = now;
    }

    @Override
    public void recordStep(String runId, int position, StepRecord step) {
        steps.computeIfAbsent(runId, id -> new TreeMap<>())
                .put(String.format("%02d#%s", position, step.name().name()), step);
    }

    @Override
    public List<StepRecord> steps(String runId) {
        return new ArrayList<>(steps.getOrDefault(runId, new TreeMap<>()).values());
    }

    @Override
    public HealthHistory healthHistory() {
        return health;
    }

    @Override
    public HealthHistory recordEvaluation(boolean failing, String verdict, Optional<String> eventId, Instant now,
            Duration interval) {
        health = health.next(failing, eventId, now, interval);
        return health;
    }

    @Override
    public Optional<Boolean> recordReadiness(boolean isReady, String document, Instant now) {
        Optional<Boolean> before = Optional.ofNullable(ready);
        ready = isReady;
        return before;
    }

    @Override
    public void recordSignal(String alarmName, String alarmState, String previous, String timestamp, Instant now) {
        // The audit trail of ignored transitions: nothing an invariant reads.
    }
}
