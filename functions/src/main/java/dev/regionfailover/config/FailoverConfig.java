package dev.regionfailover.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/**
 * Everything the functions need to know about one failover plan. Each property can be set as an environment
 * variable: {@code failover.primary.region} is {@code FAILOVER_PRIMARY_REGION}. A missing required property stops
 * the function at start-up with a message that names it; {@link ConfigValidator} checks what must hold between them.
 */
@ConfigMapping(prefix = "failover")
public interface FailoverConfig {

    /** Name of the plan: the journal's partition key and the name in every notification. */
    String plan();

    /**
     * The AWS account of the plan: its databases, its watched alarms and the stack. Alarm signals and RDS events
     * from any other account are ignored (TriggerTrust).
     */
    String accountId();

    /** What is failed over: an RDS DB instance with a cross-region read replica, or an Aurora global database. */
    @WithDefault("rds-instance")
    DatabaseKind databaseKind();

    Endpoint primary();

    Endpoint standby();

    Aurora aurora();

    /**
     * More database pairs moved by the same plan (a region evacuation), as a JSON array; see PlanPairs. Each pair
     * fails over in parallel with the others, journaled on its own.
     */
    Optional<String> additionalDatabases();

    /**
     * Where more pairs of the plan are kept in SSM Parameter Store, for plans too large for Lambda's 4 KB of
     * environment variables: each parameter {@code <prefix>/<plan>/pairs/<name>} holds one pair, as one entry of
     * {@link #additionalDatabases()}. Read once, at start-up, in the standby region; they add to the pairs of the
     * environment (a name may appear only once across both). Empty leaves Parameter Store unread.
     */
    Optional<String> planParametersPrefix();

    /**
     * Where each pair's current writer is published in SSM Parameter Store, for what lies outside the journal
     * (infrastructure code, pipelines, clients): {@code <prefix>/<plan>/topology/<name>} (a JSON document) and
     * {@code .../<name>/writer-endpoint} (the endpoint alone, for CloudFormation's {@code {{resolve:ssm:...}}}), in
     * the standby region and, best effort, in the primary region. Written at the end of every run and when readiness
     * finds the published topology disagreeing with AWS; see TopologyPublisher. Empty publishes nothing.
     */
    Optional<String> topologyParametersPrefix();

    /**
     * After a run completes, how long automatic triggers may not start another failover (anti-flapping, as
     * orchestrator's RecoveryPeriodBlockSeconds): a primary that recovers and fails again within it is notified,
     * not flipped. Operators may still fail over, or acknowledge to end it.
     */
    @WithDefault("PT1H")
    Duration cooldown();

    /** How many pairs fail over at the same time. */
    @WithDefault("4")
    int maxParallelPairs();

    Fence fence();

    Failback failback();

    Dns dns();

    /** Reader routing: a latency-based reader name per region, kept right through failover and failback. */
    Readers readers();

    Rpo rpo();

    Health health();

    /** DynamoDB table (in the standby region) holding the lease, the journal and the health history. */
    String journalTable();

    /** Where outcomes are published ({@code failover.notify.*}). */
    @WithName("notify")
    Notify notification();

    Operator operator();

    /** The plan's own pair in another account, and every role any pair may name ({@code failover.cross-account.*}). */
    CrossAccount crossAccount();

    /** Whether an automatic failover waits for a human's yes before it changes anything ({@code failover.approval.*}). */
    Approval approval();

    @WithDefault("RegionFailover")
    String metricsNamespace();

    Timeouts timeouts();

    /** The consistency choice for a pair: what an automatic failover may cost in data. */
    enum FailoverMode {
        /** Never promotes automatically when data could be lost; on FAILED it notifies and waits for an operator. */
        PLANNED_ONLY,
        /** Promotes automatically only while the replica's lag is within the RPO budget (the default). */
        RPO_BOUNDED,
        /** Promotes regardless of lag, and records the estimated data-loss window (the lag at promotion). */
        AVAILABILITY_FIRST
    }

    /** Default consistency choice of the plan's pairs ({@code failoverMode} in additional-databases overrides). */
    @WithDefault("rpo-bounded")
    FailoverMode mode();

    enum DatabaseKind {
        RDS_INSTANCE, AURORA_GLOBAL
    }

    interface Endpoint {
        String region();

