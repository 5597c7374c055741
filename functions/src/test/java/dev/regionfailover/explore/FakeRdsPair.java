package dev.regionfailover.explore;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

import dev.regionfailover.database.DatabaseGateway;
import dev.regionfailover.database.DatabaseState;
import dev.regionfailover.database.ServingStatus;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.rds.model.DbInstanceNotFoundException;
import software.amazon.awssdk.services.rds.model.InvalidDbInstanceStateException;

/**
 * {@link DatabaseGateway} over {@link FakeAws}, as RdsInstanceGateway is over RDS: the same sides per generation
 * (built by {@link ExploredSystem} as DatabasePairs builds them), the same calls, and the same waiter outcomes
 * (the SDK's own messages, which Polling.isWaiterOutcome reads).
 */
final class FakeRdsPair implements DatabaseGateway {

    record Side(String region, String instanceId, Optional<String> predecessorId) {
    }

    private final FakeAws aws;
    private final Side primary;
    private final Side standby;
    private final Side failbackStandby;

    FakeRdsPair(FakeAws aws, Side primary, Side standby, Side failbackStandby) {
        this.aws = aws;
        this.primary = primary;
        this.standby = standby;
        this.failbackStandby = failbackStandby;
    }

    @Override
    public DatabaseState primary() {
        return view(aws.describe(primary.region(), primary.instanceId()));
    }

    @Override
    public DatabaseState standby() {
        return view(aws.describe(standby.region(), standby.instanceId()));
    }

    @Override
    public OptionalDouble lagSeconds(Duration window) {
        return aws.lag(standby.region(), standby.instanceId());
    }

    @Override
    public void fencePrimary(List<String> securityGroupIds) {
        aws.fence(primary.region(), primary.instanceId(), securityGroupIds);
    }

    @Override
    public Optional<List<String>> standbyFencedFrom() {
        return Optional.ofNullable(aws.describe(standby.region(), standby.instanceId()).fencedFrom);
    }

    @Override
    public void liftStandbyFence() {
        aws.liftFence(standby.region(), standby.instanceId());
    }

    @Override
    public void promote(boolean planned) {
        try {
            aws.promote(standby.region(), standby.instanceId());
        } catch (InvalidDbInstanceStateException e) {
            if (!promotionUnderWay()) {
                throw e;
            }
        }
    }

    @Override
    public DatabaseState awaitWriter(Duration bound, Duration pollInterval) {
        // As the SDK waiter in RdsInstanceGateway, bounded by the world's clock (RdsInstanceGateway's real-time
        // bound is the same clock in production).
        java.time.Instant end = aws.clock.instant().plus(bound);
        long attempts = Math.max(1, bound.toMillis() / Math.max(1, pollInterval.toMillis()) + 1);
        for (long attempt = 0; attempt < attempts && !aws.clock.instant().isAfter(end); attempt++) {
            DatabaseState state = standby();
            if (state.isWriter()) {
                return state;
            }
            if (state.serving() == ServingStatus.TERMINAL) {
                throw SdkClientException.create("A waiter acceptor was matched and transitioned the waiter to "
                        + "failure state: " + state.id() + " entered a status it does not leave on its own");
            }
        }
        throw SdkClientException.create("The waiter has exceeded the max retry attempts: " + attempts);
    }

    @Override
    public boolean promotionUnderWay() {
        DatabaseState state = standby();
        return !state.isReplica() && !state.isAvailable() && state.serving().worthWaitingFor();
    }

    @Override
    public List<String> readinessProblems() {
        return List.of();
    }

    @Override
    public DatabaseGateway reversed() {
        return new FakeRdsPair(aws, standby, failbackStandby, null);
    }

    @Override
    public boolean standbyExists() {
        try {
            standby();
            return true;
        } catch (DbInstanceNotFoundException e) {
            return false;
        }
    }

    /** As RdsInstanceGateway: the predecessor's groups as they were before a fence of ours. */
    @Override
    public void createStandby() {
        List<String> groups = standby.predecessorId().flatMap(aws::instance)
                .map(before -> before.fencedFrom != null ? before.fencedFrom : before.groups)
                .filter(before -> !before.isEmpty()).orElse(List.of("sg-default"));
        aws.createReplica(standby.region(), standby.instanceId(), primary.region(), primary.instanceId(), groups);
    }

    String primaryId() {
        return primary.instanceId();
    }

    String standbyId() {
        return standby.instanceId();
    }

    @Override
    public String describePair() {
        return "RDS instance " + primary.instanceId() + " (" + primary.region() + ") with replica "
                + standby.instanceId() + " (" + standby.region() + ")";
    }

    private static DatabaseState view(FakeAws.Instance instance) {
        return new DatabaseState(instance.id, instance.region, instance.status, instance.endpoint(),
                instance.replicaOf, instance.groups);
    }
}
