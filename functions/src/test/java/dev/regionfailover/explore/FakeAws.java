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

import dev.regionfailover.database.ServingStatus;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.rds.model.DbInstanceNotFoundException;
import software.amazon.awssdk.services.rds.model.InvalidDbInstanceStateException;
import software.amazon.awssdk.services.rds.model.RdsException;

/**
 * The explored world's AWS, in memory: RDS DB instances with cross-region read replicas, the alarms of the primary
 * region, the replica's lag, and where the writer name points. It follows AWS's documented transitions as the
 * emulator does (emulator/rds_fidelity.py), and {@code EmulatorCrossCheckIT} compares the two on the same calls:
 * <ul>
 * <li>PromoteReadReplica: only a read replica in {@code available} is promoted (InvalidDBInstanceState
 * otherwise); it reports {@code modifying}, still naming its source (the CLI reference's example answer), until
 * the promotion ends: then it is an {@code available} writer with no source;
 * <li>CreateDBInstanceReadReplica: the replica is {@code creating}, then an available replica;
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

    /** One DB instance as DescribeDBInstances shows it, plus our fence tag and the end of what it is busy with. */
    static final class Instance {
        final String id;
        final String region;
        String status = "available";
        String replicaOf;
        List<String> groups = APPLICATION_GROUPS;
        /** Our fence tag: the groups it had before a fence (FenceTag); null when untagged. */
        List<String> fencedFrom;
        Instant fencedAt;
        Instant busyUntil;
        String afterBusy;
        /** A promotion ends when the busy time does: the instance then leaves replication. */
        boolean promoting;
        Double lagSeconds;

        Instance(String id, String region) {
            this.id = id;
            this.region = region;
        }

        String endpoint() {
            return id + "." + region + ".rds.example";
        }

        boolean writer() {
            return replicaOf == null;
        }
    }

    /** A call that changed something, in order: what the invariants count; {@code lag}: the replica's, at a promotion. */
    record Call(String action, String target, Instant at, Double lag) {

        Call(String action, String target, Instant at) {
            this(action, target, at, null);
        }
    }

    final VirtualClock clock;
    final Random random;
    final Map<String, Instance> instances = new LinkedHashMap<>();
    final Set<String> unreachable = new HashSet<>();
    final Map<String, String> alarms = new HashMap<>();
    final List<Call> calls = new ArrayList<>();
    boolean route53Down;
    double throttling;
    String writerName;

    FakeAws(VirtualClock clock, long seed) {
        this.clock = clock;
        this.random = new Random(seed);
    }

    Instance add(String id, String region, String replicaOf) {
        Instance instance = new Instance(id, region);
        instance.replicaOf = replicaOf;
        instances.put(id, instance);
        return instance;
    }

    // ---- what the fakes of our gateways call, as the SDK would -----------------------------------------------

    Instance describe(String region, String id) {
        call(region);
        clock.advance(POLL);
        Instance instance = instances.get(id);
        if (instance == null || !instance.region.equals(region)) {
            throw DbInstanceNotFoundException.builder().statusCode(404).message("DBInstance " + id + " not found.")
                    .awsErrorDetails(AwsErrorDetails.builder().errorCode("DBInstanceNotFound").build()).build();
        }
        settle(instance);
        return instance;
    }

    void promote(String region, String id) {
        Instance replica = describe(region, id);
        if (replica.replicaOf == null) {
            throw invalidState("DB instance " + id + " is not a read replica.");
        }
        if (!"available".equals(replica.status)) {
            throw invalidState("DB instance " + id + " is not in available state.");
        }
        calls.add(new Call("PromoteReadReplica", id, clock.instant(), currentLag(replica)));
        replica.promoting = true;
        busy(replica, "modifying", Duration.ofSeconds(30 + random.nextInt(240)));
        lostAnswer();
    }

    void fence(String region, String id, List<String> fence) {
        Instance instance = describe(region, id);
        if (instance.fencedFrom == null) {
            instance.fencedFrom = instance.groups;
            calls.add(new Call("AddTagsToResource", id, clock.instant()));
        }
        calls.add(new Call("ModifyDBInstance(fence)", id, clock.instant()));
        instance.groups = List.copyOf(fence);
        instance.fencedAt = clock.instant();
    }

    void liftFence(String region, String id) {
        Instance instance = describe(region, id);
        if (instance.fencedFrom == null) {
            throw new IllegalStateException(id + " carries no fence tag: nothing to lift");
        }
        calls.add(new Call("ModifyDBInstance(unfence)", id, clock.instant()));
        instance.groups = instance.fencedFrom;
        instance.fencedFrom = null;
        instance.fencedAt = null;
    }

    void createReplica(String region, String id, String sourceRegion, String sourceId, List<String> groups) {
        call(region);
        Instance source = describe(sourceRegion, sourceId);
        if (instances.containsKey(id)) {
            throw RdsException.builder().statusCode(400).message("DB instance already exists")
                    .awsErrorDetails(AwsErrorDetails.builder().errorCode("DBInstanceAlreadyExists").build()).build();
        }
        calls.add(new Call("CreateDBInstanceReadReplica", id, clock.instant()));
        Instance replica = add(id, region, source.id);
        replica.groups = List.copyOf(groups);
        replica.lagSeconds = 0.0;
        busy(replica, "creating", Duration.ofSeconds(300 + random.nextInt(600)));
    }

    /** ReplicaLag of a replica (none for a writer). With its source fenced, it takes no writes: lag falls to 0. */
    OptionalDouble lag(String region, String id) {
        call(region);
        Instance replica = instances.get(id);
        if (replica == null || replica.replicaOf == null || replica.lagSeconds == null) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(currentLag(replica));
    }

    private double currentLag(Instance replica) {
        Instance source = instances.get(replica.replicaOf);
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

    String changeWriterName(String endpoint) {
        if (route53Down) {
            throw SdkClientException.create("Unable to execute HTTP request: route53.amazonaws.com: connect timed out");
        }
        throttle();
        calls.add(new Call("ChangeResourceRecordSets", endpoint, clock.instant()));
        writerName = endpoint;
        lostAnswer();
        return "change-" + calls.size();
    }

    // ---- what a history does to the world -------------------------------------------------------------------

    /** A status from AWS's table; one that ends on its own ends in {@code available} after {@code lasting}. */
    void setStatus(String id, String status, Duration lasting) {
        Instance instance = instances.get(id);
        if (instance == null) {
            return;
        }
        ServingStatus serving = ServingStatus.ofInstance(status);
        if (instance.promoting && "available".equals(status)) {
            // Nothing a human does returns a promoted instance to replication: it ends its promotion now.
            instance.busyUntil = clock.instant();
            settle(instance);
            return;
        }
        if (serving == ServingStatus.BUSY || serving == ServingStatus.DOWN) {
            busy(instance, status, lasting);
        } else {
            instance.status = status;
            instance.busyUntil = null;
        }
    }

    Optional<Instance> instance(String id) {
        return Optional.ofNullable(instances.get(id));
    }

    // ---- the machinery --------------------------------------------------------------------------------------

    private void busy(Instance instance, String status, Duration lasting) {
        instance.status = status;
        instance.busyUntil = clock.instant().plus(lasting);
        instance.afterBusy = "available";
    }

    private void settle(Instance instance) {
        if (instance.busyUntil != null && !clock.instant().isBefore(instance.busyUntil)) {
            instance.status = instance.afterBusy;
            instance.busyUntil = null;
            if (instance.promoting) {
                instance.promoting = false;
                instance.replicaOf = null;
                instance.lagSeconds = null;
            }
        }
    }

    private void call(String region) {
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
        return (InvalidDbInstanceStateException) InvalidDbInstanceStateException.builder().statusCode(400)
                .message(message)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("InvalidDBInstanceState").errorMessage(message)
                        .build())
                .build();
    }
}
