package dev.regionfailover.failover;

/** What started a run, for the journal and the notification. */
public record Trigger(Kind kind, String description, String requestedBy) {

    public enum Kind {
        ALARM, SCHEDULE, OPERATOR,
        /** An RDS event: it resumes a running failover, never starts one. */
        RDS_EVENT,
        /** An operator's approval (approval-required): it continues the run awaiting it, never starts one. */
        APPROVAL
    }

    public boolean byOperator() {
        return kind == Kind.OPERATOR;
    }
}
