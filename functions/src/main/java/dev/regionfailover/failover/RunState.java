package dev.regionfailover.failover;

public enum RunState {
    RUNNING, COMPLETED, FAILED, REFUSED
}
