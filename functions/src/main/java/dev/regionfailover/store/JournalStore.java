package dev.regionfailover.store;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import dev.regionfailover.aws.Cadence;
import dev.regionfailover.failover.Lifecycle;
import dev.regionfailover.failover.RunKind;
import dev.regionfailover.failover.RunState;
import dev.regionfailover.failover.StepRecord;
import dev.regionfailover.health.HealthHistory;

/**
 * The plan's coordination store and audit trail, one DynamoDB table in the standby region ({@link
 * DynamoJournalStore}). It decides nothing: {@link Lifecycle#decide} does, over the {@link Lifecycle.PlanState}
 * read here, and the store performs the one conditional write the decision asks for, comparing the state's
 * version, so two triggers cannot both act on one state.
 */
public interface JournalStore {

    /** The journal of one database pair of the plan: its lease, runs and steps. */
    JournalStore forPartition(String partitionKey);

    /** Where the pair stands, in one consistent read. */
    Lifecycle.PlanState state();

    /**
     * Takes the lease for a new run and persists its definition, if the state is still at {@code version}.
     * False when another trigger changed the state first.
     */
    boolean start(Lifecycle.RunSpec run, String owner, long version, Instant now);

    /** Takes the expired lease of the persisted run {@code runId}, if the state is still at {@code version}. */
    boolean resume(String runId, String owner, long version, Instant now);

    /** True for the first refusal within a cooldown (it is notified), false afterwards. */
    boolean markCooldownRefusal(long version);

    /**
     * Ends the run's hold on the pair, conditional on still owning the lease. A completed failover leaves the pair
     * COMPLETED (failed over), a completed failback IDLE one generation on; a refused run leaves the phase it
     * started from; a failed one FAILED.
     */
    void release(String runId, String owner, RunKind kind, RunState outcome, Instant now);

    /** Ends the lease now but keeps the run RUNNING: the next trigger resumes it at once. */
    void pause(String runId, String owner, Instant now);

    /**
     * The run's header item, written once when it starts. {@code failingSince}: the first failing evaluation of
     * the streak whose verdict started it (null when no failing verdict did), where detection time is measured from.
     */
    void startRun(Lifecycle.RunSpec run, String verdict, Instant failingSince, Instant now);

    void finishRun(String runId, RunState state, String summary, Double dataLossWindowSeconds, Instant now);

    /** An operator's acknowledgement ends the cooldown: automatic failovers are armed again. */
    void endCooldown(Instant now);

    /** {@code position}: the step's place in its run, which orders the journal's timeline. */
    void recordStep(String runId, int position, StepRecord step);

    /** The run's steps in workflow order, as journaled so far. */
    List<StepRecord> steps(String runId);

    /** The plan's failing streak so far. */
    HealthHistory healthHistory();

    /**
     * Records one evaluation: the streak after it ({@link HealthHistory#next}), written conditionally on the
     * version read, so concurrent evaluations each count at most once.
     */
    HealthHistory recordEvaluation(boolean failing, String verdict, Optional<String> eventId, Instant now,
            Duration interval);

    /** Keeps the latest readiness document; whether the plan was ready before (empty the first time). */
    Optional<Boolean> recordReadiness(boolean ready, String document, Instant now);

    /**
     * A run's approval request (approval-required mode: an automatic failover waits at AWAIT_APPROVAL), and its
     * answer once an operator gave it.
     */
    record Approval(Instant requestedAt, Instant expiresAt, boolean told, Optional<String> approvedBy,
            Optional<Instant> approvedAt) {

        public boolean granted() {
            return approvedBy.isPresent();
        }

        public boolean expired(Instant now) {
            return !granted() && !now.isBefore(expiresAt);
        }
    }

    /** What an operator's approval found. */
    enum Grant {
        GRANTED,
        /** Approved before (a second approval, or the first one's answer lost): the run may go on all the same. */
        ALREADY_GRANTED,
        /** The run asked for no approval (yet, or ever). */
        NOT_REQUESTED,
        EXPIRED
    }

    /** The run's approval request, if it asked for one. */
    Optional<Approval> approval(String runId);

    /**
     * Opens the run's approval request, unless it has one: the first request and its expiry stand, so a resumed
     * run never extends its own window. Returns the request as stored.
     */
    Approval requestApproval(String runId, Instant now, Instant expiresAt);

    /**
     * The request was notified. Recorded after the notice, so that a notice lost with its invocation is sent again
     * by the next trigger: people hear of a request at least once.
     */
    void approvalTold(String runId);

    /** Grants the run's request, if it has one that is neither expired at {@code now} nor granted already. */
    Grant approve(String runId, String approvedBy, Instant now);

    /**
     * The latest RDS event from {@code source} (a cluster's ARN) that a wait may be ending on, for that wait to notice
     * ({@link Cadence}): written by the rds-event function while another invocation waits. Only the latest is kept.
     */
    void noteRdsEvent(String source, Cadence.Told told, Instant now);

    /** The latest RDS event journaled for {@code source}, in one consistent read. */
    Optional<Cadence.Told> latestRdsEvent(String source);

    /** An alarm transition that is not acted on, kept for the audit trail. */
    void recordSignal(String alarmName, String state, String previous, String timestamp, Instant now);
}