        /** The DB instance (database-kind rds-instance). */
        Optional<String> dbInstanceId();
    }

    interface Aurora {
        /** The global database (database-kind aurora-global); its members and their roles are discovered. */
        Optional<String> globalClusterId();
    }

    interface Fence {
        /** Security groups that admit no application traffic; empty leaves the old primary unfenced. */
        Optional<List<String>> securityGroupIds();
    }

    enum DnsStrategy {
        /** UPSERT the CNAME through the Route 53 control plane (us-east-1). */
        RECORD_UPDATE,
        /**
         * Failover records whose PRIMARY health check follows a CloudWatch alarm in the standby region: moving the
         * alarm moves the name, with no Route 53 control-plane call (static stability).
         */
        HEALTH_CHECK_SWITCH,
        /**
         * Aurora global databases only: the application's name is a CNAME to the global cluster's writer endpoint,
         * which Aurora itself moves to the new writer at a managed failover or switchover. Nothing is changed; the
         * run verifies that the global cluster's writer is the new one and waits until the endpoint resolves to it.
         */
        GLOBAL_WRITER_ENDPOINT
    }

    /**
     * Where a failback creates RDS instance replicas (in the primary region, then in the standby region). Security
     * groups, subnet groups and KMS keys are regional, so they cannot be copied from the source instance; empty
     * settings leave AWS's defaults of that region.
     */
    interface Failback {
        Placement primaryRegion();

        Placement standbyRegion();
    }

    interface Placement {
        Optional<List<String>> securityGroupIds();

        Optional<String> dbSubnetGroupName();

        /** For an encrypted source: the key in this region that encrypts the new replica. */
        Optional<String> kmsKeyId();
    }

    interface Dns {
        @WithDefault("record-update")
        DnsStrategy strategy();

        /** health-check-switch: the alarm (in the standby region) that the PRIMARY record's health check follows. */
        Optional<String> switchAlarmName();

        /**
         * global-writer-endpoint: the name server ({@code host} or {@code host:port}) asked where the global writer
         * endpoint points; empty asks the resolvers of the system (in a Lambda, the VPC's or AWS's).
         */
        Optional<String> nameServer();

        String hostedZoneId();

        String recordName();

        @WithDefault("60")
        long ttl();
    }

    interface Readers {
        /** The reader name, served by one latency record per region; empty leaves reader routing off. */
        Optional<String> recordName();

        @WithDefault("60")
        long ttl();

        /**
         * Each region's reader record has a health check that follows the CloudWatch alarm {@code <prefix><region>}
         * (in the standby region), on the metric ReaderServing that the functions publish.
         */
        Optional<String> alarmNamePrefix();
    }

    interface Rpo {
        /** Largest replica lag, in seconds, at which an automatic promotion may go ahead. */
        @WithDefault("60")
        long maxLagSeconds();

        /** How far back to look for the replica's last reported lag. */
        @WithDefault("PT5M")
        Duration lagWindow();
    }

    interface Health {
        /** Names of CloudWatch alarms in the primary region that speak for the primary's health. */
        Optional<List<String>> watchedAlarms();

        Optional<String> route53HealthCheckId();

        /** How many independent signals must report failure for one evaluation to count as failing. */
        @WithDefault("2")
        int quorum();

        /**
         * How many failing evaluations, each at least {@link #evaluationInterval} after the last one counted, turn
         * the verdict into FAILED (together with {@link #failedAfter}).
         */
        @WithDefault("3")
        int consecutiveFailures();

        /**
         * The least time between two failing evaluations that both count: triggers closer together (copies of one
         * alarm, a burst of alarms) count once. The schedule's rate, by default.
         */
        @WithDefault("PT1M")
        Duration evaluationInterval();

        /**
         * How long the primary must have been failing, from the first failing evaluation of the streak, before the
         * verdict is FAILED. With the defaults (3 evaluations a minute apart) a real outage is FAILED 2 minutes
         * after the first failing evaluation.
         */
        @WithDefault("PT2M")
        Duration failedAfter();

        /** Replica lag beyond which replication itself counts as a failure signal. */
        @WithDefault("300")
        long lagFailureSeconds();
    }

    interface Notify {
        String topicArn();

        @WithDefault("default")
        String eventBus();
    }

    interface Operator {
        /** EventBridge {@code source} values accepted on operator events. */
        @WithDefault("regionfailover.operator")
        List<String> allowedSources();

