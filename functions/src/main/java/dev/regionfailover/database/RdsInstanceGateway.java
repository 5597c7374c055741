package dev.regionfailover.database;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

import org.jboss.logging.Logger;

import dev.regionfailover.aws.AwsClients;
import dev.regionfailover.aws.Cadence;
import dev.regionfailover.aws.Polling;
import dev.regionfailover.config.FailoverConfig;
import dev.regionfailover.event.RdsNotification;
import dev.regionfailover.metrics.CloudWatchGateway;
import software.amazon.awssdk.core.waiters.Waiter;
import software.amazon.awssdk.core.waiters.WaiterAcceptor;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DbInstanceNotFoundException;
import software.amazon.awssdk.services.rds.model.DescribeDbInstancesResponse;
import software.amazon.awssdk.services.rds.model.InvalidDbInstanceStateException;
import software.amazon.awssdk.services.rds.model.VpcSecurityGroupMembership;

/**
 * An RDS DB instance with a cross-region read replica. The pair is named by generation: generation 0 is the
 * configured instances; a failback creates generation 1 ({@code <id>-g1}) in both regions, and so on, because an
 * instance that was promoted cannot become a replica again and its identifier stays taken.
 */
public class RdsInstanceGateway implements DatabaseGateway {

    private static final Logger LOG = Logger.getLogger(RdsInstanceGateway.class);

    private final AwsClients aws;
    private final CloudWatchGateway cloudWatch;
    private final String plan;
    private final Side primary;
    private final Side standby;
    private final Side failbackStandby;
    private final boolean actedOnByTag;

    /**
     * One side of the pair: a region, an instance identifier, where a replica created there is placed, and the
     * instance it replaces in that region (a failback's new generation), if any.
     */
    public record Side(String region, String instanceId, FailoverConfig.Placement placement,
            Optional<String> predecessorId) {
    }

    /**
     * @param plan the plan's name, tagged ({@link PlanTag}) on each replica this gateway creates
     * @param failbackStandby where the replica to fail back to lives (the primary region, next generation)
     */
    public RdsInstanceGateway(AwsClients aws, CloudWatchGateway cloudWatch, String plan, Side primary, Side standby,
            Side failbackStandby) {
        this(aws, cloudWatch, plan, primary, standby, failbackStandby, false);
    }

    /**
     * @param actedOnByTag whether IAM lets the functions promote and fence this pair's instances only by the plan's
     *     tag (an additional pair, whose identifiers the template does not know: AdditionalPairsPolicy), rather than
     *     by name (the plan's own pair)
     */
    public RdsInstanceGateway(AwsClients aws, CloudWatchGateway cloudWatch, String plan, Side primary, Side standby,
            Side failbackStandby, boolean actedOnByTag) {
        this.aws = aws;
        this.cloudWatch = cloudWatch;
        this.plan = plan;
        this.primary = primary;
        this.standby = standby;
        this.failbackStandby = failbackStandby;
        this.actedOnByTag = actedOnByTag;
    }

    @Override
    public DatabaseState primary() {
        return describe(primary.region(), primary.instanceId());
    }

    @Override
    public DatabaseState standby() {
        return describe(standby.region(), standby.instanceId());
    }

    /** The current writer (this pair's standby) as the primary, and a new replica in the primary region. */
    @Override
    public DatabaseGateway reversed() {
        return new RdsInstanceGateway(aws, cloudWatch, plan, standby, failbackStandby, null, actedOnByTag);
    }

