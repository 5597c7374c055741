package dev.regionfailover.health;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Turns signals into a verdict. An evaluation fails when at least {@code quorum} independent signals fail, so
 * one flapping alarm cannot move a database. The verdict is FAILED only when the evaluation fails, the failing
 * streak has counted {@code requiredCounted} evaluations (each at least the evaluation interval apart: see
 * {@link HealthHistory}), and it has lasted {@code failedAfter}: hysteresis in time, so a burst of triggers in
 * one bad minute cannot do it. Anything short of that, with some signal failing, is DEGRADED.
 */
public final class VerdictPolicy {

    private final int quorum;
    private final int requiredCounted;
    private final Duration failedAfter;

    public VerdictPolicy(int quorum, int requiredCounted, Duration failedAfter) {
        this.quorum = quorum;
        this.requiredCounted = requiredCounted;
        this.failedAfter = failedAfter;
    }

    public boolean isFailing(List<Signal> signals) {
        return failing(signals) >= quorum;
    }

    /** @param streak the failing streak including this evaluation (see {@link HealthHistory#next}) */
    public Verdict decide(List<Signal> signals, HealthHistory streak, Instant now) {
        int failing = failing(signals);
        Duration failingFor = failing >= quorum ? streak.failingFor(now) : Duration.ZERO;
        int counted = failing >= quorum ? streak.counted() : 0;
        HealthStatus status;
        if (failing >= quorum && counted >= requiredCounted && failingFor.compareTo(failedAfter) >= 0) {
            status = HealthStatus.FAILED;
        } else if (failing > 0) {
            status = HealthStatus.DEGRADED;
        } else {
            status = HealthStatus.HEALTHY;
        }
        return new Verdict(status, List.copyOf(signals), failing, quorum, counted, requiredCounted,
                failing >= quorum ? streak.failingSince() : null, failingFor, failedAfter);
    }

    private static int failing(List<Signal> signals) {
        return (int) signals.stream().filter(Signal::isFailing).count();
    }
}
