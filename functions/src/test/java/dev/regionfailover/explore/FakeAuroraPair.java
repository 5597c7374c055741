package dev.regionfailover.explore;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

import dev.regionfailover.aws.Cadence;
import dev.regionfailover.database.DatabaseGateway;
import dev.regionfailover.database.DatabaseState;

/**
 * {@link DatabaseGateway} over {@link FakeAws}'s global database, as AuroraGlobalGateway is over RDS: call for
 * call (the same reads of DescribeGlobalClusters and DescribeDBClusters, in the same regions, so throttling and
 * unreachable regions hit the same places), the same view of a member (a cluster being promoted shows the
 * FailoverState status and still names the writer), the same promotionUnderWay, the same waiter outcomes, and
 * reversed() as Aurora's failback has it: the same global database seen from the other region. DatabasePairs
 * builds it alike for every generation.
 */
final class FakeAuroraPair extends FakePair {

    private final String globalId;
    private final String primaryRegion;
    private final String standbyRegion;

    FakeAuroraPair(FakeAws aws, String globalId, String primaryRegion, String standbyRegion) {
        super(aws);
        this.globalId = globalId;
        this.primaryRegion = primaryRegion;
        this.standbyRegion = standbyRegion;
    }

    @Override
    public DatabaseGateway reversed() {
        return new FakeAuroraPair(aws, globalId, standbyRegion, primaryRegion);
    }

    @Override
    public boolean standbyExists() {
        return global().memberIn(standbyRegion).isPresent();
    }

    /** As AuroraGlobalGateway: a member that was removed must be re-added by hand. */
    @Override
    public void createStandby() {
        throw new IllegalStateException("global cluster " + globalId + " has no member in " + standbyRegion
                + ": add a secondary cluster there (CreateDBCluster with GlobalClusterIdentifier), then retry");
    }

    @Override
    public String describePair() {
        return "Aurora global database " + globalId + " (writer expected in " + primaryRegion + ", target in "
                + standbyRegion + ")";
    }

    @Override
    public DatabaseState primary() {
        FakeAws.Cluster member = global().memberIn(primaryRegion).orElseThrow(() -> new IllegalStateException(
                "global cluster " + globalId + " has no member in " + primaryRegion));
        return view(member, global());
    }

    @Override
    public DatabaseState standby() {
        Global global = global();
        return view(target(global), global);
    }

    @Override
    public OptionalDouble lagSeconds(Duration window) {
        // AuroraGlobalDBRPOLag of the target, read in this gateway's standby region (the gateway converts ms to s)
        return aws.lag(standbyRegion, target(global()).id);
    }

    @Override
    public void fencePrimary(List<String> securityGroupIds) {
        FakeAws.Cluster primary = global().memberIn(primaryRegion).orElseThrow();
        aws.fenceCluster(primary.region, primary.id, securityGroupIds);
    }

    @Override
    public Optional<List<String>> standbyFencedFrom() {
        FakeAws.Cluster target = target(global());
        return Optional.ofNullable(aws.describeCluster(target.region, target.id).fencedFrom);
    }

    @Override
    public void liftStandbyFence() {
        FakeAws.Cluster target = target(global());
        aws.liftClusterFence(target.region, target.id);
    }

    /** As AuroraGlobalGateway: nothing when one is under way; else the managed call, from the standby region. */
    @Override
    public void promote(boolean planned) {
        if (promotionUnderWay()) {
            return;
        }
        try {
            aws.managedFailover(standbyRegion, globalId, target(global()).arn(), !planned);
        } catch (software.amazon.awssdk.services.rds.model.InvalidGlobalClusterStateException
                | software.amazon.awssdk.services.rds.model.InvalidDbClusterStateException e) {
            // As the gateway: the target already the writer, or after a retry an operation under way, is ours.
            boolean retried = e.numAttempts() != null && e.numAttempts() > 1;
            if (standby().isReplica() && !(retried && promotionUnderWay())) {
                throw e;
            }
        }
    }

    /** As the gateway: only FailoverState; a member's own failing-over or promoting is not our promotion. */
    @Override
    public boolean promotionUnderWay() {
        return !global().settled();
    }

    /** The gateway's waiter on DescribeGlobalClusters: done once FailoverState is gone, by who is the writer. */
    @Override
    public DatabaseState awaitWriter(Duration bound, Cadence cadence) {
        FakeAws.Cluster target = target(global());
        await(aws, bound, cadence.interval(), this::global, global -> !global.settled() ? Poll.RETRY
                : global.writer() == target ? Poll.SUCCESS : Poll.FAILURE,
                "the managed failover ended without making " + target.id + " the writer");
        return standby();
    }

    /** Every member of the explored global database runs the same engine version. */
    @Override
    public List<String> readinessProblems() {
        return List.of();
    }

    @Override
    String primaryId() {
        return aws.global.memberIn(primaryRegion).orElseThrow().id;
    }

    @Override
    String standbyId() {
        return aws.global.memberIn(standbyRegion).orElseThrow().id;
    }

    /** The global database's secondary, in whichever region (after a failover, the old primary's cluster). */
    @Override
    Optional<FakeAws.Database> replica() {
        return aws.global.members.stream().filter(member -> !member.isWriter).findFirst()
                .map(FakeAws.Database.class::cast);
    }

    /** The secondary in the standby region (the explored database always has one there: nothing removes it). */
    private FakeAws.Cluster target(Global global) {
        return global.memberIn(standbyRegion).orElseThrow(() -> new IllegalStateException("global cluster "
                + globalId + " has no member in " + standbyRegion));
    }

    /** One DescribeGlobalClusters answer: a snapshot, as the SDK's response is (later calls do not change it). */
    private record Global(String failoverStatus, FakeAws.Cluster failoverTo, FakeAws.Cluster writer,
            List<FakeAws.Cluster> members) {

        Optional<FakeAws.Cluster> memberIn(String region) {
            return members.stream().filter(member -> member.region.equals(region)).findFirst();
        }

        boolean settled() {
            return failoverStatus == null;
        }
    }

    private Global global() {
        FakeAws.GlobalCluster global = aws.describeGlobal(standbyRegion, globalId);
        FakeAws.Failover failover = global.failover;
        return new Global(failover == null ? null : failover.status(aws.clock.instant()),
                failover == null ? null : failover.to(), global.writer().orElse(null), List.copyOf(global.members));
    }

    /** As AuroraGlobalGateway.cluster: the member's DescribeDBClusters, read with the global cluster's roles. */
    private DatabaseState view(FakeAws.Cluster member, Global global) {
        FakeAws.Cluster cluster = aws.describeCluster(member.region, member.id);
        boolean promoting = !global.settled() && global.failoverTo() == member;
        String writer = global.writer() == null ? null : global.writer().arn();
        boolean secondary = global.writer() != member;
        return new DatabaseState(cluster.id, cluster.region, promoting ? global.failoverStatus() : cluster.status,
                cluster.endpoint(),
                cluster.readerEndpoint(), secondary || promoting ? Optional.ofNullable(writer).orElse(globalId) : null,
                cluster.groups);
    }
}
