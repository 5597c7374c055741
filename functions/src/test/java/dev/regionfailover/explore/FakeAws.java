package dev.regionfailover.explore;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;

import dev.regionfailover.database.ServingStatus;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.rds.model.DbClusterNotFoundException;
import software.amazon.awssdk.services.rds.model.DbInstanceNotFoundException;
import software.amazon.awssdk.services.rds.model.GlobalClusterNotFoundException;
import software.amazon.awssdk.services.rds.model.InvalidDbClusterStateException;
import software.amazon.awssdk.services.rds.model.InvalidDbInstanceStateException;
import software.amazon.awssdk.services.rds.model.InvalidGlobalClusterStateException;
import software.amazon.awssdk.services.rds.model.RdsException;

/**
 * The explored world's AWS, in memory: RDS DB instances with cross-region read replicas, or an Aurora global
 * database with a member cluster in each region; the alarms of the primary region, the replicas' lag, and where
 * each pair's writer name points (a plan of several RDS pairs holds every pair's instances, in both regions). It
 * follows AWS's documented transitions as the emulator does (emulator/rds_fidelity.py, emulator/aurora_global.py),
 * and {@code EmulatorCrossCheckIT} / {@code AuroraEmulatorCrossCheckIT} compare the two on the same calls:
 * <ul>
 * <li>PromoteReadReplica: only a read replica in {@code available} is promoted (InvalidDBInstanceState
 * otherwise); it reports {@code modifying}, still naming its source (the CLI reference's example answer), until
 * the promotion ends: then it is an {@code available} writer with no source;
 * <li>CreateDBInstanceReadReplica: the replica is {@code creating}, then an available replica;
 * <li>FailoverGlobalCluster (AllowDataLoss) and SwitchoverGlobalCluster: see {@link GlobalCluster};
 * <li>a status AWS documents as ending on its own (busy or down, docs/database-states.md) ends, after a while,
 * in {@code available}; a terminal one stays until a human acts (a history's recovery);
 * <li>a region that is black-holed answers nothing: every call times out;
 * <li>throttling, when the history turns it on, answers some calls with ThrottlingException, and loses the
 * answer of some promotions and DNS changes that were made (a read timeout after AWS acted).
 * </ul>
 * Each read takes the poll interval of virtual time, as polling would: waits pass time in the world, not in CI.
 */
final class FakeAws {

    static final String PRIMARY_REGION = "us-east-1";
    static final String STANDBY_REGION = "us-west-2";
    static final List<String> APPLICATION_GROUPS = List.of("sg-app");
    static final List<String> FENCE_GROUPS = List.of("sg-fence");
    static final Duration POLL = Duration.ofSeconds(5);
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(2);

    /**
     * What a DB instance (DescribeDBInstances) and an Aurora cluster (DescribeDBClusters) share: a status from its
     * own documented table, security groups, our fence tag, and the end of what it is busy with.
     */
    abstract static class Database {
        final String id;
        final String region;
        /** The plan's pair it belongs to (a replica rebuilt for a failback belongs to its source's). */
        String pair = ExploredSystem.PLAN;
        String status = "available";
        List<String> groups = APPLICATION_GROUPS;
        /** Our fence tag: the groups it had before a fence (FenceTag); null when untagged. */
        List<String> fencedFrom;
        Instant fencedAt;
        Instant busyUntil;
        String afterBusy;
        /** ReplicaLag (an instance) or AuroraGlobalDBRPOLag (a secondary cluster), in seconds. */
        Double lagSeconds;

        Database(String id, String region) {
            this.id = id;
            this.region = region;
        }

        /** Where the writer name sends clients when it names this database. */
        abstract String endpoint();

        /** Takes writes: a standalone instance, or the global database's member with IsWriter. */
        abstract boolean writer();

        /** What it replicates from, for messages; null for a writer. */
        abstract String source();

        /** Its status, read in its kind's documented table (docs/database-states.md). */
        abstract ServingStatus serving(String status);

        /** The busy time ended: what else ends with it (a promotion). */
        void busyEnded() {
        }
    }

    /** One DB instance as DescribeDBInstances shows it. */
    static final class Instance extends Database {
        String replicaOf;
        /** A promotion ends when the busy time does: the instance then leaves replication. */
        boolean promoting;

        Instance(String id, String region) {
            super(id, region);
        }

        @Override
        String endpoint() {
            return id + "." + region + ".rds.example";
        }

        @Override
        boolean writer() {
            return replicaOf == null;
        }

