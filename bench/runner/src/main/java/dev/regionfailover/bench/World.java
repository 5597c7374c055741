package dev.regionfailover.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.regionfailover.tools.Emulator;
import dev.regionfailover.tools.Endpoints;
import dev.regionfailover.tools.ShardedEmulator;
import dev.regionfailover.tools.Topology;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.rds.RdsClient;

/**
 * The emulator with the drill's two-region topology (tools' Emulator and Topology), and the few changes the
 * benchmark makes to it: an outage, and re-arming after a failover so that the same function process can fail over
 * again (a new replica under the old name, the old security groups, the CNAME back on the primary, the lease and
 * the health history cleared).
 */
public final class World implements AutoCloseable {

    /** The emulator: one process, or shards (then {@code sharded} is set). */
    private final AutoCloseable emulator;
    private final ShardedEmulator sharded;
    private final Endpoints endpoints;
    private final List<ProcessHandle> emulatorProcesses;
    private final Topology topology;
    private final RdsClient primaryRds;
    private final RdsClient standbyRds;
    private final DynamoDbClient dynamoDb;
    /** The name server of the Aurora global writer endpoints, for the global-writer-endpoint strategy. */
    private String nameServer;

    private World(AutoCloseable emulator, ShardedEmulator sharded, Endpoints endpoints,
            List<ProcessHandle> emulatorProcesses, Topology topology) {
        this.emulator = emulator;
        this.sharded = sharded;
        this.endpoints = endpoints;
        this.emulatorProcesses = emulatorProcesses;
        this.topology = topology;
        this.primaryRds = client(RdsClient.builder().region(Region.of(Topology.PRIMARY_REGION))
                .endpointOverride(endpoints.of("RDS")));
        this.standbyRds = client(RdsClient.builder().region(Region.of(Topology.STANDBY_REGION))
                .endpointOverride(endpoints.of("RDS")));
        this.dynamoDb = DynamoDbClient.builder().region(Region.of(Topology.STANDBY_REGION))
                .endpointOverride(endpoints.of("DYNAMODB")).credentialsProvider(credentials())
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    /** A fresh emulator ({@code promotionSeconds}: how long a promoted replica stays "modifying"), seeded. */
    public static World start(String promotionSeconds) {
        Emulator emulator = Cleanup.register(Emulator.start(Map.of("EMULATOR_PROMOTION_SECONDS",
                promotionSeconds)));
        try {
            Endpoints endpoints = Endpoints.single(emulator.endpoint());
            return new World(emulator, null, endpoints, List.of(emulator.process()),
                    new Topology(endpoints).seed(4));
        } catch (RuntimeException e) {
            emulator.close();
            throw e;
        }
    }

    /**
     * The same world on the sharded emulator (tools' ShardedEmulator: one moto process per shard of services, each
     * behind its fault proxy), seeded without latency; {@link #injectLatency} then slows what the functions call.
     */
    public static World startSharded(String promotionSeconds) {
        return startSharded(Map.of("EMULATOR_PROMOTION_SECONDS", promotionSeconds), Topology.Options.rdsInstance(4));
    }

    /**
     * The sharded emulator with its own settings ({@code emulatorEnvironment}: EMULATOR_GLOBAL_FAILOVER_SECONDS,
     * ...) and another world ({@code options}: an Aurora global database, say).
     */
    public static World startSharded(Map<String, String> emulatorEnvironment, Topology.Options options) {
        ShardedEmulator emulator = Cleanup.register(ShardedEmulator.start(emulatorEnvironment));
        try {
            World world = new World(emulator, emulator, emulator.endpoints(), emulator.processes(),
                    new Topology(emulator.endpoints()).seed(options));
            world.nameServer = emulator.nameServer();
            return world;
        } catch (RuntimeException e) {
            emulator.close();
            throw e;
        }
    }

    /** Every shard's proxy delays each request as fault_proxy.py's latency rule {@code latency} says. */
    public void injectLatency(String latency) {
        shards().setFaults("{\"latency\": " + latency + "}");
    }

    /** Each shard's proxy counters (GET /_faults), JSON text by shard name. */
    public Map<String, String> faultCounters() {
        return shards().faultCounters();
    }

    private ShardedEmulator shards() {
        if (sharded == null) {
            throw new IllegalStateException("this world runs on one emulator process, without the proxies");
        }
        return sharded;
    }

    /** The emulator's processes (one, or one per shard), for CPU accounting. */
    public List<ProcessHandle> emulatorProcesses() {
        return emulatorProcesses;
    }

    public Topology topology() {
        return topology;
    }

    /** The functions' environment for this world, as Drill.java gives it: the plan, the endpoint, credentials. */
    public Map<String, String> functionEnvironment() {
        Map<String, String> env = new LinkedHashMap<>(topology.functionEnvironment());
        env.putAll(endpoints.environment());
        env.put("AWS_ACCESS_KEY_ID", "bench");
        env.put("AWS_SECRET_ACCESS_KEY", "bench");
        if (nameServer != null) {
            env.put("FAILOVER_DNS_NAME_SERVER", nameServer);
        }
        return env;
    }

    /** The primary stops answering and both watched alarms go to ALARM (the drill's outage). */
    public void outage() {
        topology.stopPrimary();
        Topology.WATCHED_ALARMS.forEach(alarm -> topology.setAlarm(alarm, StateValue.ALARM, "benchmark outage"));
    }

    /** Undoes a completed failover, keeping the outage, so the next alarm fails over again. */
    public void rearm() {
        standbyRds.deleteDBInstance(r -> r.dbInstanceIdentifier(Topology.REPLICA_ID).skipFinalSnapshot(true));
        standbyRds.createDBInstanceReadReplica(r -> r.dbInstanceIdentifier(Topology.REPLICA_ID)
                .sourceDBInstanceIdentifier("arn:aws:rds:" + Topology.PRIMARY_REGION + ":" + Topology.ACCOUNT + ":db:"
                        + Topology.PRIMARY_ID)
                .dbInstanceClass("db.t3.micro").vpcSecurityGroupIds(Topology.APP_SECURITY_GROUP));
        primaryRds.modifyDBInstance(r -> r.dbInstanceIdentifier(Topology.PRIMARY_ID)
                .vpcSecurityGroupIds(Topology.APP_SECURITY_GROUP).applyImmediately(true));
        topology.pointRecordAt(topology.primary().endpoint().address());
        for (String key : List.of("STATE", "HEALTH")) {
            dynamoDb.deleteItem(r -> r.tableName(Topology.TABLE).key(Map.of("pk", AttributeValue.fromS(Topology.PLAN),
                    "sk", AttributeValue.fromS(key))));
        }
        topology.reportReplicaLag(4);
    }

    /** Run headers in the journal ({@code RUN#<id>}, not their steps). */
    public List<Map<String, AttributeValue>> runs() {
        return topology.journal().stream().filter(item -> item.get("sk").s().startsWith("RUN#")
                && !item.get("sk").s().contains("#STEP#")).toList();
    }

    @Override
    public void close() {
        primaryRds.close();
        standbyRds.close();
        dynamoDb.close();
        topology.close();
        try {
            emulator.close();
        } catch (Exception e) {
            throw new IllegalStateException("could not stop the emulator", e);
        }
        Cleanup.done(emulator);
    }

    private static RdsClient client(software.amazon.awssdk.services.rds.RdsClientBuilder builder) {
        return builder.credentialsProvider(credentials()).httpClient(UrlConnectionHttpClient.create()).build();
    }

    private static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
    }
}