        /** Accounts operator events may come from; empty accepts the account EventBridge delivered them in. */
        Optional<List<String>> allowedAccounts();

        /**
         * Which path delivers orders to this function. EventBridge's event carries no bus name, so each path has a
         * function of its own and this setting tells it which one it is: the operator bus (orders without
         * {@code force}), the force bus (may also force) or the default bus (only with
         * {@link #defaultBusOrders()}).
         */
        @WithDefault("operator-bus")
        OrderPath path();

        /** Whether orders that arrive on the default event bus are honoured; off, each is refused and notified. */
        @WithDefault("false")
        boolean defaultBusOrders();

        /**
         * An order counts only while it is fresh: its event time at most this long ago. A queued, replayed or
         * captured order must not move a database long after its sender decided.
         */
        @WithDefault("PT15M")
        Duration maxOrderAge();

        /** How far in the future an order's event time may lie (the sender's clock running ahead of ours). */
        @WithDefault("PT1M")
        Duration clockSkew();
    }

    interface CrossAccount {
        /** The role (in the account of the plan's own pair's databases) its calls go through; empty: this account. */
        Optional<String> roleArn();

        /** The external id the role's trust policy asks for, if it does. */
        Optional<String> externalId();

        /** Whether the pair's Route 53 zone is in that account too (its record changes go through the role). */
        @WithDefault("false")
        boolean route53();

        /**
         * Every role any pair of the plan may name: exactly what IAM lets the functions assume (SAM
         * CrossAccountRoleArns). A pair naming another role stops the function at start-up.
         */
        Optional<List<String>> roleArns();
    }

    interface Approval {
        /**
         * {@code automatic}: a FAILED verdict fails over. {@code approval-required}: it does everything up to the
         * promotion's pre-checks (the RPO guard), asks for approval naming the run, and waits for an operator's
         * {@code Failover Approved} order for that run; an operator's own failover order needs none.
         */
        @WithDefault("automatic")
        ApprovalMode mode();

        /** How long an approval request stays open; unanswered, the run is closed (refused) and notified. */
        @WithDefault("PT30M")
        Duration window();
    }

    enum ApprovalMode {
        AUTOMATIC, APPROVAL_REQUIRED
    }

    /** The path an operator order came on: each is a bus with its own resource policy and its own function. */
    enum OrderPath {
        /** The stack's operator bus: PutEvents only by OperatorPrincipalArns; {@code force} is refused. */
        OPERATOR_BUS,
        /** The stack's force bus: PutEvents only by ForceOperatorPrincipalArns; may override the RPO budget. */
        FORCE_BUS,
        /** The account's default bus: off unless failover.operator.default-bus-orders; {@code force} is refused. */
        DEFAULT_BUS
    }

    interface Timeouts {
        /** Bound on one AWS API call including SDK retries; a hanging region must not eat the Lambda's time. */
        @WithDefault("PT10S")
        Duration apiCall();

        @WithDefault("PT3S")
        Duration apiCallAttempt();

        @WithDefault("4")
        int maxAttempts();

        /**
         * How many times a step is tried when it fails with a transient AWS error (throttling, 5xx, a timeout), on
         * top of the SDK's own retries of each call; the waits between tries are jittered and capped.
         */
        @WithDefault("3")
        int stepAttempts();

        /** Bound on waiting for the promoted replica to become a writer. */
        @WithDefault("PT12M")
        Duration promotion();

        /**
         * Bound on waiting for Route 53 to report the change INSYNC or, with global-writer-endpoint, for the global
         * writer endpoint to resolve to the new writer.
         */
        @WithDefault("PT2M")
        Duration dnsSync();

        /** How often the waits poll. */
        @WithDefault("PT5S")
        Duration pollInterval();

        /**
         * How often a wait that an RDS event can end early (Aurora's managed failover or switchover, the global
         * writer endpoint's DNS change) reads the run's journal item for that event, between its polls of AWS. A
         * read of one DynamoDB item, not an RDS call: RDS's API is rate-limited per account, DynamoDB's per item.
         */
        @WithDefault("PT0.25S")
        Duration eventCheckInterval();

        /** How long a lease holds when its holder dies without releasing it (beyond the Lambda's 15 minutes). */
        @WithDefault("PT16M")
        Duration lease();
    }
}
