package dev.regionfailover.tools;

import software.amazon.awssdk.services.route53.model.ResourceRecord;
import software.amazon.awssdk.services.route53.model.Change;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.eventbridge.model.Target;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.ComparisonOperator;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DbInstanceNotFoundException;
import software.amazon.awssdk.services.route53.model.ResourceRecordSetFailover;
import software.amazon.awssdk.services.route53.model.InsufficientDataHealthStatus;
import software.amazon.awssdk.services.route53.model.HealthCheckType;
import software.amazon.awssdk.services.rds.model.GlobalCluster;
import software.amazon.awssdk.services.rds.model.DBCluster;
import software.amazon.awssdk.services.rds.model.Tag;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.ChangeAction;
import software.amazon.awssdk.services.route53.model.RRType;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterType;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The two-region world a user of the functions has, built in the emulator: an RDS primary in us-east-1 with a
 * cross-region read replica in us-west-2, the primary's alarms, the replica's lag metric, a hosted zone whose
 * CNAME names the primary, and what the SAM stack would create in the standby region (journal table, SNS topic
 * with an SQS subscriber, an EventBridge rule sending lifecycle events to SQS). It is also the test's and the
 * drill's window on that world: the same clients read back what the functions changed.
 */
public final class Topology implements AutoCloseable {

    public static final String ACCOUNT = "123456789012";
    public static final String PLAN = "orders-db";
    public static final String PRIMARY_REGION = "us-east-1";
    public static final String STANDBY_REGION = "us-west-2";
    public static final String PRIMARY_ID = "orders-db";
    public static final String REPLICA_ID = "orders-db-replica";
    public static final String ZONE = "example.internal";
    public static final String RECORD = "orders-db.example.internal";
    public static final List<String> WATCHED_ALARMS = List.of("orders-db-primary-availability",
            "orders-db-primary-write-latency");
    public static final String TABLE = "region-failover-journal";
    public static final String TOPIC = "region-failover-notifications";
    public static final String GLOBAL_CLUSTER = "orders-global";
    public static final String AURORA_PRIMARY = "orders-aurora-east";
    public static final String AURORA_SECONDARY = "orders-aurora-west";
    public static final String AURORA_VERSION = "8.0.mysql_aurora.3.05.2";
    public static final String SWITCH_ALARM = "orders-db-dns-switch";
    public static final String READER_RECORD = "orders-db-ro.example.internal";
    public static final String READER_ALARM_PREFIX = "orders-db-reader-";
    /** Client addresses that the emulator's TestDNSAnswer places in a region (emulator/route53_fidelity.py). */
    public static final Map<String, String> RESOLVER_IPS = Map.of(PRIMARY_REGION, "198.51.100.1",
            STANDBY_REGION, "198.51.100.4");
    public static final String APP_SECURITY_GROUP = "sg-0a11ce0000000app1";
    public static final String FENCE_SECURITY_GROUP = "sg-0fe11ce00000fence";
    /**
     * What the deployer puts on both member clusters of an Aurora global database (README): IAM lets the functions
     * fence a discovered member only when it carries it.
     */
    public static final Tag PLAN_TAG = Tag.builder().key("regionfailover:plan").value(PLAN).build();

    public static final String FIXTURE_HEADER = "x-failover-fixture";
    /** Where a plan may keep more pairs in Parameter Store (failover.plan-parameters-prefix). */
    public static final String PLAN_PARAMETERS_PREFIX = "/region-failover";
    /** The template's default TopologyParametersPrefix. */
    public static final String TOPOLOGY_PREFIX = "/region-failover";

    private final Endpoints endpoints;
    private final RdsClient primaryRds;
    private final RdsClient standbyRds;
    private final CloudWatchClient primaryCloudWatch;
    private final CloudWatchClient standbyCloudWatch;
    private final Route53Client route53;
    private final SnsClient sns;
    private final SqsClient sqs;
    private final EventBridgeClient events;
    /**
     * The bus and queues of the process that serves RDS: the emulator puts RDS's events on the EventBridge of that
     * process (the rds shard when sharded, the one process otherwise), so their rule and queue must be there too.
     */
    private final EventBridgeClient rdsEventBus;
    private final SqsClient rdsEventQueues;
    private final DynamoDbClient dynamoDb;
    private final SsmClient ssm;
    private final SsmClient primarySsm;

    private Options options = Options.rdsInstance(0);
    private String hostedZoneId;
    private String topicArn;
    private String notificationQueueUrl;
    private String lifecycleQueueUrl;

    public Topology(URI endpoint) {
        this(Endpoints.single(endpoint));
    }

    /** The fixture over a sharded emulator: each client talks to its service's shard. */
    public Topology(Endpoints endpoints) {
        this.endpoints = endpoints;
        primaryRds = client(RdsClient.builder(), "RDS", PRIMARY_REGION);
        standbyRds = client(RdsClient.builder(), "RDS", STANDBY_REGION);
        primaryCloudWatch = client(CloudWatchClient.builder(), "CLOUDWATCH", PRIMARY_REGION);
        standbyCloudWatch = client(CloudWatchClient.builder(), "CLOUDWATCH", STANDBY_REGION);
        route53 = client(Route53Client.builder(), "ROUTE_53", "aws-global");
        sns = client(SnsClient.builder(), "SNS", STANDBY_REGION);
        sqs = client(SqsClient.builder(), "SQS", STANDBY_REGION);
        events = client(EventBridgeClient.builder(), "EVENTBRIDGE", STANDBY_REGION);
        rdsEventBus = client(EventBridgeClient.builder(), "RDS", STANDBY_REGION);
        rdsEventQueues = client(SqsClient.builder(), "RDS", STANDBY_REGION);
        dynamoDb = client(DynamoDbClient.builder(), "DYNAMODB", STANDBY_REGION);
        ssm = client(SsmClient.builder(), "SSM", STANDBY_REGION);
        primarySsm = client(SsmClient.builder(), "SSM", PRIMARY_REGION);
    }

