package dev.regionfailover.handler;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

import dev.regionfailover.failover.FailoverReport;
import dev.regionfailover.failover.WorkflowResult;
import dev.regionfailover.readiness.Readiness;

/** What every handler answers: the outcome, why, and the evidence and report where there are any. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HandlerResponse(String outcome, String reason, String verdict, FailoverReport report,
        Readiness readiness, List<WorkflowResult.PairOutcome> databases) {

    public HandlerResponse(String outcome, String reason, String verdict, FailoverReport report) {
        this(outcome, reason, verdict, report, null, null);
    }

    /** A workflow's result: for a plan of several pairs, each pair's result under {@code databases}. */
    public static HandlerResponse of(WorkflowResult result, String verdict) {
        return new HandlerResponse(result.outcome().name(), result.reason(), verdict, result.report(), null,
                result.databases());
    }

    public static HandlerResponse of(String outcome, String reason) {
        return new HandlerResponse(outcome, reason, null, null);
    }

    public HandlerResponse withReason(String reason) {
        return new HandlerResponse(outcome, reason, verdict, report, readiness, databases);
    }

    public HandlerResponse withReadiness(Readiness readiness) {
        return new HandlerResponse(outcome, reason, verdict, report, readiness, databases);
    }
}
