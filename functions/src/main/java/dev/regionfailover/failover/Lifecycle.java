package dev.regionfailover.failover;

import java.time.Instant;
import java.util.Optional;

import dev.regionfailover.config.FailoverConfig.FailoverMode;
import dev.regionfailover.health.HealthStatus;

/**
 * The plan's lifecycle, as one pure decision: given where a database pair stands ({@link PlanState}, parsed once
 * per trigger from the journal) and what a trigger asks ({@link Order}), what may happen now ({@link Decision}).
 * No I/O happens here; the journal only performs the conditional write a decision asks for (see
 * {@code JournalStore}), the way Patroni keeps its whole HA decision in one function and lets the store do
 * compare-and-set.
 *
 * <p>The rule that makes resumption safe: a run is defined once, when it starts ({@link RunSpec}: kind, flags,
 * mode, generation and target, who started it). {@link Decision.Resume} always continues that persisted run, so
 * whoever triggers next — an alarm, a tick, an RDS event, an operator — can only finish what was started, never
 * start something else under its name.
 *
 * <p>The table, phase × order → decision (README "The plan's lifecycle" and docs/safety.md print it):
 *
 * <pre>
 *                      AUTOMATIC_FAILED      AUTOMATIC_NOT_FAILED  OPERATOR_FAILOVER     OPERATOR_FAILBACK     RDS_OUTCOME           OPERATOR_APPROVAL
 *  IDLE                 Start | CoolingDown   NoFailover            Start (its flags)     Refuse                NothingToResume       Refuse
 *  RUNNING, lease live  Duplicate             Duplicate             Duplicate             Duplicate             Duplicate             Duplicate
 *  RUNNING, expired     Resume (persisted)    Resume (persisted)    Resume (persisted)    Resume (persisted)    Resume (persisted)    Resume (persisted)
 *  COMPLETED            AlreadyDone           NoFailover            AlreadyDone           Start (planned)       NothingToResume       Refuse
 *  FAILED               NeedsOperator         NoFailover            Resume if the failed run is of the kind named, else Refuse   NothingToResume   Refuse
 * </pre>
 */
public final class Lifecycle {

    private Lifecycle() {
    }

    /**
     * Where a pair stands, as the journal's STATE item says. {@code COMPLETED} is "failed over, waiting for a
     * failback" (a completed failback returns the pair to IDLE, one generation on). The names are the persisted
     * values.
     */
    public enum Phase {
        IDLE, RUNNING, COMPLETED, FAILED
    }

    /**
     * Everything that defines a run, persisted when it starts and never changed: a resume continues exactly this.
     * {@code generation} and {@code target} pin the databases the run acts on (a failback moves RDS pairs to a
     * new generation); {@code mode} is the pair's consistency choice when the run started.
     */
    public record RunSpec(String runId, RunKind kind, boolean force, boolean planned, FailoverMode mode,
            int generation, String target, Trigger startedBy, String reason, Instant startedAt,
            boolean approvalRequired) {
    }

    /** A pair's persisted state. {@code version} is what the conditional write compares. */
    public record PlanState(Phase phase, Optional<RunSpec> run, String leaseOwner, Instant leaseExpiresAt,
            Instant cooldownUntil, boolean cooldownRefusalTold, int generation, long version) {

        public static PlanState initial() {
            return new PlanState(Phase.IDLE, Optional.empty(), null, Instant.EPOCH, Instant.EPOCH, false, 0, 0);
        }

        public boolean leaseLive(Instant now) {
            return phase == Phase.RUNNING && leaseExpiresAt.isAfter(now);
        }

        String runId() {
            return run.map(RunSpec::runId).orElse("none");
        }
    }

    /**
     * What a trigger asks of a pair. The decision table switches on {@link Order.Kind}, an enum, so that a
     * phase or an order kind without a row fails to compile (Java 17 checks switch expressions over enums for
     * exhaustiveness).
     */
    public record Order(Kind kind, boolean planned, boolean force) {

