package dev.regionfailover.aws;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import java.util.function.Predicate;
import java.util.function.Supplier;

import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.waiters.Waiter;
import software.amazon.awssdk.core.waiters.WaiterAcceptor;
import software.amazon.awssdk.core.waiters.WaiterOverrideConfiguration;
import software.amazon.awssdk.retries.api.BackoffStrategy;

/** How the workflow's SDK waiters poll: at a fixed interval (with jitter), never past the bound. */
public final class Polling {

    /** What the SDK's WaiterExecutor says when a failure acceptor matches without a message of its own. */
    private static final String MATCHED_FAILURE = "A waiter acceptor was matched and transitioned the waiter to failure state";

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
                && (message.startsWith("The waiter has exceeded") || message.startsWith(MATCHED_FAILURE));
    }

    /** A wait that ended without its success: out of time, or in a state that does not change on its own. */
    public static final class WaitEnded extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        public WaitEnded(String message) {
            super(message);
        }
    }

    /**
     * Ends a wait, as a failure, once {@code clock} passes {@code end}. The SDK bounds a waiter by its own timer;
     * this bounds it by the clock every decision reads, so a wait resumed in a later invocation spends what is
     * left of one bound, and the generated histories, which run in virtual time, see the same bound as AWS.
     */
    public static <T> WaiterAcceptor<T> until(Clock clock, Instant end) {
        return failWhen(response -> clock.instant().isAfter(end), "the wait's bound ended at " + end);
    }

    /**
     * A response that ends the wait as a failure. The SDK reports such a match with the acceptor's own message
     * alone, which cannot be told from a failed call; this one carries the SDK's words for a matched failure
     * acceptor, so that {@link #isWaiterOutcome} recognises it and the step is not retried as a transient error.
     */
    public static <T> WaiterAcceptor<T> failWhen(Predicate<T> matches, String why) {
        return WaiterAcceptor.errorOnResponseAcceptor(matches, MATCHED_FAILURE + ": " + why);
    }

    public static WaiterOverrideConfiguration every(Duration interval, Duration bound) {
        return WaiterOverrideConfiguration.builder()
                .waitTimeout(bound)
                .maxAttempts((int) Math.max(1, bound.toMillis() / Math.max(1, interval.toMillis()) + 1))
                .backoffStrategyV2(BackoffStrategy.fixedDelay(interval))
                .build();
    }
}
