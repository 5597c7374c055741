package dev.regionfailover.failover;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The points between journaled steps, where a Lambda timeout or crash can cut a run short. In production
 * nothing happens here. The resumability tests replace this bean (QuarkusMock) with one that stops the run at a
 * chosen boundary, the way a killed invocation would, and then check that the next trigger finishes the run with
 * every side effect made exactly once.
 */
@ApplicationScoped
public class StepBoundaries {

    /** Called after the step's outcome is in the journal, before the next step starts. */
    public void passed(String runId, StepName step) {
        // A production run goes straight on.
    }
}
