package dev.regionfailover.explore;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

import dev.regionfailover.database.DatabaseGateway;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * What the two fakes of our database gateways share ({@link FakeRdsPair}, {@link FakeAuroraPair}): which
 * databases a history's actions aim at, and the SDK waiter their awaitWriter runs, with the SDK's own outcome
 * messages (which Polling.isWaiterOutcome reads).
 */
abstract class FakePair implements DatabaseGateway {

    /** One poll's verdict, as a waiter's acceptors give it. */
    enum Poll {
        SUCCESS, FAILURE, RETRY
    }

    final FakeAws aws;

    FakePair(FakeAws aws) {
        this.aws = aws;
    }

    /** The database on the primary side of this generation: what a history's Status(primary) aims at. */
    abstract String primaryId();

    /** The database on the standby side of this generation. */
    abstract String standbyId();

    /** What replicates now, whose lag a history's Lag action sets: none while nothing replicates. */
    abstract Optional<FakeAws.Database> replica();

    /**
     * As an SDK waiter with Polling.every(pollInterval, bound), bounded by the world's clock (the gateways'
     * real-time bound is the same clock in production). Each poll passes FakeAws.POLL of virtual time; an
     * exception a poll throws ends the wait with it, as no acceptor of the gateways matches exceptions.
     */
    static <T> T await(FakeAws aws, Duration bound, Duration pollInterval, Supplier<T> poll,
            java.util.function.Function<T, Poll> acceptors, String failure) {
        Instant end = aws.clock.instant().plus(bound);
        long attempts = Math.max(1, bound.toMillis() / Math.max(1, pollInterval.toMillis()) + 1);
        for (long attempt = 0; attempt < attempts && !aws.clock.instant().isAfter(end); attempt++) {
            T response = poll.get();
            switch (acceptors.apply(response)) {
                case SUCCESS -> {
                    return response;
                }
                case FAILURE -> throw SdkClientException.create("A waiter acceptor was matched and transitioned the "
                        + "waiter to failure state: " + failure);
                case RETRY -> {
                    // the next attempt
                }
            }
        }
        throw SdkClientException.create("The waiter has exceeded the max retry attempts: " + attempts);
    }
}
