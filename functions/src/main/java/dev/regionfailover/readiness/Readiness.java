package dev.regionfailover.readiness;

import java.time.Instant;
import java.util.List;

/** Whether a failover would work now, check by check: the plan's status document. */
public record Readiness(String plan, boolean ready, List<Check> checks, Instant evaluatedAt) {

    public record Check(String name, boolean ok, String detail) {
    }

    public List<Check> failed() {
        return checks.stream().filter(check -> !check.ok()).toList();
    }

    public String summary() {
        return ready ? "ready: all " + checks.size() + " checks pass"
                : "NOT ready: " + String.join("; ", failed().stream().map(c -> c.name() + ": " + c.detail()).toList());
    }
}
