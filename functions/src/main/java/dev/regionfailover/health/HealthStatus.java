package dev.regionfailover.health;

public enum HealthStatus {
    HEALTHY, DEGRADED, FAILED
}