        public enum Kind {
            /** An alarm or a scheduled evaluation whose verdict is FAILED. */
            AUTOMATIC_FAILED,
            /** An alarm or a scheduled evaluation whose verdict is not FAILED. */
            AUTOMATIC_NOT_FAILED,
            /** An operator's failover (a switchover when {@code planned}). */
            OPERATOR_FAILOVER,
            OPERATOR_FAILBACK,
            /** Aurora's report that a managed failover or switchover ended: it can only finish a running run. */
            RDS_OUTCOME,
            /** An operator's approval of a run that waits for it (approval-required): it can only continue that run. */
            OPERATOR_APPROVAL
        }

        public static Order automatic(boolean verdictFailed) {
            return new Order(verdictFailed ? Kind.AUTOMATIC_FAILED : Kind.AUTOMATIC_NOT_FAILED, false, false);
        }

        public static Order operator(RunKind kind, boolean planned, boolean force) {
            return new Order(kind == RunKind.FAILBACK ? Kind.OPERATOR_FAILBACK : Kind.OPERATOR_FAILOVER, planned,
                    force);
        }

        public static Order rdsOutcome() {
            return new Order(Kind.RDS_OUTCOME, false, false);
        }

        public static Order approval() {
            return new Order(Kind.OPERATOR_APPROVAL, false, false);
        }

        /**
         * What a typed request asks: an RDS event only finishes, an operator orders, an alarm or a tick asks for a
         * failover when its verdict is FAILED.
         */
        public static Order of(FailoverRequest request) {
            return switch (request.trigger().kind()) {
                case RDS_EVENT -> rdsOutcome();
                case APPROVAL -> approval();
                case OPERATOR -> operator(request.kind(), request.planned(), request.force());
                case ALARM, SCHEDULE -> automatic(request.verdict() != null
                        && request.verdict().status() == HealthStatus.FAILED);
            };
        }

        /** The kind of run an operator's order names; automatic triggers only ever start failovers. */
        RunKind runKind() {
            return kind == Kind.OPERATOR_FAILBACK ? RunKind.FAILBACK : RunKind.FAILOVER;
        }
    }

    /** What may happen now. Only {@link Start} and {@link Resume} lead to a conditional write and to steps. */
    public sealed interface Decision {

        /** A new run; the journal gives it its id and persists its {@link RunSpec}. */
        record Start(RunKind kind, boolean force, boolean planned) implements Decision {
        }

        /** Continue the persisted run (its lease expired: its invocation paused, timed out or died). */
        record Resume(RunSpec run) implements Decision {
        }

        /** Another invocation holds a live lease. */
        record Duplicate(String runId, Instant leaseExpiresAt) implements Decision {
        }

        /** The pair has failed over already; nothing to do until a failback. */
        record AlreadyDone(String runId) implements Decision {
        }

        /** An automatic failover within the cooldown after the last run (anti-flapping). */
        record CoolingDown(String lastRunId, Instant until, boolean firstRefusal) implements Decision {
        }

        /** The last run failed: automatic triggers never retry it, an operator resumes it. */
        record NeedsOperator(String runId) implements Decision {
        }

        /** The order does not apply in this phase; {@code reason} says what would. */
        record Refuse(String reason) implements Decision {
        }

        /** An RDS event found no running run to finish. */
        record NothingToResume(Phase phase) implements Decision {
        }

        /** An automatic trigger whose verdict is not FAILED, with no run to finish: evaluation only. */
        record NoFailover() implements Decision {
        }
    }

