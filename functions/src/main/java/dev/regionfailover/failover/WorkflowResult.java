package dev.regionfailover.failover;

/** What a trigger achieved: the outcome, why, and the full report when a run (or a dry run) took place. */
public record WorkflowResult(Outcome outcome, String reason, FailoverReport report) {

    public enum Outcome {
        COMPLETED, FAILED, REFUSED, DRY_RUN,
        /** Another invocation holds the lease. */
        DUPLICATE,
        /** The plan already failed over. */
        ALREADY_DONE,
        /** The last run failed; an operator must resume it. */
        NEEDS_OPERATOR,
        /** An RDS event found no running failover to resume. */
        NOTHING_TO_RESUME,
        /** The plan is not in a state this request applies to (a failback before any failover, say). */
        NOT_APPLICABLE
    }

    static WorkflowResult of(Outcome outcome, String reason) {
        return new WorkflowResult(outcome, reason, null);
    }
}