    /**
     * What to build: the replica's lag (seconds), the database kind ({@code rds-instance} or {@code aurora-global})
     * and the DNS strategy ({@code record-update}: a CNAME; {@code health-check-switch}: failover records whose
     * PRIMARY health check follows an alarm in the standby region; {@code global-writer-endpoint}: a CNAME to the
     * Aurora global cluster's writer endpoint), and {@code readers}: a reader name served by
     * one latency record per region, each with a health check following its alarm in the standby region.
     */
    public record Options(double replicaLagSeconds, String databaseKind, String dnsStrategy, boolean readers) {

        public Options(double replicaLagSeconds, String databaseKind, String dnsStrategy) {
            this(replicaLagSeconds, databaseKind, dnsStrategy, false);
        }

        public static Options rdsInstance(double replicaLagSeconds) {
            return new Options(replicaLagSeconds, "rds-instance", "record-update");
        }

        boolean aurora() {
            return "aurora-global".equals(databaseKind);
        }

        boolean healthCheckSwitch() {
            return "health-check-switch".equals(dnsStrategy);
        }

        boolean globalWriterEndpoint() {
            return "global-writer-endpoint".equals(dnsStrategy);
        }
    }

    /** Builds the whole world of an RDS instance pair with a CNAME. */
    public Topology seed(double replicaLagSeconds) {
        return seed(Options.rdsInstance(replicaLagSeconds));
    }

    public Topology seed(Options options) {
        this.options = options;
        if (options.aurora()) {
            seedAuroraGlobalDatabase(options.replicaLagSeconds());
        } else {
            seedInstanceWithReplica(options.replicaLagSeconds());
        }

        for (String alarm : WATCHED_ALARMS) {
            primaryCloudWatch.putMetricAlarm(request -> request.alarmName(alarm).namespace("AWS/RDS")
                    .metricName(alarm.endsWith("availability") ? "DatabaseConnections" : "WriteLatency")
                    .dimensions(Dimension.builder().name("DBInstanceIdentifier").value(PRIMARY_ID).build())
                    .statistic(Statistic.AVERAGE).period(60).evaluationPeriods(3).threshold(1.0)
                    .comparisonOperator(ComparisonOperator.LESS_THAN_THRESHOLD));
            setAlarm(alarm, StateValue.OK, "seeded healthy");
        }

        hostedZoneId = route53.createHostedZone(request -> request.name(ZONE)
                .callerReference("seed-" + Instant.now().toEpochMilli())).hostedZone().id()
                .replace("/hostedzone/", "");
        if (options.healthCheckSwitch()) {
            seedFailoverRecords();
        } else if (options.globalWriterEndpoint()) {
            // set once by the deployer; Aurora moves the endpoint, nothing moves the record
            pointRecordAt(globalCluster().endpoint());
        } else {
            pointRecordAt(primaryWriterEndpoint());
        }
        if (options.readers()) {
            seedReaderRecords();
        }

        dynamoDb.createTable(request -> request.tableName(TABLE).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                        AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName("sk").attributeType(ScalarAttributeType.S).build())
                .keySchema(
                        KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName("sk").keyType(KeyType.RANGE).build()));

