package dev.regionfailover.store;

import java.time.Instant;

/** What a request for the plan's lease found. */
public sealed interface LeaseOutcome {

    /** This invocation holds the lease; {@code resumed} when it continues a run that stopped early. */
    record Acquired(String runId, boolean resumed) implements LeaseOutcome {
    }

    /** Another invocation holds a live lease: this trigger is a duplicate. */
    record Busy(String runId, Instant leaseExpiresAt) implements LeaseOutcome {
    }

    /** The plan has already failed over; nothing is left to do until it is re-armed (failback). */
    record AlreadyCompleted(String runId, Instant endedAt) implements LeaseOutcome {
    }

    /** Asked only to resume, and no run is waiting to be resumed. */
    record NothingToResume(String phase, String runId) implements LeaseOutcome {
    }

    /**
     * Within the cooldown after the last run: an automatic failover is not started. {@code firstRefusal} is true
     * once per cooldown, so the refusal is notified once.
     */
    record CoolingDown(String lastRunId, Instant until, boolean firstRefusal) implements LeaseOutcome {
    }

    /** The last run failed; only an operator may retry it, resuming from its journal. */
    record PreviouslyFailed(String runId) implements LeaseOutcome {
    }

    /** A failback was asked for, but the plan is not failed over (or a run of the other kind must be resumed). */
    record WrongPhase(String phase, String runId, String why) implements LeaseOutcome {
    }
}
