package dev.regionfailover.database;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

import dev.regionfailover.aws.AwsClients;
import dev.regionfailover.aws.Cadence;
import dev.regionfailover.aws.Errors;
import dev.regionfailover.aws.Polling;
import dev.regionfailover.event.RdsNotification;
import dev.regionfailover.metrics.CloudWatchGateway;
import software.amazon.awssdk.core.waiters.Waiter;
import software.amazon.awssdk.core.waiters.WaiterAcceptor;
import software.amazon.awssdk.services.rds.model.DBCluster;
import software.amazon.awssdk.services.rds.model.DescribeGlobalClustersResponse;
import software.amazon.awssdk.services.rds.model.GlobalCluster;
import software.amazon.awssdk.services.rds.model.GlobalClusterMember;
import software.amazon.awssdk.services.rds.model.InvalidDbClusterStateException;
import software.amazon.awssdk.services.rds.model.InvalidGlobalClusterStateException;
import software.amazon.awssdk.services.rds.model.VpcSecurityGroupMembership;

/**
 * An Aurora global database: the writer cluster in the primary region, secondary clusters elsewhere. Roles are
 * read from DescribeGlobalClusters (IsWriter, FailoverState), the source of truth for idempotency, so nothing
 * here depends on remembering what an earlier invocation did. The standby is the secondary in the standby region,
 * or else the secondary with the lowest AuroraGlobalDBRPOLag. Failover is AWS's managed failover:
 * FailoverGlobalCluster with AllowDataLoss (unplanned) or SwitchoverGlobalCluster (planned, RPO 0).
 */
public class AuroraGlobalGateway implements DatabaseGateway {

    private final AwsClients aws;
    private final CloudWatchGateway cloudWatch;
    private final String plan;
    private final String globalClusterId;
    private final String primaryRegion;
    private final String standbyRegion;
    private final Duration lagWindow;

    /** @param plan the plan's name, which IAM requires on a member cluster ({@link PlanTag}) before we may fence it */
    public AuroraGlobalGateway(AwsClients aws, CloudWatchGateway cloudWatch, String plan, String globalClusterId,
            String primaryRegion, String standbyRegion, Duration lagWindow) {
        this.aws = aws;
        this.cloudWatch = cloudWatch;
        this.plan = plan;
        this.globalClusterId = globalClusterId;
        this.primaryRegion = primaryRegion;
        this.standbyRegion = standbyRegion;
        this.lagWindow = lagWindow;
    }

    /** Failback: the member in the standby region is the writer, the one in the primary region the target. */
    @Override
    public DatabaseGateway reversed() {
        return new AuroraGlobalGateway(aws, cloudWatch, plan, globalClusterId, standbyRegion, primaryRegion,
                lagWindow);
    }

    @Override
    public boolean standbyExists() {
        return memberIn(global(), standbyRegion).isPresent();
    }

    /**
     * A managed failover keeps the old primary's cluster in the global database as a secondary once its region
     * is back, so there is normally nothing to create; a member that was removed must be re-added by hand.
     */
    @Override
    public void createStandby() {
        throw new IllegalStateException("global cluster " + globalClusterId + " has no member in " + standbyRegion
                + ": add a secondary cluster there (CreateDBCluster with GlobalClusterIdentifier), then retry");
    }

    @Override
    public String describePair() {
        return "Aurora global database " + globalClusterId + " (writer expected in " + primaryRegion
                + ", target in " + standbyRegion + ")";
    }

    @Override
    public DatabaseState primary() {
        return cluster(memberIn(global(), primaryRegion).orElseThrow(() -> new IllegalStateException(
                "global cluster " + globalId() + " has no member in " + primaryRegion)), global());
    }

    @Override
    public DatabaseState standby() {
        GlobalCluster global = global();
        return cluster(target(global), global);
    }

    @Override
    public OptionalDouble lagSeconds(Duration window) {
        String target = clusterId(target(global()).dbClusterArn());
        return lagOf(target, window);
    }

    @Override
    public void fencePrimary(List<String> securityGroupIds) {
        GlobalClusterMember primary = memberIn(global(), primaryRegion).orElseThrow();
        DBCluster old = describeCluster(primary);
        if (FenceTag.read(old.tagList()).isEmpty()) {
            aws.rds(primaryRegion).addTagsToResource(request -> request.resourceName(old.dbClusterArn())
                    .tags(FenceTag.of(old.vpcSecurityGroups().stream()
                            .map(VpcSecurityGroupMembership::vpcSecurityGroupId).toList())));
        }
        aws.rds(primaryRegion).modifyDBCluster(request -> request
                .dbClusterIdentifier(clusterId(primary.dbClusterArn()))
                .vpcSecurityGroupIds(securityGroupIds)
                .applyImmediately(true));
    }

    @Override
    public Optional<List<String>> standbyFencedFrom() {
        return FenceTag.read(describeCluster(target(global())).tagList());
    }

