package dev.regionfailover.failover;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The wait before a step is tried again after a transient failure. In production it sleeps. The generated
 * histories replace it so that a retry passes the world's virtual time instead of CI's.
 */
@ApplicationScoped
public class RetryPause {

    public void before(Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to retry a step", e);
        }
    }
}
