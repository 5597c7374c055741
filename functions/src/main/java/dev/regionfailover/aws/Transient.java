package dev.regionfailover.aws;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.retry.RetryUtils;

/** Which failures are worth another try, and how long to wait before it. */
public final class Transient {

    private static final Duration BASE = Duration.ofMillis(200);
    private static final Duration CAP = Duration.ofSeconds(3);

    private Transient() {
    }

    /**
     * Throttling, a 5xx answer, or a client-side failure (a timeout, a refused connection) passes; an answer that
     * says no (access denied, invalid state, not found) does not, and retrying it would only hide the cause.
     */
    public static boolean isTransient(Throwable error) {
        if (error instanceof AwsServiceException service) {
            return RetryUtils.isThrottlingException(service) || service.statusCode() >= 500;
        }
        // A waiter that gave up by itself (out of its bound) is an outcome, not a glitch: trying again would wait
        // the whole bound again.
        return error instanceof SdkClientException && !Polling.isWaiterOutcome(error);
    }

    /** Full jitter: a random wait up to min(cap, base x 2^attempt). */
    public static Duration backoff(int attempt) {
        long ceiling = Math.min(CAP.toMillis(), BASE.toMillis() << Math.min(attempt, 10));
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(ceiling + 1));
    }
}