    @Override
    public void liftStandbyFence() {
        DBCluster fenced = describeCluster(target(global()));
        List<String> groups = FenceTag.read(fenced.tagList()).orElseThrow(() -> new IllegalStateException(
                fenced.dbClusterIdentifier() + " carries no " + FenceTag.KEY + " tag: nothing to lift"));
        String region = regionOf(fenced.dbClusterArn());
        if (!groups.isEmpty()) {
            aws.rds(region).modifyDBCluster(request -> request
                    .dbClusterIdentifier(fenced.dbClusterIdentifier())
                    .vpcSecurityGroupIds(groups)
                    .applyImmediately(true));
        }
        aws.rds(region).removeTagsFromResource(request -> request.resourceName(fenced.dbClusterArn())
                .tagKeys(FenceTag.KEY));
    }

    @Override
    public void promote(boolean planned) {
        if (promotionUnderWay()) {
            return;
        }
        String target = target(global()).dbClusterArn();
        try {
            if (planned) {
                aws.rds(standbyRegion).switchoverGlobalCluster(request -> request
                        .globalClusterIdentifier(globalId()).targetDbClusterIdentifier(target));
            } else {
                aws.rds(standbyRegion).failoverGlobalCluster(request -> request
                        .globalClusterIdentifier(globalId()).targetDbClusterIdentifier(target).allowDataLoss(true));
            }
        } catch (InvalidGlobalClusterStateException | InvalidDbClusterStateException e) {
            // As RdsInstanceGateway.promote: the first attempt may have started the operation and lost its answer,
            // so that the SDK's retry met it ("already switching over or failing over", or the target already
            // the primary). After a retry, an operation under way, or the target now the writer, is ours.
            boolean retried = e.numAttempts() != null && e.numAttempts() > 1;
            if (!standby().isReplica() || (retried && promotionUnderWay())) {
                return;
            }
            throw e;
        }
    }

    /**
     * AWS reports a managed failover or switchover in one place: the global cluster's FailoverState, from pending
     * to done (the member clusters are {@code modifying} meanwhile). A member's own {@code failing-over} is an
     * in-region failover to one of its Aurora Replicas, and {@code promoting} a detached cluster becoming
     * standalone (Aurora User Guide, "DB cluster status"): neither makes the standby the global writer, so taking
     * them for our promotion would skip it, and the run would fail after fencing the writer.
     */
    @Override
    public boolean promotionUnderWay() {
        return global().failoverState() != null;
    }

    @Override
    public DatabaseState awaitWriter(Duration bound, Cadence cadence) {
        String target = target(global()).dbClusterArn();
        Waiter<DescribeGlobalClustersResponse> waiter = Waiter.builder(DescribeGlobalClustersResponse.class)
                .addAcceptor(WaiterAcceptor.successOnResponseAcceptor(response -> settled(response)
                        && isWriter(response.globalClusters().get(0), target)))
                .addAcceptor(Polling.failWhen(response -> settled(response)
                        && !isWriter(response.globalClusters().get(0), target),
                        "the managed failover ended without making " + clusterId(target) + " the writer"))
                .addAcceptor(WaiterAcceptor.retryOnResponseAcceptor(response -> true))
                .overrideConfiguration(cadence.bounded(bound))
                .build();
        // An RDS event names the promoted cluster: arn:PARTITION:rds:REGION:ACCOUNT:cluster:ID.
        waiter.run(cadence.looking(RdsNotification.source(target.split(":")[3], clusterId(target)),
                this::describeGlobal));
        return standby();
    }

    /** Managed failover needs every member on the same engine major and minor version. */
    @Override
    public List<String> readinessProblems() {
        List<String> problems = new ArrayList<>();
        GlobalCluster global = global();
        List<String> versions = new ArrayList<>();
        for (GlobalClusterMember member : global.globalClusterMembers()) {
            try {
                versions.add(clusterId(member.dbClusterArn()) + "=" + describeCluster(member).engineVersion());
            } catch (RuntimeException e) {
                problems.add("cannot read member " + clusterId(member.dbClusterArn()) + ": " + Errors.describe(e));
            }
        }
        if (versions.stream().map(v -> majorMinor(v.substring(v.indexOf('=') + 1))).distinct().count() > 1) {
            problems.add("engine versions differ (" + String.join(", ", versions)
                    + "): managed failover needs the same major and minor version; only detach-and-promote would work");
        }
        return problems;
    }

    /**
     * Every member the deployer has not tagged {@code regionfailover:plan=<plan>}: the members are discovered, so
     * IAM can let us fence one only by that tag, and a fence of an untagged member would be refused mid-failover.
     */
    @Override
    public Optional<List<String>> unfenceableDatabases() {
        List<String> untagged = new ArrayList<>();
        for (GlobalClusterMember member : global().globalClusterMembers()) {
            if (!PlanTag.marks(describeCluster(member).tagList(), plan)) {
                untagged.add(clusterId(member.dbClusterArn()) + " (" + regionOf(member.dbClusterArn()) + ")");
            }
        }
        return Optional.of(untagged);
    }

