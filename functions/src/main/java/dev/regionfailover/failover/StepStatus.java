package dev.regionfailover.failover;

public enum StepStatus {
    IN_PROGRESS,
    /** The step acted and verified its effect. */
    DONE,
    /** Observation showed the effect was already there (a retry, a resumed run, a second trigger). */
    ALREADY_DONE,
    /** Not applicable here, or best effort that could not be made; the detail says which. */
    SKIPPED,
    /** A guard said no; the run stops without a failure. */
    REFUSED,
    FAILED,
    /** Dry run: what the step would do. */
    PLANNED;

    /** Whether a resumed run may pass over a step that ended this way. */
    public boolean isFinished() {
        return this == DONE || this == ALREADY_DONE || this == SKIPPED;
    }
}
