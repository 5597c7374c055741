package dev.regionfailover.failover;

import java.time.Duration;
import java.time.Instant;

/** One step of one run, as journaled: what happened, when, for how long. */
public record StepRecord(StepName name, StepStatus status, Instant startedAt, Instant endedAt, String detail,
        String warning) {

    public long durationMillis() {
        return endedAt == null ? 0 : Duration.between(startedAt, endedAt).toMillis();
    }
}