    public static Decision decide(PlanState state, Order order, Instant now) {
        return switch (state.phase()) {
            case RUNNING -> state.leaseLive(now) ? new Decision.Duplicate(state.runId(), state.leaseExpiresAt())
                    : resume(state);
            case IDLE -> switch (order.kind()) {
                case AUTOMATIC_FAILED -> state.cooldownUntil().isAfter(now)
                        ? new Decision.CoolingDown(state.runId(), state.cooldownUntil(), !state.cooldownRefusalTold())
                        : new Decision.Start(RunKind.FAILOVER, false, false);
                case AUTOMATIC_NOT_FAILED -> new Decision.NoFailover();
                // An operator's word overrides the cooldown, never the lease.
                case OPERATOR_FAILOVER -> new Decision.Start(RunKind.FAILOVER, order.force(), order.planned());
                case OPERATOR_FAILBACK -> new Decision.Refuse(
                        "the plan has not failed over: there is nothing to fail back");
                case RDS_OUTCOME -> new Decision.NothingToResume(state.phase());
                case OPERATOR_APPROVAL -> noApprovalAwaited(state);
            };
            case COMPLETED -> switch (order.kind()) {
                case AUTOMATIC_FAILED, OPERATOR_FAILOVER -> new Decision.AlreadyDone(state.runId());
                case AUTOMATIC_NOT_FAILED -> new Decision.NoFailover();
                // A failback loses no data: it is planned whatever the order says.
                case OPERATOR_FAILBACK -> new Decision.Start(RunKind.FAILBACK, order.force(), true);
                case RDS_OUTCOME -> new Decision.NothingToResume(state.phase());
                case OPERATOR_APPROVAL -> noApprovalAwaited(state);
            };
            case FAILED -> switch (order.kind()) {
                case AUTOMATIC_FAILED -> new Decision.NeedsOperator(state.runId());
                case AUTOMATIC_NOT_FAILED -> new Decision.NoFailover();
                case OPERATOR_FAILOVER, OPERATOR_FAILBACK -> retry(state, order);
                case RDS_OUTCOME -> new Decision.NothingToResume(state.phase());
                case OPERATOR_APPROVAL -> noApprovalAwaited(state);
            };
        };
    }

    /** Only a run under way can wait for approval; in any other phase an approval has nothing to approve. */
    private static Decision noApprovalAwaited(PlanState state) {
        return new Decision.Refuse("no run awaits approval (the pair is " + state.phase() + ", last run "
                + state.runId() + ")");
    }

    /** A RUNNING pair whose lease expired: whatever the trigger, the persisted run goes on. */
    private static Decision resume(PlanState state) {
        return state.run().<Decision>map(Decision.Resume::new).orElseGet(() -> new Decision.Refuse(
                "the journal says a run is under way but holds no run definition; inspect the STATE item of the "
                        + "journal before acting"));
    }

    /** An operator retries a failed run of the kind they name; the run keeps its own flags. */
    private static Decision retry(PlanState state, Order operator) {
        Optional<RunSpec> failed = state.run();
        if (failed.isEmpty()) {
            return new Decision.Refuse("the journal says the last run failed but holds no run definition");
        }
        RunKind kind = failed.get().kind();
        if (kind != operator.runKind()) {
            return new Decision.Refuse("the last " + kind.name().toLowerCase() + " run " + failed.get().runId()
                    + " failed; resume it with a " + (kind == RunKind.FAILBACK ? "Failback Requested"
                            : "Manual Failover Requested") + " event first");
        }
        return new Decision.Resume(failed.get());
    }

    /** The decision in words, for the dry run and the logs. */
    public static String describe(Decision decision) {
        if (decision instanceof Decision.Start start) {
            return "a new " + start.kind().name().toLowerCase() + " run would start";
        }
        if (decision instanceof Decision.Resume resume) {
            return "the paused " + resume.run().kind().name().toLowerCase() + " run " + resume.run().runId()
                    + " would be resumed with its own steps and flags";
        }
        if (decision instanceof Decision.Duplicate duplicate) {
            return "lease held by run " + duplicate.runId() + " until " + duplicate.leaseExpiresAt()
                    + ": this would be a duplicate";
        }
        if (decision instanceof Decision.AlreadyDone done) {
            return "the plan already failed over in run " + done.runId() + ": nothing to do until a failback";
        }
        if (decision instanceof Decision.CoolingDown cooling) {
            return "within the cooldown after run " + cooling.lastRunId() + " (until " + cooling.until()
                    + "): an automatic failover would not start";
        }
        if (decision instanceof Decision.NeedsOperator failed) {
            return "the last run " + failed.runId() + " failed: only an operator's order would resume it";
        }
        if (decision instanceof Decision.Refuse refuse) {
            return "refused: " + refuse.reason();
        }
        if (decision instanceof Decision.NothingToResume nothing) {
            return "no run to resume (the plan is " + nothing.phase() + ")";
        }
        return "the verdict does not call for a failover";
    }
}
