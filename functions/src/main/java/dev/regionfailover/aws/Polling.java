package dev.regionfailover.aws;

import java.time.Duration;

import java.util.function.Supplier;

import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.waiters.Waiter;
import software.amazon.awssdk.core.waiters.WaiterOverrideConfiguration;
import software.amazon.awssdk.retries.api.BackoffStrategy;

/** How the workflow's SDK waiters poll: at a fixed interval (with jitter), never past the bound. */
public final class Polling {

    private Polling() {
    }

    /**
     * Runs a waiter and returns what it matched. A waiter that ran out of its bound, or met a state it must not
     * wait in, ends with {@link WaitEnded}: not a transient failure, so a step does not wait its bound out again.
     */
    public static <T> T await(Waiter<T> waiter, Supplier<T> poll) {
        try {
            return waiter.run(poll).matched().response().orElseThrow();
        } catch (SdkClientException e) {
            if (isWaiterOutcome(e)) {
                throw new WaitEnded(e.getMessage());
            }
            throw e;
        }
    }

    /** What the SDK's waiter says when it gives up by itself (WaiterExecutor), as opposed to a failed call. */
    public static boolean isWaiterOutcome(Throwable e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        return e instanceof SdkClientException && e.getCause() == null
                && (message.startsWith("The waiter has exceeded") || message.startsWith("A waiter acceptor was matched"));
    }

    /** A wait that ended without its success: out of time, or in a state that does not change on its own. */
    public static final class WaitEnded extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        WaitEnded(String message) {
            super(message);
        }
    }

    public static WaiterOverrideConfiguration every(Duration interval, Duration bound) {
        return WaiterOverrideConfiguration.builder()
                .waitTimeout(bound)
                .maxAttempts((int) Math.max(1, bound.toMillis() / Math.max(1, interval.toMillis()) + 1))
                .backoffStrategyV2(BackoffStrategy.fixedDelay(interval))
                .build();
    }
}