        @Override
        String source() {
            return replicaOf;
        }

        @Override
        ServingStatus serving(String status) {
            return ServingStatus.ofInstance(status);
        }

        @Override
        void busyEnded() {
            if (promoting) {
                promoting = false;
                replicaOf = null;
                lagSeconds = null;
            }
        }
    }

    /** One member cluster of the global database, as DescribeDBClusters and GlobalClusterMembers show it. */
    static final class Cluster extends Database {
        final GlobalCluster global;
        /** GlobalClusterMember.IsWriter. */
        boolean isWriter;

        Cluster(String id, String region, GlobalCluster global) {
            super(id, region);
            this.global = global;
        }

        String arn() {
            return "arn:aws:rds:" + region + ":" + ExploredSystem.ACCOUNT + ":cluster:" + id;
        }

        @Override
        String endpoint() {
            return id + ".cluster-c0ffee." + region + ".rds.example";
        }

        String readerEndpoint() {
            return id + ".cluster-ro-c0ffee." + region + ".rds.example";
        }

        @Override
        boolean writer() {
            return isWriter;
        }

        @Override
        String source() {
            return isWriter ? null : global.writer().map(Cluster::arn).orElse(global.id);
        }

        @Override
        ServingStatus serving(String status) {
            return ServingStatus.ofCluster(status);
        }
    }

    /**
     * An Aurora global database, as DescribeGlobalClusters shows it, and its managed failovers (emulator/
     * aurora_global.py, item 3, and the API reference's FailoverGlobalCluster, SwitchoverGlobalCluster and
     * FailoverState):
     * <ul>
     * <li>the call is refused while another runs (InvalidGlobalClusterStateFault), and when the target is not a
     * member, is already the writer, or is not {@code available} (InvalidDBClusterStateFault); a switchover also
     * when the writer is not {@code available} or its region cannot be reached, since it synchronises with it
     * first ("no data loss");
     * <li>meanwhile FailoverState is {@code pending} ("verified", its first seconds), then {@code failing-over}
     * / {@code switching-over}, the global cluster's Status the same, and both members {@code modifying}; the
     * old writer keeps IsWriter until the end;
     * <li>at the end the roles swap: the target IsWriter, the old writer a secondary (for an unplanned failover
     * AWS rebuilds it so when its region is back; the emulator, and this fake, at the same moment), members that
     * were {@code modifying} are {@code available}, FailoverState is gone. A target that entered a terminal
     * status meanwhile is not promoted: FailoverState is gone and the roles stay (RDS-EVENT-0239, failed).
     * </ul>
     */
    static final class GlobalCluster {
        final String id;
        String status = "available";
        final List<Cluster> members = new ArrayList<>();
        Failover failover;

        GlobalCluster(String id) {
            this.id = id;
        }

        Optional<Cluster> writer() {
            return members.stream().filter(member -> member.isWriter).findFirst();
        }

        Optional<Cluster> memberIn(String region) {
            return members.stream().filter(member -> member.region.equals(region)).findFirst();
        }
    }

    /** GlobalCluster.FailoverState while a managed failover or switchover runs. */
    record Failover(Cluster from, Cluster to, boolean dataLoss, Instant startedAt, Instant endsAt) {

        /** How long FailoverState stays {@code pending} ("the request is verified") before the roles move. */
        static final Duration PENDING = Duration.ofSeconds(10);

        String status(Instant now) {
            return now.isBefore(startedAt.plus(PENDING)) ? "pending" : dataLoss ? "failing-over" : "switching-over";
        }
    }

    /**
     * A call that changed something, in order: what the invariants count; {@code lag}: the replica's, at a
     * promotion; {@code pair}: the plan's pair whose database or writer name it changed.
     */
    record Call(String action, String target, Instant at, Double lag, String pair) {

        /** The calls that make a replica or secondary the writer. */
        static final Set<String> PROMOTIONS = Set.of("PromoteReadReplica", "FailoverGlobalCluster",
                "SwitchoverGlobalCluster");

        boolean promotion() {
            return PROMOTIONS.contains(action);
        }
    }

    final VirtualClock clock;
    final Random random;
    final Map<String, Instance> instances = new LinkedHashMap<>();
    final Map<String, Cluster> clusters = new LinkedHashMap<>();
    GlobalCluster global;
    final Set<String> unreachable = new HashSet<>();
    final Map<String, String> alarms = new HashMap<>();
    final List<Call> calls = new ArrayList<>();
    boolean route53Down;
    double throttling;
    /** Where each pair's writer name (its own record) points, by pair. */
    final Map<String, String> writerNames = new LinkedHashMap<>();
    /** Called before every call: a killed Lambda makes none (ExploredSystem.alive). */
    Runnable liveness = () -> {
    };

