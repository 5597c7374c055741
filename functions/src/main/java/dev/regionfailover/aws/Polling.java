package dev.regionfailover.aws;

import java.time.Duration;

import software.amazon.awssdk.core.waiters.WaiterOverrideConfiguration;
import software.amazon.awssdk.retries.api.BackoffStrategy;

/** How the workflow's SDK waiters poll: at a fixed interval (with jitter), never past the bound. */
public final class Polling {

    private Polling() {
    }

    public static WaiterOverrideConfiguration every(Duration interval, Duration bound) {
        return WaiterOverrideConfiguration.builder()
                .waitTimeout(bound)
                .maxAttempts((int) Math.max(1, bound.toMillis() / Math.max(1, interval.toMillis()) + 1))
                .backoffStrategyV2(BackoffStrategy.fixedDelay(interval))
                .build();
    }
}
