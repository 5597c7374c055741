package dev.regionfailover.explore;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

import dev.regionfailover.aws.Cadence;
import dev.regionfailover.database.DatabaseGateway;
import dev.regionfailover.database.DatabaseState;
import dev.regionfailover.database.ServingStatus;
import software.amazon.awssdk.services.rds.model.DbInstanceNotFoundException;
import software.amazon.awssdk.services.rds.model.InvalidDbInstanceStateException;

/**
 * {@link DatabaseGateway} over {@link FakeAws}, as RdsInstanceGateway is over RDS: the same sides per generation
 * (built by {@link ExploredSystem} as DatabasePairs builds them), the same calls, and the same waiter outcomes
 * (the SDK's own messages, which Polling.isWaiterOutcome reads).
 */
final class FakeRdsPair extends FakePair {

    record Side(String region, String instanceId, Optional<String> predecessorId) {
    }

    private final Side primary;
    private final Side standby;
    private final Side failbackStandby;

    FakeRdsPair(FakeAws aws, Side primary, Side standby, Side failbackStandby) {
        super(aws);
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
            // As RdsInstanceGateway: a standby no longer a replica was promoted; after a retry (the fake loses no
            // answers, so only if FakeAws counts attempts) a replica in a status it leaves on its own is ours.
            DatabaseState now = standby();
            boolean retried = e.numAttempts() != null && e.numAttempts() > 1;
            if (now.isReplica() && !(retried && !now.isAvailable() && now.serving().worthWaitingFor())) {
                throw e;
            }
        }
    }

    @Override
    public DatabaseState awaitWriter(Duration bound, Cadence cadence) {
        // As the SDK waiter in RdsInstanceGateway: success on a writer, failure on a terminal status.
        return await(aws, bound, cadence.interval(), this::standby, state -> state.isWriter() ? Poll.SUCCESS
                : state.serving() == ServingStatus.TERMINAL ? Poll.FAILURE : Poll.RETRY,
                standby.instanceId() + " entered a status it does not leave on its own");
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

    @Override
    String primaryId() {
        return primary.instanceId();
    }

    @Override
    String standbyId() {
        return standby.instanceId();
    }

    /** This generation's standby, while it is a read replica. */
    @Override
    Optional<FakeAws.Database> replica() {
        return aws.instance(standby.instanceId()).filter(replica -> replica.replicaOf != null)
                .map(FakeAws.Database.class::cast);
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