        topicArn = sns.createTopic(request -> request.name(TOPIC)).topicArn();
        notificationQueueUrl = sqs.createQueue(request -> request.queueName("failover-notifications")).queueUrl();
        sns.subscribe(request -> request.topicArn(topicArn).protocol("sqs").endpoint(queueArn(notificationQueueUrl)));
        lifecycleQueueUrl = sqs.createQueue(request -> request.queueName("failover-lifecycle-events")).queueUrl();
        events.putRule(request -> request.name("failover-lifecycle").eventPattern("{\"source\":[\"regionfailover\"]}"));
        events.putTargets(request -> request.rule("failover-lifecycle")
                .targets(Target.builder().id("queue").arn(queueArn(lifecycleQueueUrl)).build()));
        return this;
    }

    /** Reopens a world seeded earlier (by another class loader, say): finds the generated ids by name. */
    public static Topology attach(URI endpoint, Options options) {
        Topology topology = new Topology(endpoint);
        topology.options = options;
        topology.hostedZoneId = topology.route53.listHostedZonesByName(request -> request.dnsName(ZONE))
                .hostedZones().get(0).id().replace("/hostedzone/", "");
        topology.topicArn = arn("sns", STANDBY_REGION, TOPIC);
        topology.notificationQueueUrl = topology.sqs.getQueueUrl(r -> r.queueName("failover-notifications")).queueUrl();
        topology.lifecycleQueueUrl = topology.sqs.getQueueUrl(r -> r.queueName("failover-lifecycle-events")).queueUrl();
        return topology;
    }

    private void seedInstanceWithReplica(double replicaLagSeconds) {
        primaryRds.createDBInstance(request -> request.dbInstanceIdentifier(PRIMARY_ID).engine("mysql")
                .engineVersion("8.0.40").dbInstanceClass("db.t3.micro").allocatedStorage(20)
                .masterUsername("admin").masterUserPassword("not-a-real-password-1")
                .vpcSecurityGroupIds(APP_SECURITY_GROUP).backupRetentionPeriod(7));
        standbyRds.createDBInstanceReadReplica(request -> request.dbInstanceIdentifier(REPLICA_ID)
                .sourceDBInstanceIdentifier(arn("rds", PRIMARY_REGION, "db:" + PRIMARY_ID))
                .dbInstanceClass("db.t3.micro").vpcSecurityGroupIds(APP_SECURITY_GROUP));
        reportReplicaLag(replicaLagSeconds);
    }

    private void seedAuroraGlobalDatabase(double replicaLagSeconds) {
        primaryRds.createGlobalCluster(request -> request.globalClusterIdentifier(GLOBAL_CLUSTER)
                .engine("aurora-mysql").engineVersion(AURORA_VERSION));
        primaryRds.createDBCluster(request -> request.dbClusterIdentifier(AURORA_PRIMARY).engine("aurora-mysql")
                .engineVersion(AURORA_VERSION).masterUsername("admin").masterUserPassword("not-a-real-password-1")
                .globalClusterIdentifier(GLOBAL_CLUSTER).vpcSecurityGroupIds(APP_SECURITY_GROUP).tags(PLAN_TAG));
        standbyRds.createDBCluster(request -> request.dbClusterIdentifier(AURORA_SECONDARY).engine("aurora-mysql")
                .engineVersion(AURORA_VERSION).globalClusterIdentifier(GLOBAL_CLUSTER)
                .vpcSecurityGroupIds(APP_SECURITY_GROUP).tags(PLAN_TAG));
        reportAuroraLag(replicaLagSeconds);
    }

    /** PRIMARY (health check following the switch alarm) and SECONDARY failover records, and the alarm. */
    private void seedFailoverRecords() {
        standbyCloudWatch.putMetricAlarm(request -> request.alarmName(SWITCH_ALARM).namespace("RegionFailover")
                .metricName("PrimaryWritable")
                .dimensions(Dimension.builder().name("Plan").value(PLAN).build())
                .statistic(Statistic.MINIMUM).period(60).evaluationPeriods(1).threshold(1.0)
                .comparisonOperator(ComparisonOperator.LESS_THAN_THRESHOLD).treatMissingData("ignore"));
        standbyCloudWatch.setAlarmState(request -> request.alarmName(SWITCH_ALARM).stateValue(StateValue.OK)
                .stateReason("seeded: the primary serves writes"));
        String healthCheckId = route53.createHealthCheck(request -> request.callerReference("switch-" + System.nanoTime())
                .healthCheckConfig(config -> config.type(HealthCheckType.CLOUDWATCH_METRIC)
                        .alarmIdentifier(alarm -> alarm.region(STANDBY_REGION).name(SWITCH_ALARM))
                        .insufficientDataHealthStatus(InsufficientDataHealthStatus.LAST_KNOWN_STATUS)))
                .healthCheck().id();
        route53.changeResourceRecordSets(request -> request.hostedZoneId(hostedZoneId).changeBatch(batch -> batch
                .changes(failoverRecord(ResourceRecordSetFailover.PRIMARY, primaryWriterEndpoint(), healthCheckId),
                        failoverRecord(ResourceRecordSetFailover.SECONDARY, standbyWriterEndpoint(), null))));
    }

    /**
     * The reader name: per region a latency record on that region's reader endpoint, with a health check that
     * follows the alarm {@code orders-db-reader-<region>} (in the standby region) on ReaderServing, as the SAM
     * template builds them.
     */
    private void seedReaderRecords() {
        List<Change> records = new java.util.ArrayList<>();
        for (String region : List.of(PRIMARY_REGION, STANDBY_REGION)) {
            String alarm = READER_ALARM_PREFIX + region;
            standbyCloudWatch.putMetricAlarm(request -> request.alarmName(alarm).namespace("RegionFailover")
                    .metricName("ReaderServing")
                    .dimensions(Dimension.builder().name("Plan").value(PLAN).build(),
                            Dimension.builder().name("Region").value(region).build())
                    .statistic(Statistic.MINIMUM).period(60).evaluationPeriods(1).threshold(1.0)
                    .comparisonOperator(ComparisonOperator.LESS_THAN_THRESHOLD).treatMissingData("ignore"));
            standbyCloudWatch.setAlarmState(request -> request.alarmName(alarm).stateValue(StateValue.OK)
                    .stateReason("seeded: the reader in " + region + " serves reads"));
            String healthCheckId = route53.createHealthCheck(request -> request
                    .callerReference("reader-" + region + "-" + System.nanoTime())
                    .healthCheckConfig(config -> config.type(HealthCheckType.CLOUDWATCH_METRIC)
                            .alarmIdentifier(identifier -> identifier.region(STANDBY_REGION).name(alarm))
                            .insufficientDataHealthStatus(InsufficientDataHealthStatus.LAST_KNOWN_STATUS)))
                    .healthCheck().id();
            String endpoint = region.equals(PRIMARY_REGION) ? primaryReaderEndpoint() : standbyReaderEndpoint();
            records.add(Change.builder().action(ChangeAction.UPSERT).resourceRecordSet(set -> set.name(READER_RECORD)
                    .type(RRType.CNAME).ttl(60L).setIdentifier(region).region(region).healthCheckId(healthCheckId)
                    .resourceRecords(ResourceRecord.builder().value(endpoint).build())).build());
        }
        route53.changeResourceRecordSets(request -> request.hostedZoneId(hostedZoneId)
                .changeBatch(batch -> batch.changes(records)));
    }

    private static Change failoverRecord(ResourceRecordSetFailover role, String target, String healthCheckId) {
        return Change.builder().action(ChangeAction.UPSERT).resourceRecordSet(set -> set.name(RECORD)
                .type(RRType.CNAME).ttl(60L).setIdentifier(role.toString().toLowerCase()).failover(role)
                .healthCheckId(healthCheckId).resourceRecords(ResourceRecord.builder().value(target).build()))
                .build();
    }

    /** The functions' configuration for this world, as property names (failover.primary.region, ...). */
    public Map<String, String> functionConfig() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("failover.plan", PLAN);
        config.put("failover.account-id", ACCOUNT);
        config.put("failover.primary.region", PRIMARY_REGION);
        config.put("failover.database-kind", options.databaseKind());
        if (options.aurora()) {
            config.put("failover.aurora.global-cluster-id", GLOBAL_CLUSTER);
        } else {
            config.put("failover.primary.db-instance-id", PRIMARY_ID);
            config.put("failover.standby.db-instance-id", REPLICA_ID);
        }
        config.put("failover.dns.strategy", options.dnsStrategy());
        if (options.healthCheckSwitch()) {
            config.put("failover.dns.switch-alarm-name", SWITCH_ALARM);
        }
        config.put("failover.standby.region", STANDBY_REGION);
        config.put("failover.fence.security-group-ids", FENCE_SECURITY_GROUP);
        config.put("failover.dns.hosted-zone-id", hostedZoneId);
        config.put("failover.dns.record-name", RECORD);
        config.put("failover.dns.ttl", "60");
        config.put("failover.rpo.max-lag-seconds", "60");
        config.put("failover.health.watched-alarms", String.join(",", WATCHED_ALARMS));
        config.put("failover.health.quorum", "2");
        config.put("failover.health.consecutive-failures", "2");
        // Back-to-back triggers in the tests stand for evaluations a minute apart: hysteresis in time is set to
        // zero here and exercised on its own (VerdictPolicyTest, the drill, the generated histories).
        config.put("failover.health.evaluation-interval", "PT0S");
        config.put("failover.health.failed-after", "PT0S");
        config.put("failover.journal-table", TABLE);
        config.put("failover.notify.topic-arn", topicArn);
        config.put("failover.operator.allowed-accounts", ACCOUNT);
        config.put("failover.timeouts.poll-interval", "PT0.2S");
        if (options.readers()) {
            config.put("failover.readers.record-name", READER_RECORD);
            config.put("failover.readers.alarm-name-prefix", READER_ALARM_PREFIX);
        }
        return config;
    }

    /** The same configuration as environment variables (FAILOVER_PRIMARY_REGION, ...), as SAM sets them. */
    public Map<String, String> functionEnvironment() {
        Map<String, String> environment = new LinkedHashMap<>();
        functionConfig().forEach((key, value) -> environment.put(
                key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'), value));
        return environment;
    }

    // ---- changing the world, as an outage would --------------------------------------------------------------

    public void setAlarm(String alarm, StateValue state, String reason) {
        primaryCloudWatch.setAlarmState(request -> request.alarmName(alarm).stateValue(state).stateReason(reason));
    }

    /** Takes the deployer's plan tag off a DB instance, as if it had never been tagged. */
    public void untagInstance(String region, String instanceId) {
        (region.equals(STANDBY_REGION) ? standbyRds : primaryRds).removeTagsFromResource(request -> request
                .resourceName(arn("rds", region, "db:" + instanceId)).tagKeys(PLAN_TAG.key()));
    }

    /** Takes the deployer's plan tag off the Aurora secondary, as if it had never been tagged. */
    public void untagAuroraSecondary() {
        standbyRds.removeTagsFromResource(request -> request
                .resourceName(arn("rds", STANDBY_REGION, "cluster:" + AURORA_SECONDARY)).tagKeys(PLAN_TAG.key()));
    }

    /** Stops the primary (the API's way to make it report itself as not available). */
    public void stopPrimary() {
        if (options.aurora()) {
            primaryRds.stopDBCluster(request -> request.dbClusterIdentifier(AURORA_PRIMARY));
        } else {
            primaryRds.stopDBInstance(request -> request.dbInstanceIdentifier(PRIMARY_ID));
        }
    }

    /** Starts the stopped primary again: the outage is over. */
    public void startPrimary() {
        if (options.aurora()) {
            primaryRds.startDBCluster(request -> request.dbClusterIdentifier(AURORA_PRIMARY));
        } else {
            primaryRds.startDBInstance(request -> request.dbInstanceIdentifier(PRIMARY_ID));
        }
    }

    /** Stops any DB instance of the world, as an outage would. */
    public void stopInstance(String region, String instanceId) {
        (region.equals(STANDBY_REGION) ? standbyRds : primaryRds)
                .stopDBInstance(request -> request.dbInstanceIdentifier(instanceId));
    }

    /** Aurora reports the secondary's lag as AuroraGlobalDBRPOLag, in milliseconds. */
    public void reportAuroraLag(double seconds) {
        reportAuroraLag(STANDBY_REGION, AURORA_SECONDARY, seconds);
    }

    /** AuroraGlobalDBRPOLag of any secondary cluster, in the secondary's region. */
    public void reportAuroraLag(String region, String clusterId, double seconds) {
        CloudWatchClient cloudWatch = region.equals(STANDBY_REGION) ? standbyCloudWatch : primaryCloudWatch;
        cloudWatch.putMetricData(request -> request.namespace("AWS/RDS").metricData(MetricDatum.builder()
                .metricName("AuroraGlobalDBRPOLag").value(seconds * 1000).unit(StandardUnit.MILLISECONDS)
                .timestamp(Instant.now())
                .dimensions(Dimension.builder().name("DBClusterIdentifier").value(clusterId).build()).build()));
    }

    /** ReplicaLag of any replica, as RDS would publish it in the replica's region. */
    public void reportReplicaLag(String region, String instanceId, double seconds) {
        CloudWatchClient cloudWatch = region.equals(STANDBY_REGION) ? standbyCloudWatch : primaryCloudWatch;
        cloudWatch.putMetricData(request -> request.namespace("AWS/RDS").metricData(MetricDatum.builder()
                .metricName("ReplicaLag").value(seconds).unit(StandardUnit.SECONDS).timestamp(Instant.now())
                .dimensions(Dimension.builder().name("DBInstanceIdentifier").value(instanceId).build()).build()));
    }

    public DBInstance instance(String region, String instanceId) {
        RdsClient rds = region.equals(STANDBY_REGION) ? standbyRds : primaryRds;
        return rds.describeDBInstances(request -> request.dbInstanceIdentifier(instanceId)).dbInstances().get(0);
    }

    public void reportReplicaLag(double seconds) {
        reportReplicaLag(STANDBY_REGION, REPLICA_ID, seconds);
    }

    public void pointRecordAt(String target) {
        pointRecordAt(RECORD, target);
    }

    public void pointRecordAt(String record, String target) {
        route53.changeResourceRecordSets(request -> request.hostedZoneId(hostedZoneId).changeBatch(batch -> batch
                .changes(Change.builder().action(ChangeAction.UPSERT).resourceRecordSet(set -> set.name(record)
                        .type(RRType.CNAME).ttl(60L).resourceRecords(ResourceRecord.builder().value(target).build()))
                        .build())));
    }

    // ---- reading the world back ------------------------------------------------------------------------------

    public String primaryWriterEndpoint() {
        return options.aurora() ? cluster(primaryRds, AURORA_PRIMARY).endpoint() : primary().endpoint().address();
    }

    public String standbyWriterEndpoint() {
        return options.aurora() ? cluster(standbyRds, AURORA_SECONDARY).endpoint() : replica().endpoint().address();
    }

    /** Where each region's reads are served: an Aurora cluster's reader endpoint, or the instance itself. */
    public String primaryReaderEndpoint() {
        return options.aurora() ? cluster(primaryRds, AURORA_PRIMARY).readerEndpoint() : primaryWriterEndpoint();
    }

    public String standbyReaderEndpoint() {
        return options.aurora() ? cluster(standbyRds, AURORA_SECONDARY).readerEndpoint() : standbyWriterEndpoint();
    }

    /** What Route 53 answers for the reader name to a client in {@code clientRegion} (TestDNSAnswer). */
    public String readerAnswer(String clientRegion) {
        return route53.testDNSAnswer(request -> request.hostedZoneId(hostedZoneId).recordName(READER_RECORD)
                .recordType(RRType.CNAME).resolverIP(RESOLVER_IPS.get(clientRegion))).recordData().get(0);
    }

    /** The reader name's latency records: region to the endpoint it names. */
    public Map<String, String> readerRecords() {
        Map<String, String> records = new java.util.TreeMap<>();
        route53.listResourceRecordSets(request -> request.hostedZoneId(hostedZoneId)).resourceRecordSets().stream()
                .filter(set -> set.name().equals(READER_RECORD + ".") && set.regionAsString() != null)
                .forEach(set -> records.put(set.regionAsString(), set.resourceRecords().get(0).value()));
        return records;
    }

    public StateValue readerAlarmState(String region) {
        return standbyCloudWatch.describeAlarms(request -> request.alarmNames(READER_ALARM_PREFIX + region))
                .metricAlarms().get(0).stateValue();
    }

    public GlobalCluster globalCluster() {
        return primaryRds.describeGlobalClusters(request -> request.globalClusterIdentifier(GLOBAL_CLUSTER))
                .globalClusters().get(0);
    }

    public DBCluster auroraPrimary() {
        return cluster(primaryRds, AURORA_PRIMARY);
    }

    public DBCluster auroraSecondary() {
        return cluster(standbyRds, AURORA_SECONDARY);
    }

    /** What Route 53's DNS answers for the application's name (the TestDNSAnswer API). */
    public String dnsAnswer() {
        return route53.testDNSAnswer(request -> request.hostedZoneId(hostedZoneId).recordName(RECORD)
                .recordType(RRType.CNAME)).recordData().get(0);
    }

    public StateValue switchAlarmState() {
        return standbyCloudWatch.describeAlarms(request -> request.alarmNames(SWITCH_ALARM)).metricAlarms().get(0)
                .stateValue();
    }

    private static DBCluster cluster(RdsClient rds, String id) {
        return rds.describeDBClusters(request -> request.dbClusterIdentifier(id)).dbClusters().get(0);
    }

    public Options options() {
        return options;
    }

    /** Every DB instance of the world, primary region first. */
    /** Every instance of both regions, all pages (DescribeDBInstances answers at most 100 a page). */
    public List<DBInstance> instances() {
        List<DBInstance> all = new java.util.ArrayList<>();
        primaryRds.describeDBInstancesPaginator().dbInstances().forEach(all::add);
        standbyRds.describeDBInstancesPaginator().dbInstances().forEach(all::add);
        return all;
    }

    public DBInstance primary() {
        return primaryRds.describeDBInstances(request -> request.dbInstanceIdentifier(PRIMARY_ID)).dbInstances()
                .get(0);
    }

    public DBInstance replica() {
        return standbyRds.describeDBInstances(request -> request.dbInstanceIdentifier(REPLICA_ID)).dbInstances()
                .get(0);
    }

    public String recordTarget() {
        return recordTarget(RECORD + ".");
    }

    /** Every item of the plan's journal, in key order. */
    public List<Map<String, AttributeValue>> journal() {
        return journal(PLAN);
    }

    /**
     * Another RDS pair of the same plan (a region evacuation): {@code <name>-db} in the primary region, its replica
     * {@code <name>-db-replica}, their lag, and the CNAME {@code <name>-db.example.internal}. Returns the JSON entry
     * of {@code failover.additional-databases} that names it.
     */
    public String seedAdditionalPair(String name, double replicaLagSeconds) {
        String primaryId = name + "-db";
        String replicaId = name + "-db-replica";
        String record = name + "-db." + ZONE;
        primaryRds.createDBInstance(request -> request.dbInstanceIdentifier(primaryId).engine("mysql")
                .engineVersion("8.0.40").dbInstanceClass("db.t3.micro").allocatedStorage(20)
                .masterUsername("admin").masterUserPassword("not-a-real-password-1")
                .vpcSecurityGroupIds(APP_SECURITY_GROUP).backupRetentionPeriod(7).tags(PLAN_TAG));
        // Tagged with the plan, as a deployer must: IAM acts on an additional pair's instances only by that tag.
        standbyRds.createDBInstanceReadReplica(request -> request.dbInstanceIdentifier(replicaId)
                .sourceDBInstanceIdentifier(arn("rds", PRIMARY_REGION, "db:" + primaryId))
                .dbInstanceClass("db.t3.micro").vpcSecurityGroupIds(APP_SECURITY_GROUP).tags(PLAN_TAG));
        reportReplicaLag(STANDBY_REGION, replicaId, replicaLagSeconds);
        pointRecordAt(record, instance(PRIMARY_REGION, primaryId).endpoint().address());
        return "{\"name\":\"" + name + "\",\"primaryDbInstanceId\":\"" + primaryId
                + "\",\"standbyDbInstanceId\":\"" + replicaId + "\",\"recordName\":\"" + record + "\"}";
    }

    /** The workload account of the cross-account tests, and the role the functions assume there. */
    public static final String OTHER_ACCOUNT = "222222222222";
    public static final String OTHER_ACCOUNT_ROLE = "arn:aws:iam::" + OTHER_ACCOUNT + ":role/region-failover-"
            + PLAN;
    public static final String OTHER_ACCOUNT_EXTERNAL_ID = "orders-db-central-7f3a";

    /**
     * The fixture's clients in another account: moto keys its state by account and maps the credentials its STS
     * issues for a role to the role's account, as AWS does.
     */
    public final class OtherAccount implements AutoCloseable {
        private final software.amazon.awssdk.services.sts.StsClient sts;
        private final Map<String, RdsClient> rds = new LinkedHashMap<>();
        private final Map<String, CloudWatchClient> cloudWatch = new LinkedHashMap<>();

        OtherAccount(String roleArn, String externalId) {
            sts = client(software.amazon.awssdk.services.sts.StsClient.builder(), "STS", STANDBY_REGION);
            var credentials = sts.assumeRole(request -> request.roleArn(roleArn).roleSessionName("topology-fixture")
                    .externalId(externalId)).credentials();
            var provider = StaticCredentialsProvider.create(software.amazon.awssdk.auth.credentials
                    .AwsSessionCredentials.create(credentials.accessKeyId(), credentials.secretAccessKey(),
                            credentials.sessionToken()));
            for (String region : List.of(PRIMARY_REGION, STANDBY_REGION)) {
                rds.put(region, client(RdsClient.builder(), "RDS", region, provider));
                cloudWatch.put(region, client(CloudWatchClient.builder(), "CLOUDWATCH", region,
                        provider));
            }
        }

        /**
         * An RDS pair of this account: {@code <name>-db} in the primary region, its replica {@code <name>-db-replica}
         * in the standby region, both tagged with the plan, the replica's lag, and the CNAME in the stack's own zone.
         * Returns its entry of failover.additional-databases, naming the role.
         */
        public String seedPair(String name, double replicaLagSeconds) {
            String primaryId = name + "-db";
            String replicaId = name + "-db-replica";
            String record = name + "-db." + ZONE;
            rds.get(PRIMARY_REGION).createDBInstance(request -> request.dbInstanceIdentifier(primaryId).engine("mysql")
                    .engineVersion("8.0.40").dbInstanceClass("db.t3.micro").allocatedStorage(20)
                    .masterUsername("admin").masterUserPassword("not-a-real-password-1")
                    .vpcSecurityGroupIds(APP_SECURITY_GROUP).backupRetentionPeriod(7).tags(PLAN_TAG));
            rds.get(STANDBY_REGION).createDBInstanceReadReplica(request -> request.dbInstanceIdentifier(replicaId)
                    .sourceDBInstanceIdentifier("arn:aws:rds:" + PRIMARY_REGION + ":" + OTHER_ACCOUNT + ":db:"
                            + primaryId)
                    .dbInstanceClass("db.t3.micro").vpcSecurityGroupIds(APP_SECURITY_GROUP).tags(PLAN_TAG));
            reportReplicaLag(STANDBY_REGION, replicaId, replicaLagSeconds);
            pointRecordAt(record, instance(PRIMARY_REGION, primaryId).endpoint().address());
            return "{\"name\":\"" + name + "\",\"primaryDbInstanceId\":\"" + primaryId
                    + "\",\"standbyDbInstanceId\":\"" + replicaId + "\",\"recordName\":\"" + record
                    + "\",\"crossAccountRoleArn\":\"" + OTHER_ACCOUNT_ROLE + "\",\"externalId\":\""
                    + OTHER_ACCOUNT_EXTERNAL_ID + "\"}";
        }

        public void reportReplicaLag(String region, String replicaId, double seconds) {
            cloudWatch.get(region).putMetricData(request -> request.namespace("AWS/RDS").metricData(
                    MetricDatum.builder().metricName("ReplicaLag").value(seconds).unit(StandardUnit.SECONDS)
                            .timestamp(Instant.now()).dimensions(Dimension.builder().name("DBInstanceIdentifier")
                                    .value(replicaId).build()).build()));
        }

        public DBInstance instance(String region, String instanceId) {
            return rds.get(region).describeDBInstances(request -> request.dbInstanceIdentifier(instanceId))
                    .dbInstances().get(0);
        }

        /** Every DB instance identifier of this account in a region. */
        public List<String> instanceIds(String region) {
            return rds.get(region).describeDBInstancesPaginator().dbInstances().stream()
                    .map(DBInstance::dbInstanceIdentifier).toList();
        }

        @Override
        public void close() {
            sts.close();
            rds.values().forEach(RdsClient::close);
            cloudWatch.values().forEach(CloudWatchClient::close);
        }
    }

    /** The fixture in the workload account, through the role the functions assume. */
    public OtherAccount otherAccount() {
        return new OtherAccount(OTHER_ACCOUNT_ROLE, OTHER_ACCOUNT_EXTERNAL_ID);
    }

    /** Every DB instance identifier of the stack's own account in a region. */
    public List<String> instanceIds(String region) {
        return (region.equals(STANDBY_REGION) ? standbyRds : primaryRds).describeDBInstancesPaginator().dbInstances()
                .stream()
                .map(DBInstance::dbInstanceIdentifier).toList();
    }

    /**
     * Keeps one pair of the plan in Parameter Store, as a deployer would with {@code aws ssm put-parameter}: the
     * String parameter {@code <PLAN_PARAMETERS_PREFIX>/<plan>/pairs/<name>} in the standby region, holding
     * {@code value} (an entry as {@link #seedAdditionalPair} returns, or anything a test wants to see refused).
     * Returns the parameter's name.
     */
    public String putPairParameter(String name, String value) {
        String parameter = PLAN_PARAMETERS_PREFIX + "/" + PLAN + "/pairs/" + name;
        ssm.putParameter(request -> request.name(parameter).type(ParameterType.STRING).value(value).overwrite(true));
        return parameter;
    }

    /** The name of a pair's published topology document (TopologyParametersPrefix, the template's default). */
    public static String topologyParameter(String pair) {
        return TOPOLOGY_PREFIX + "/" + PLAN + "/topology/" + pair;
    }

    /**
     * A parameter in one of the plan's regions, as {@code aws ssm get-parameter} reads it, or null when it does not
     * exist: a consumer's view of the published topology.
     */
    public String parameter(String region, String name) {
        SsmClient client = region.equals(STANDBY_REGION) ? ssm : primarySsm;
        return client.getParameters(request -> request.names(name)).parameters().stream().findFirst()
                .map(software.amazon.awssdk.services.ssm.model.Parameter::value).orElse(null);
    }

    /** Overwrites a parameter of the standby region, as someone (or a stale pipeline) might. */
    public void overwriteParameter(String name, String value) {
        ssm.putParameter(request -> request.name(name).type(ParameterType.STRING).value(value).overwrite(true));
    }

    /** What a CNAME of the zone points at (listed from its name on: a zone of many pairs has many pages). */
    public String recordTarget(String record) {
        return route53.listResourceRecordSets(request -> request.hostedZoneId(hostedZoneId).startRecordName(record)
                .startRecordType(RRType.CNAME)).resourceRecordSets()
                .stream().filter(set -> set.type() == RRType.CNAME && set.name().startsWith(record))
                .map(ResourceRecordSet::resourceRecords).flatMap(List::stream).map(r -> r.value()).findFirst()
                .orElse(null);
    }

    /** Every item of one journal partition (a pair of a multi-database plan journals under plan/name). */
    public List<Map<String, AttributeValue>> journal(String partition) {
        return dynamoDb.query(request -> request.tableName(TABLE).keyConditionExpression("pk = :plan")
                .expressionAttributeValues(Map.of(":plan", AttributeValue.fromS(partition)))).items();
    }

    /**
     * Puts an RDS-instance world back as seeded (for tests that fail over many times in one emulator): every
     * instance deleted and the pair re-created, the CNAME on the primary (and the reader records and their alarms
     * as seeded), the journal and the queues emptied.
     */
    public void reset(double replicaLagSeconds) {
        // Replicas (the standby region) first: a primary is not deleted while it has replicas.
        List<DBInstance> all = new java.util.ArrayList<>(instances());
        Collections.reverse(all);
        for (DBInstance instance : all) {
            RdsClient rds = instance.availabilityZone().startsWith(STANDBY_REGION) ? standbyRds : primaryRds;
            try {
                rds.deleteDBInstance(request -> request.dbInstanceIdentifier(instance.dbInstanceIdentifier())
                        .skipFinalSnapshot(true));
            } catch (DbInstanceNotFoundException alreadyGone) {
                // deleted with its source
            }
        }
        seedInstanceWithReplica(replicaLagSeconds);
        pointRecordAt(primaryWriterEndpoint());
        if (options.readers()) {
            List<Change> stale = route53.listResourceRecordSets(request -> request.hostedZoneId(hostedZoneId))
                    .resourceRecordSets().stream().filter(set -> set.name().equals(READER_RECORD + "."))
                    .map(set -> Change.builder().action(ChangeAction.DELETE).resourceRecordSet(set).build()).toList();
            if (!stale.isEmpty()) {
                route53.changeResourceRecordSets(request -> request.hostedZoneId(hostedZoneId)
                        .changeBatch(batch -> batch.changes(stale)));
            }
            seedReaderRecords();
        }
        for (Map<String, AttributeValue> item : dynamoDb.scan(request -> request.tableName(TABLE)).items()) {
            dynamoDb.deleteItem(request -> request.tableName(TABLE).key(Map.of("pk", item.get("pk"), "sk", item.get("sk"))));
        }
        sqs.purgeQueue(request -> request.queueUrl(notificationQueueUrl));
        sqs.purgeQueue(request -> request.queueUrl(lifecycleQueueUrl));
    }

    /** Writes one journal item as the functions would (to stage, say, a run whose invocation died). */
    public void putJournalItem(Map<String, AttributeValue> item) {
        dynamoDb.putItem(request -> request.tableName(TABLE).item(item));
    }

    /** Starts Aurora's managed failover to the secondary directly, as an earlier invocation would have. */
    public void startGlobalFailover() {
        standbyRds.failoverGlobalCluster(request -> request.globalClusterIdentifier(GLOBAL_CLUSTER)
                .targetDbClusterIdentifier(auroraSecondary().dbClusterArn()).allowDataLoss(true));
    }

    /** Bodies of the SNS notifications delivered to the SQS subscriber so far (SNS envelopes). */
    public List<String> receiveNotifications() {
        return receive(notificationQueueUrl);
    }

    /** Drops every notification and lifecycle event delivered so far, read or not (a received one would return). */
    public void discardNotifications() {
        sqs.purgeQueue(request -> request.queueUrl(notificationQueueUrl));
        sqs.purgeQueue(request -> request.queueUrl(lifecycleQueueUrl));
    }

    /** Bodies of the EventBridge lifecycle events delivered to SQS so far. */
    public List<String> receiveLifecycleEvents() {
        return receive(lifecycleQueueUrl);
    }

    public String hostedZoneId() {
        return hostedZoneId;
    }

    public String topicArn() {
        return topicArn;
    }

    /** The default endpoint (the only one, unless the emulator is sharded). */
    public URI endpoint() {
        return endpoints.fallback();
    }

    public Endpoints endpoints() {
        return endpoints;
    }

    /**
     * Routes the RDS events that reach the standby region's default bus to a queue, with the rds-event function's
     * rule from the template (source aws.rds, the plan's account, the events it acts on), as EventBridge would
     * deliver them to it; returns the queue's URL for {@link #receiveRdsEvents}.
     */
    public String routeRdsEvents() {
        String queueUrl = rdsEventQueues.createQueue(request -> request.queueName("rds-events")).queueUrl();
        rdsEventBus.putRule(request -> request.name("rds-event").eventPattern("{\"source\":[\"aws.rds\"],"
                + "\"detail-type\":[\"RDS DB Cluster Event\"],\"account\":[\"" + ACCOUNT + "\"],"
                + "\"detail\":{\"EventID\":[\"RDS-EVENT-0185\",\"RDS-EVENT-0238\",\"RDS-EVENT-0186\","
                + "\"RDS-EVENT-0187\",\"RDS-EVENT-0239\",\"RDS-EVENT-0397\"]}}"));
        rdsEventBus.putTargets(request -> request.rule("rds-event")
                .targets(Target.builder().id("rds-event").arn(queueArn(rdsEventQueues, queueUrl)).build()));
        return queueUrl;
    }

    /** Bodies of the RDS events routed by {@link #routeRdsEvents} so far (each received once). */
    public List<String> receiveRdsEvents(String queueUrl) {
        List<String> bodies = new ArrayList<>();
        for (Message message : rdsEventQueues.receiveMessage(request -> request.queueUrl(queueUrl)
                .maxNumberOfMessages(10).waitTimeSeconds(1)).messages()) {
            bodies.add(message.body());
            rdsEventQueues.deleteMessage(request -> request.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
        }
        return bodies;
    }

    private List<String> receive(String queueUrl) {
        return sqs.receiveMessage(request -> request.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1))
                .messages().stream().map(Message::body).toList();
    }

    private String queueArn(String queueUrl) {
        return queueArn(sqs, queueUrl);
    }

    private static String queueArn(SqsClient queues, String queueUrl) {
        return queues.getQueueAttributes(request -> request.queueUrl(queueUrl)
                .attributeNames(QueueAttributeName.QUEUE_ARN)).attributes().get(QueueAttributeName.QUEUE_ARN);
    }

    private static String arn(String service, String region, String resource) {
        return "arn:aws:" + service + ":" + region + ":" + ACCOUNT + ":" + resource;
    }

    /** A client of the standby region, made as the fixture's own are (the caller closes it). */
    <B extends AwsClientBuilder<B, C> & software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder<B, C>, C>
            C standbyClient(B builder, String serviceId) {
        return client(builder, serviceId, STANDBY_REGION);
    }

    private <B extends AwsClientBuilder<B, C> & software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder<B, C>, C>
            C client(B builder, String serviceId, String region) {
        return client(builder, serviceId, region,
                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")));
    }

    /** {@code serviceId}: the service's SDK identifier, which picks its shard (see {@link Endpoints}). */
    private <B extends AwsClientBuilder<B, C> & software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder<B, C>, C>
            C client(B builder, String serviceId, String region,
                    software.amazon.awssdk.auth.credentials.AwsCredentialsProvider credentials) {
        // The fixture header lets tests tell the functions' own AWS calls from the fixture's.
        return builder.region(Region.of(region)).endpointOverride(endpoints.of(serviceId))
                .overrideConfiguration(override -> override.putHeader(FIXTURE_HEADER, "topology"))
                .credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    @Override
    public void close() {
        for (AutoCloseable client : List.<AutoCloseable>of(primaryRds, standbyRds, primaryCloudWatch,
                standbyCloudWatch, route53, sns, sqs, events, rdsEventBus, rdsEventQueues, dynamoDb, ssm, primarySsm)) {
            try {
                client.close();
            } catch (Exception ignored) {
                // closing a client of a process that is ending
            }
        }
    }
}
