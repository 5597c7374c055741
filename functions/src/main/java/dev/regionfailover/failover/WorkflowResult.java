package dev.regionfailover.failover;

import java.util.List;
import java.util.stream.Collectors;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What a trigger achieved: the outcome, why, and the full report when a run (or a dry run) took place. For a plan
 * of several database pairs, {@code databases} holds each pair's own result and the outcome sums them up.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WorkflowResult(Outcome outcome, String reason, FailoverReport report, List<PairOutcome> databases) {

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
        NOT_APPLICABLE,
        /** The invocation was about to end: the run saved its place, and the next trigger resumes it. */
        PAUSED,
        /**
         * An automatic failover (approval-required) checked everything a promotion needs and waits for an operator's
         * Failover Approved naming its run; nothing has been changed. Triggers that come meanwhile resume it and
         * find it still waiting, or expired (REFUSED, notified).
         */
        AWAITING_APPROVAL,
        /** Within the cooldown after the last run: an automatic failover was not started (anti-flapping). */
        COOLING_DOWN,
        /** An automatic trigger whose verdict is not FAILED, with no run under way to finish. */
        NO_FAILOVER
    }

    /** One database pair's result within a plan. */
    public record PairOutcome(String database, WorkflowResult result) {
    }

    public WorkflowResult(Outcome outcome, String reason, FailoverReport report) {
        this(outcome, reason, report, null);
    }

    static WorkflowResult of(Outcome outcome, String reason) {
        return new WorkflowResult(outcome, reason, null, null);
    }

    /**
     * The plan's outcome: the pairs' common outcome when they agree; else FAILED if any failed, REFUSED if any was
     * refused, PAUSED if any paused (the plan is not done until it resumes), AWAITING_APPROVAL if any waits for an
     * operator's yes, COMPLETED if any completed (the rest
     * were already done or duplicates), else the first pair's. A pair that acted is never summed up as one that
     * changed nothing (a tick's EVALUATED while another pair's run resumed and paused).
     */
    static WorkflowResult across(RunKind kind, List<PairOutcome> pairs) {
        List<Outcome> outcomes = pairs.stream().map(pair -> pair.result().outcome()).toList();
        Outcome outcome = outcomes.stream().distinct().count() == 1 ? outcomes.get(0)
                : outcomes.contains(Outcome.FAILED) ? Outcome.FAILED
                        : outcomes.contains(Outcome.REFUSED) ? Outcome.REFUSED
                                : outcomes.contains(Outcome.PAUSED) ? Outcome.PAUSED
                                        : outcomes.contains(Outcome.AWAITING_APPROVAL) ? Outcome.AWAITING_APPROVAL
                                                : outcomes.contains(Outcome.COMPLETED) ? Outcome.COMPLETED
                                                        : outcomes.get(0);
        String reason = kind.name().toLowerCase() + " of " + pairs.size() + " database pairs: " + pairs.stream()
                .map(pair -> pair.database() + " " + pair.result().outcome())
                .collect(Collectors.joining(", "));
        return new WorkflowResult(outcome, reason, null, List.copyOf(pairs));
    }
}