    /**
     * The global writer endpoint and the writer it should point at, read from the standby region like every other
     * read here (the primary region may be the one that failed).
     */
    public GlobalWriterEndpoint globalWriterEndpoint() {
        GlobalCluster global = global();
        Optional<GlobalWriterEndpoint.Writer> writer = global.globalClusterMembers().stream()
                .filter(m -> Boolean.TRUE.equals(m.isWriter())).findFirst()
                .map(m -> new GlobalWriterEndpoint.Writer(clusterId(m.dbClusterArn()), regionOf(m.dbClusterArn()),
                        describeCluster(m).endpoint()));
        return new GlobalWriterEndpoint(globalId(), Optional.ofNullable(global.endpoint()).filter(e -> !e.isBlank()),
                writer, global.failoverState() != null);
    }

    private boolean settled(DescribeGlobalClustersResponse response) {
        return response.globalClusters().get(0).failoverState() == null;
    }

    private static boolean isWriter(GlobalCluster global, String clusterArn) {
        return global.globalClusterMembers().stream()
                .anyMatch(m -> m.dbClusterArn().equals(clusterArn) && Boolean.TRUE.equals(m.isWriter()));
    }

    /** The secondary in the standby region; else the secondary with the lowest RPO lag. */
    private GlobalClusterMember target(GlobalCluster global) {
        Optional<GlobalClusterMember> inStandby = memberIn(global, standbyRegion);
        if (inStandby.isPresent()) {
            return inStandby.get();
        }
        return global.globalClusterMembers().stream()
                .filter(m -> !Boolean.TRUE.equals(m.isWriter()))
                .min(Comparator.comparingDouble(m -> lagOf(clusterId(m.dbClusterArn()), lagWindow)
                        .orElse(Double.MAX_VALUE)))
                .orElseThrow(() -> new IllegalStateException("global cluster " + globalId() + " has no secondary"));
    }

    /**
     * {@code AuroraGlobalDBRPOLag} (milliseconds) where the engine reports it, else the older
     * {@code AuroraGlobalDBReplicationLag}; in seconds.
     */
    private OptionalDouble lagOf(String clusterId, Duration window) {
        String region = standbyRegion;
        OptionalDouble rpoLag = cloudWatch.latestValue(region, "AuroraGlobalDBRPOLag", "DBClusterIdentifier",
                clusterId, window);
        OptionalDouble lag = rpoLag.isPresent() ? rpoLag
                : cloudWatch.latestValue(region, "AuroraGlobalDBReplicationLag", "DBClusterIdentifier", clusterId,
                        window);
        return lag.isPresent() ? OptionalDouble.of(lag.getAsDouble() / 1000.0) : lag;
    }

    private DatabaseState cluster(GlobalClusterMember member, GlobalCluster global) {
        DBCluster cluster = describeCluster(member);
        boolean promoting = global.failoverState() != null
                && member.dbClusterArn().equals(global.failoverState().toDbClusterArn());
        String writer = global.globalClusterMembers().stream().filter(m -> Boolean.TRUE.equals(m.isWriter()))
                .map(GlobalClusterMember::dbClusterArn).findFirst().orElse(null);
        boolean secondary = !Boolean.TRUE.equals(member.isWriter());
        return new DatabaseState(cluster.dbClusterIdentifier(), regionOf(member.dbClusterArn()),
                promoting ? global.failoverState().statusAsString() : cluster.status(), cluster.endpoint(),
                cluster.readerEndpoint(), secondary || promoting ? Optional.ofNullable(writer).orElse(globalId()) : null,
                cluster.vpcSecurityGroups().stream().map(VpcSecurityGroupMembership::vpcSecurityGroupId).toList(),
                DatabaseState.Kind.DB_CLUSTER);
    }

    private DBCluster describeCluster(GlobalClusterMember member) {
        return aws.rds(regionOf(member.dbClusterArn())).describeDBClusters(request -> request
                .dbClusterIdentifier(clusterId(member.dbClusterArn()))).dbClusters().get(0);
    }

    private GlobalCluster global() {
        return describeGlobal().globalClusters().get(0);
    }

    private DescribeGlobalClustersResponse describeGlobal() {
        return aws.rds(standbyRegion)
                .describeGlobalClusters(request -> request.globalClusterIdentifier(globalId()));
    }

    private static Optional<GlobalClusterMember> memberIn(GlobalCluster global, String region) {
        return global.globalClusterMembers().stream().filter(m -> regionOf(m.dbClusterArn()).equals(region))
                .findFirst();
    }

    private String globalId() {
        return globalClusterId;
    }

    /** arn:aws:rds:REGION:ACCOUNT:cluster:ID */
    private static String regionOf(String clusterArn) {
        return clusterArn.split(":")[3];
    }

    private static String clusterId(String clusterArn) {
        return clusterArn.substring(clusterArn.lastIndexOf(':') + 1);
    }

    private static String majorMinor(String version) {
        String[] parts = version.split("\\.");
        return parts.length >= 2 ? parts[0] + "." + parts[1] : version;
    }
}