    FakeAws(VirtualClock clock, long seed) {
        this.clock = clock;
        this.random = new Random(seed);
    }

    Instance add(String pair, String id, String region, String replicaOf) {
        Instance instance = new Instance(id, region);
        instance.pair = pair;
        instance.replicaOf = replicaOf;
        instances.put(id, instance);
        return instance;
    }

    /** The global database, with a member per region; the first is the writer. */
    GlobalCluster addGlobal(String globalId, String writerId, String writerRegion, String secondaryId,
            String secondaryRegion) {
        global = new GlobalCluster(globalId);
        Cluster writer = new Cluster(writerId, writerRegion, global);
        writer.isWriter = true;
        Cluster secondary = new Cluster(secondaryId, secondaryRegion, global);
        for (Cluster member : List.of(writer, secondary)) {
            global.members.add(member);
            clusters.put(member.id, member);
        }
        return global;
    }

    /** Every database of the world, instances and clusters: what the invariants look at. */
    List<Database> databases() {
        List<Database> all = new ArrayList<>(instances.values());
        all.addAll(clusters.values());
        return all;
    }

    // ---- what the fakes of our gateways call, as the SDK would -----------------------------------------------

    Instance describe(String region, String id) {
        return described(instances, region, id, () -> DbInstanceNotFoundException.builder().statusCode(404)
                .message("DBInstance " + id + " not found.")
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("DBInstanceNotFound").build()).build());
    }

    /** DescribeDBClusters in {@code region}; a cluster of another region is not found there. */
    Cluster describeCluster(String region, String id) {
        return described(clusters, region, id, () -> DbClusterNotFoundException.builder().statusCode(404)
                .message("DBCluster " + id + " not found.")
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("DBClusterNotFoundFault").build()).build());
    }

    /** DescribeGlobalClusters: a global database is answered from any region (emulator/aurora_global.py, 4). */
    GlobalCluster describeGlobal(String region, String globalId) {
        call(region);
        clock.advance(POLL);
        if (global == null || !global.id.equals(globalId)) {
            throw GlobalClusterNotFoundException.builder().statusCode(404)
                    .message("Global cluster " + globalId + " not found.")
                    .awsErrorDetails(AwsErrorDetails.builder().errorCode("GlobalClusterNotFoundFault").build())
                    .build();
        }
        settleGlobal();
        return global;
    }

    void promote(String region, String id) {
        Instance replica = describe(region, id);
        if (replica.replicaOf == null) {
            throw invalidState("DB instance " + id + " is not a read replica.");
        }
        if (!"available".equals(replica.status)) {
            throw invalidState("DB instance " + id + " is not in available state.");
        }
        changed("PromoteReadReplica", replica, currentLag(replica));
        replica.promoting = true;
        busy(replica, "modifying", Duration.ofSeconds(30 + random.nextInt(240)));
        lostAnswer();
    }

    /**
     * FailoverGlobalCluster (AllowDataLoss) or SwitchoverGlobalCluster, sent to {@code region} with the target's
     * ARN; see {@link GlobalCluster}. The call's lag is what it loses: the target's lag for a failover, none for a
     * switchover, which synchronises first.
     */
    void managedFailover(String region, String globalId, String targetArn, boolean allowDataLoss) {
        GlobalCluster global = describeGlobal(region, globalId);
        if (global.failover != null) {
            throw invalidGlobalState("Global cluster " + globalId + " is already switching over or failing over.");
        }
        Cluster target = global.members.stream().filter(member -> member.arn().equals(targetArn)).findFirst()
                .orElseThrow(() -> invalidClusterState("DB cluster " + targetArn + " is not a member of global "
                        + "cluster " + globalId + "."));
        if (target.isWriter) {
            throw invalidClusterState("DB cluster " + targetArn + " is already the primary cluster of global cluster "
                    + globalId + ".");
        }
        settle(target);
        if (!"available".equals(target.status)) {
            throw invalidClusterState("DB cluster " + targetArn + " is in " + target.status + " state, not available.");
        }
        Cluster writer = global.writer().orElseThrow(() -> invalidGlobalState("Global cluster " + globalId
                + " has no primary cluster."));
        settle(writer);
        if (!allowDataLoss && (!"available".equals(writer.status) || unreachable.contains(writer.region))) {
            throw invalidClusterState("Primary DB cluster " + writer.arn() + " is in " + writer.status
                    + " state, not available" + (unreachable.contains(writer.region) ? " (its region is unreachable)"
                            : "") + ".");
        }
        changed(allowDataLoss ? "FailoverGlobalCluster" : "SwitchoverGlobalCluster", target,
                allowDataLoss ? currentLag(target) : 0.0);
        Instant now = clock.instant();
        global.failover = new Failover(writer, target, allowDataLoss, now,
                now.plus(Failover.PENDING).plusSeconds(30 + random.nextInt(150)));
        global.status = allowDataLoss ? "failing-over" : "switching-over";
        for (Cluster member : List.of(writer, target)) {
            // aurora_global.py marks both modifying; a writer that is down or stopped stays so (nothing starts it)
            if (member.serving(member.status).isServing()) {
                member.status = "modifying";
                member.busyUntil = null;
            }
        }
        lostAnswer();
    }

    void fence(String region, String id, List<String> fence) {
        fenced(describe(region, id), "ModifyDBInstance(fence)", fence);
    }

    void fenceCluster(String region, String id, List<String> fence) {
        fenced(describeCluster(region, id), "ModifyDBCluster(fence)", fence);
    }

    void liftFence(String region, String id) {
        unfenced(describe(region, id), "ModifyDBInstance(unfence)");
    }

    void liftClusterFence(String region, String id) {
        unfenced(describeCluster(region, id), "ModifyDBCluster(unfence)");
    }

    void createReplica(String region, String id, String sourceRegion, String sourceId, List<String> groups) {
        call(region);
        Instance source = describe(sourceRegion, sourceId);
        if (instances.containsKey(id)) {
            throw RdsException.builder().statusCode(400).message("DB instance already exists")
                    .awsErrorDetails(AwsErrorDetails.builder().errorCode("DBInstanceAlreadyExists").build()).build();
        }
        Instance replica = add(source.pair, id, region, source.id);
        changed("CreateDBInstanceReadReplica", replica, null);
        replica.groups = List.copyOf(groups);
        replica.lagSeconds = 0.0;
        busy(replica, "creating", Duration.ofSeconds(300 + random.nextInt(600)));
    }

    /**
     * The lag of a replica or secondary (none for a writer). With its source fenced, it takes no writes: lag falls
     * to 0.
     */
    OptionalDouble lag(String region, String id) {
        call(region);
        Database replica = database(id).orElse(null);
        if (replica == null || replica.writer() || replica.lagSeconds == null) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(currentLag(replica));
    }

    private double currentLag(Database replica) {
        Database source = replica instanceof Cluster cluster ? cluster.global.writer().orElse(null)
                : instances.get(replica.source());
        if (source != null && source.fencedAt != null
                && !clock.instant().isBefore(source.fencedAt.plusSeconds(10))) {
            replica.lagSeconds = 0.0;
        }
        return replica.lagSeconds == null ? 0 : replica.lagSeconds;
    }

    Map<String, String> alarmStates(String region) {
        call(region);
        return Map.copyOf(alarms);
    }

    /** ChangeResourceRecordSets on {@code pair}'s writer name. */
    String changeWriterName(String pair, String endpoint) {
        liveness.run();
        if (route53Down) {
            throw SdkClientException.create("Unable to execute HTTP request: route53.amazonaws.com: connect timed out");
        }
        throttle();
        calls.add(new Call("ChangeResourceRecordSets", endpoint, clock.instant(), null, pair));
        writerNames.put(pair, endpoint);
        lostAnswer();
        return "change-" + calls.size();
    }

    // ---- what a history does to the world -------------------------------------------------------------------

    /**
     * A status from AWS's table of the database's kind; one that ends on its own ends in {@code available} after
     * {@code lasting}.
     */
    void setStatus(String id, String status, Duration lasting) {
        Database database = database(id).orElse(null);
        if (database == null) {
            return;
        }
        // What was due before the change happened first (a managed failover's end reads its target's status).
        settleGlobal();
        settle(database);
        ServingStatus serving = database.serving(status);
        if (database instanceof Instance instance && instance.promoting && "available".equals(status)) {
            // Nothing a human does returns a promoted instance to replication: it ends its promotion now.
            instance.busyUntil = clock.instant();
            settle(instance);
            return;
        }
        if (serving == ServingStatus.BUSY || serving == ServingStatus.DOWN) {
            busy(database, status, lasting);
        } else {
            database.status = status;
            database.busyUntil = null;
        }
    }

    Optional<Instance> instance(String id) {
        return Optional.ofNullable(instances.get(id));
    }

    Optional<Database> database(String id) {
        return Optional.<Database>ofNullable(instances.get(id)).or(() -> Optional.ofNullable(clusters.get(id)));
    }

    // ---- the machinery --------------------------------------------------------------------------------------

    private <D extends Database> D described(Map<String, D> kind, String region, String id,
            Supplier<RdsException> notFound) {
        call(region);
        clock.advance(POLL);
        D database = kind.get(id);
        if (database == null || !database.region.equals(region)) {
            throw notFound.get();
        }
        settleGlobal();
        settle(database);
        return database;
    }

    /** Our fence, as both gateways make it: tag the groups it had (unless an earlier fence did), then move it. */
    private void fenced(Database database, String action, List<String> fence) {
        if (database.fencedFrom == null) {
            database.fencedFrom = database.groups;
            changed("AddTagsToResource", database, null);
        }
        changed(action, database, null);
        database.groups = List.copyOf(fence);
        database.fencedAt = clock.instant();
    }

    private void unfenced(Database database, String action) {
        if (database.fencedFrom == null) {
            throw new IllegalStateException(database.id + " carries no fence tag: nothing to lift");
        }
        changed(action, database, null);
        database.groups = database.fencedFrom;
        database.fencedFrom = null;
        database.fencedAt = null;
    }

    private void busy(Database database, String status, Duration lasting) {
        database.status = status;
        database.busyUntil = clock.instant().plus(lasting);
        database.afterBusy = "available";
    }

    private void settle(Database database) {
        if (database.busyUntil != null && !clock.instant().isBefore(database.busyUntil)) {
            database.status = database.afterBusy;
            database.busyUntil = null;
            database.busyEnded();
        }
    }

    /** The end of a managed failover whose time has come (see {@link GlobalCluster}). */
    private void settleGlobal() {
        if (global == null || global.failover == null || clock.instant().isBefore(global.failover.endsAt())) {
            return;
        }
        Failover done = global.failover;
        global.failover = null;
        global.status = "available";
        settle(done.to());
        if (done.to().serving(done.to().status) != ServingStatus.TERMINAL) {
            done.from().isWriter = false;
            done.to().isWriter = true;
            // the new writer reports no lag; the old one is a secondary of it, rebuilt from it
            done.to().lagSeconds = null;
            done.from().lagSeconds = 0.0;
        }
        for (Cluster member : List.of(done.from(), done.to())) {
            if ("modifying".equals(member.status)) {
                member.status = "available";
            }
        }
    }

    private void changed(String action, Database database, Double lag) {
        calls.add(new Call(action, database.id, clock.instant(), lag, database.pair));
    }

    private void call(String region) {
        liveness.run();
        if (unreachable.contains(region)) {
            clock.advance(CALL_TIMEOUT);
            throw SdkClientException.create("Unable to execute HTTP request: rds." + region
                    + ".amazonaws.com: connect timed out");
        }
        throttle();
    }

    private void throttle() {
        if (throttling > 0 && random.nextDouble() < throttling) {
            throw RdsException.builder().statusCode(400).message("Rate exceeded")
                    .awsErrorDetails(AwsErrorDetails.builder().errorCode("Throttling").errorMessage("Rate exceeded")
                            .build())
                    .build();
        }
    }

    /**
     * The worst timeout: AWS did the change, and its answer was lost (the SDK's attempt timed out). The caller
     * cannot tell it from a call that never arrived, and tries again.
     */
    private void lostAnswer() {
        if (throttling > 0 && random.nextDouble() < throttling) {
            clock.advance(CALL_TIMEOUT);
            throw SdkClientException.create("Unable to execute HTTP request: Read timed out");
        }
    }

    private static InvalidDbInstanceStateException invalidState(String message) {
        return InvalidDbInstanceStateException.builder().statusCode(400)
                .message(message)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("InvalidDBInstanceState").errorMessage(message)
                        .build())
                .build();
    }

    private static InvalidDbClusterStateException invalidClusterState(String message) {
        return InvalidDbClusterStateException.builder().statusCode(400)
                .message(message)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("InvalidDBClusterStateFault")
                        .errorMessage(message).build())
                .build();
    }

    private static InvalidGlobalClusterStateException invalidGlobalState(String message) {
        return InvalidGlobalClusterStateException.builder().statusCode(400)
                .message(message)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("InvalidGlobalClusterStateFault")
                        .errorMessage(message).build())
                .build();
    }
}