    /**
     * The pair's two instances that lack the plan's tag, where IAM acts on them only by it (an additional pair);
     * empty (nothing to check) where IAM names them (the plan's own pair, whose later generations are created with
     * the tag in the same request).
     */
    @Override
    public Optional<List<String>> unfenceableDatabases() {
        if (!actedOnByTag) {
            return Optional.empty();
        }
        List<String> untagged = new ArrayList<>();
        for (Side side : List.of(primary, standby)) {
            try {
                if (!PlanTag.marks(instance(side).tagList(), plan)) {
                    untagged.add(side.instanceId() + " (" + side.region() + ")");
                }
            } catch (DbInstanceNotFoundException missing) {
                // a missing instance is readiness's own finding (its state checks), not a tagging one
            }
        }
        return Optional.of(untagged);
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

    /**
     * A cross-region read replica of the primary, placed as configured for its region (security groups, subnet
     * group, KMS key are regional). With a KMS key, the source region lets the SDK presign the cross-region copy.
     * Tagged with the plan on creation: a generation's name ({@code <id>-g<n>}) is all IAM can match, and
     * {@code <id>-g*} also matches databases that are not the plan's ({@code <id>-green-1}), so the stack's policy
     * lets the functions promote, modify and fence a generation only while it carries this tag (docs/security.md).
     */
    @Override
    public void createStandby() {
        String sourceArn = aws.rds(primary.region())
                .describeDBInstances(request -> request.dbInstanceIdentifier(primary.instanceId()))
                .dbInstances().get(0).dbInstanceArn();
        FailoverConfig.Placement placement = standby.placement();
        Optional<List<String>> groups = placement.securityGroupIds().filter(configured -> !configured.isEmpty())
                .or(this::predecessorGroups);
        aws.rds(standby.region()).createDBInstanceReadReplica(request -> {
            request.dbInstanceIdentifier(standby.instanceId()).sourceDBInstanceIdentifier(sourceArn)
                    .tags(PlanTag.of(plan));
            groups.ifPresent(request::vpcSecurityGroupIds);
            placement.dbSubnetGroupName().ifPresent(request::dbSubnetGroupName);
            placement.kmsKeyId().ifPresent(key -> request.kmsKeyId(key).sourceRegion(primary.region()));
        });
    }

    /**
     * Without configured security groups, a new generation takes those of the instance it replaces in its region,
     * as they were before a fence of ours: the application is admitted to the new writer as it was to the old
     * one, where the region's default group would admit nothing.
     */
    private Optional<List<String>> predecessorGroups() {
        return standby.predecessorId().flatMap(id -> {
            try {
                DBInstance predecessor = instance(new Side(standby.region(), id, standby.placement(), Optional.empty()));
                return FenceTag.read(predecessor.tagList()).or(() -> Optional.of(groupsOf(predecessor)));
            } catch (DbInstanceNotFoundException gone) {
                return Optional.empty();
            }
        }).filter(groups -> !groups.isEmpty());
    }

    @Override
    public String describePair() {
        return "RDS instance " + primary.instanceId() + " (" + primary.region() + ") with replica "
                + standby.instanceId() + " (" + standby.region() + ")";
    }

    /** RDS publishes the replica's lag as {@code AWS/RDS ReplicaLag} (seconds), per instance. */
    @Override
    public OptionalDouble lagSeconds(Duration window) {
        return cloudWatch.latestValue(standby.region(), "ReplicaLag", "DBInstanceIdentifier", standby.instanceId(),
                window);
    }

    @Override
    public void fencePrimary(List<String> securityGroupIds) {
        DBInstance old = instance(primary);
        if (FenceTag.read(old.tagList()).isEmpty()) {
            aws.rds(primary.region()).addTagsToResource(request -> request.resourceName(old.dbInstanceArn())
                    .tags(FenceTag.of(groupsOf(old))));
        }
        aws.rds(primary.region()).modifyDBInstance(request -> request.dbInstanceIdentifier(primary.instanceId())
                .vpcSecurityGroupIds(securityGroupIds)
                .applyImmediately(true));
    }

    @Override
    public Optional<List<String>> standbyFencedFrom() {
        return FenceTag.read(instance(standby).tagList());
    }

    @Override
    public void liftStandbyFence() {
        DBInstance fenced = instance(standby);
        List<String> groups = FenceTag.read(fenced.tagList()).orElseThrow(() -> new IllegalStateException(
                standby.instanceId() + " carries no " + FenceTag.KEY + " tag: nothing to lift"));
        if (!groups.isEmpty()) {
            aws.rds(standby.region()).modifyDBInstance(request -> request.dbInstanceIdentifier(standby.instanceId())
                    .vpcSecurityGroupIds(groups)
                    .applyImmediately(true));
        }
        aws.rds(standby.region()).removeTagsFromResource(request -> request.resourceName(fenced.dbInstanceArn())
                .tagKeys(FenceTag.KEY));
    }

    private DBInstance instance(Side side) {
        return aws.rds(side.region()).describeDBInstances(request -> request.dbInstanceIdentifier(side.instanceId()))
                .dbInstances().get(0);
    }

    private static List<String> groupsOf(DBInstance instance) {
        return instance.vpcSecurityGroups().stream().map(VpcSecurityGroupMembership::vpcSecurityGroupId).toList();
    }

    /**
     * An instance replica has one way to become a writer, planned or not: PromoteReadReplica. A refusal is looked
     * at again: the call's first attempt may have been applied and its answer lost (a timed-out attempt, a 503 on
     * the way back), so that the SDK's retry met our own promotion. Found by the fleet benchmark (200 pairs on a
     * loaded emulator): runs FAILED with "DB Instance is not a read replica" after their replica was promoted.
     */
    @Override
    public void promote(boolean planned) {
        try {
            aws.rds(standby.region()).promoteReadReplica(request -> request.dbInstanceIdentifier(standby.instanceId()));
        } catch (InvalidDbInstanceStateException e) {
            DatabaseState now = standby();
            if (!now.isReplica()) {
                return; // promoted: by this call (its retry refused) or already; AWAIT_WRITER waits for the writer
            }
            // AWS shows a promotion as "modifying" with the source still set (no "promoting" status): after a retry,
            // a replica that was available a moment ago and is now in a status it leaves on its own was promoted
            // by our first attempt. A refusal at the first attempt is AWS's answer, and stands.
            boolean retried = e.numAttempts() != null && e.numAttempts() > 1;
            if (!(retried && !now.isAvailable() && now.serving().worthWaitingFor())) {
                throw e;
            }
            LOG.warnf("PromoteReadReplica of %s was refused on attempt %d (%s) while %s: an earlier attempt was "
                    + "applied; waiting for the writer", standby.instanceId(), e.numAttempts(),
                    e.awsErrorDetails().errorMessage(), now.describe());
        }
    }

    /**
     * AWS reports no "promoting" status for an instance: after PromoteReadReplica it goes modifying, rebooting,
     * available. What shows a promotion is an instance that left replication (no source any more) and is not
     * available yet, in a status it leaves on its own. A replica that is merely busy (backing-up, modifying for
     * another reason) is not being promoted: PromoteReadReplica would be refused, and waiting would not help.
     */
    @Override
    public boolean promotionUnderWay() {
        return promotionUnderWay(standby());
    }

    @Override
    public boolean promotionUnderWay(DatabaseState standby) {
        return !standby.isReplica() && !standby.isAvailable() && standby.serving().worthWaitingFor();
    }

    /**
     * The SDK's generated waiter (waitUntilDBInstanceAvailable) would return while the instance is still a replica,
     * so this builds an SDK {@link Waiter} with the acceptor a promotion needs.
     */
    @Override
    public DatabaseState awaitWriter(Duration bound, Cadence cadence) {
        String region = standby.region();
        Waiter<DescribeDbInstancesResponse> waiter = Waiter.builder(DescribeDbInstancesResponse.class)
                .addAcceptor(WaiterAcceptor.successOnResponseAcceptor(response -> view(region, response).isWriter()))
                .addAcceptor(Polling.failWhen(
                        response -> isTerminal(view(region, response).status()),
                        standby.instanceId() + " entered a status it does not leave on its own"))
                .addAcceptor(WaiterAcceptor.retryOnResponseAcceptor(response -> true))
                .overrideConfiguration(cadence.bounded(bound))
                .build();
        DescribeDbInstancesResponse writer = waiter.run(cadence.looking(RdsNotification.source(region, standby.instanceId()), () -> aws.rds(region)
                .describeDBInstances(request -> request.dbInstanceIdentifier(standby.instanceId())))).matched().response()
                .orElseThrow();
        return view(region, writer);
    }

    @Override
    public List<String> readinessProblems() {
        return List.of();
    }

    private DatabaseState describe(String region, String instanceId) {
        return view(region, aws.rds(region).describeDBInstances(request -> request.dbInstanceIdentifier(instanceId)));
    }

    /**
     * Statuses from which an instance does not come back to available on its own ({@link ServingStatus}). An
     * undocumented status is not one: the wait keeps polling it, within its bound, since nothing says it lasts.
     */
    private static boolean isTerminal(String status) {
        return ServingStatus.ofInstance(status) == ServingStatus.TERMINAL;
    }

    private static DatabaseState view(String region, DescribeDbInstancesResponse response) {
        DBInstance instance = response.dbInstances().get(0);
        return new DatabaseState(instance.dbInstanceIdentifier(), region, instance.dbInstanceStatus(),
                instance.endpoint() == null ? null : instance.endpoint().address(),
                instance.readReplicaSourceDBInstanceIdentifier(),
                instance.vpcSecurityGroups().stream().map(VpcSecurityGroupMembership::vpcSecurityGroupId).toList());
    }
}
