package dev.regionfailover.handler;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.regionfailover.failover.FailoverReport;
import dev.regionfailover.readiness.Readiness;

/** What every handler answers: the outcome, why, and the evidence and report where there are any. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HandlerResponse(String outcome, String reason, String verdict, FailoverReport report,
        Readiness readiness) {

    public HandlerResponse(String outcome, String reason, String verdict, FailoverReport report) {
        this(outcome, reason, verdict, report, null);
    }

    public static HandlerResponse of(String outcome, String reason) {
        return new HandlerResponse(outcome, reason, null, null);
    }

    public HandlerResponse withReadiness(Readiness readiness) {
        return new HandlerResponse(outcome, reason, verdict, report, readiness);
    }
}
