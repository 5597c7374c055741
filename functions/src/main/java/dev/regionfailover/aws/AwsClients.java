package dev.regionfailover.aws;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.regionfailover.config.DatabasePair;
import dev.regionfailover.config.FailoverConfig;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

/**
 * Creates SDK clients on first use, one per service and region, so a handler pays only for the clients it touches
 * (cold start). Every client is bounded by the configured call and attempt timeouts and the SDK's standard retry
 * strategy (jittered exponential backoff), so a black-holed region fails fast instead of consuming the Lambda's
 * time budget. Endpoints are the SDK's own resolution, which honours {@code AWS_ENDPOINT_URL}: that is how the
 * tests and the drill point every client at the emulator, with no code path of their own.
 */
@ApplicationScoped
public class AwsClients {

    private final Map<String, Object> clients = new ConcurrentHashMap<>();
    private volatile SdkHttpClient httpClient;

    @Inject
    FailoverConfig config;

    /** A view's root: the bean, whose clients, credentials and connection pool every view shares. */
    private AwsClients root;
    /** A view's other account, and which of its calls go there: RDS and CloudWatch, Route 53. */
    private DatabasePair.CrossAccount account;
    private boolean databasesThere;
    private boolean route53There;

    public RdsClient rds(String region) {
        AwsCredentialsProvider credentials = databasesThere ? assumed(region) : null;
        return client("rds", region, databasesThere, r -> configure(RdsClient.builder(), r, credentials).build());
    }

    public CloudWatchClient cloudWatch(String region) {
        AwsCredentialsProvider credentials = databasesThere ? assumed(region) : null;
        return client("cloudwatch", region, databasesThere,
                r -> configure(CloudWatchClient.builder(), r, credentials).build());
    }

    /** Route 53 is a global service; its control plane answers in us-east-1 only. */
    public Route53Client route53() {
        AwsCredentialsProvider credentials = route53There ? assumed("us-east-1") : null;
        return client("route53", "aws-global", route53There,
                r -> configure(Route53Client.builder(), r, credentials).build());
    }

    /**
     * The clients a pair's databases are reached with: through its role when they live in another account (its
     * RDS and CloudWatch calls, and Route 53 when its zone is there too), else these.
     */
    public AwsClients forDatabasesOf(DatabasePair pair) {
        return pair.crossAccount().map(other -> view(other, true, other.route53())).orElse(root());
    }

    /**
     * The clients a pair's DNS strategy uses: Route 53 through the pair's role when its zone is in the other
     * account; CloudWatch always here, where the stack's switch and reader alarms are.
     */
    public AwsClients forDnsOf(DatabasePair pair) {
        return pair.crossAccount().filter(DatabasePair.CrossAccount::route53).map(other -> view(other, false, true))
                .orElse(root());
    }

    private AwsClients view(DatabasePair.CrossAccount other, boolean databases, boolean route53) {
        AwsClients view = new AwsClients();
        view.config = config;
        view.root = root();
        view.account = other;
        view.databasesThere = databases;
        view.route53There = route53;
        return view;
    }

    private AwsClients root() {
        return root == null ? this : root;
    }

    /**
     * The role's credentials for calls to {@code region}, from that region's STS endpoint: during a region's
     * outage its STS may be down too, and the other region's calls must not depend on it. The SDK's provider
     * caches them and refreshes them before they expire (synchronously, on the call that finds them near it).
     */
    private AwsCredentialsProvider assumed(String region) {
        AwsClients root = root();
        StsClient sts = root.client("sts", region, false, r -> root.configure(StsClient.builder(), r, null).build());
        String session = ("region-failover-" + config.plan()).replaceAll("[^\\w+=,.@-]", "-");
        return (AwsCredentialsProvider) root.clients.computeIfAbsent("assumed-role@" + region + "#"
                + account.roleArn(), ignored -> StsAssumeRoleCredentialsProvider.builder().stsClient(sts)
                        .refreshRequest(request -> request.roleArn(account.roleArn())
                                .roleSessionName(session.substring(0, Math.min(64, session.length())))
                                .externalId(account.externalId().orElse(null)))
                        .build());
    }

    public SnsClient sns() {
        return client("sns", standbyRegion(), r -> configure(SnsClient.builder(), r).build());
    }

    public EventBridgeClient eventBridge() {
        return client("events", standbyRegion(), r -> configure(EventBridgeClient.builder(), r).build());
    }

    public DynamoDbClient dynamoDb() {
        return client("dynamodb", standbyRegion(), r -> configure(DynamoDbClient.builder(), r).build());
    }

    /** Parameter Store in the standby region, where the plan's pairs may be kept (and the stack runs). */
    public SsmClient ssm() {
        return ssm(standbyRegion());
    }

    /** Parameter Store in a given region: the published topology is kept in both of the plan's regions. */
    public SsmClient ssm(String region) {
        return client("ssm", region, r -> configure(SsmClient.builder(), r).build());
    }

    public String standbyRegion() {
        return config.standby().region();
    }

    private <C> C client(String service, String region, Function<Region, C> factory) {
        return client(service, region, false, factory);
    }

    /**
     * One client per service, region and account, shared by the bean and its views. {@code there}: the view's
     * other account (its clients are keyed by its role). A factory must not create another client: the map may not
     * be updated from inside its own computeIfAbsent, so credentials are made before it is called.
     */
    @SuppressWarnings("unchecked")
    private <C> C client(String service, String region, boolean there, Function<Region, C> factory) {
        String key = service + "@" + region + (there ? "#" + account.roleArn() : "");
        return (C) root().clients.computeIfAbsent(key, ignored -> factory.apply(Region.of(region)));
    }

    private <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> B configure(B builder, Region region) {
        return configure(builder, region, null);
    }

    /** {@code credentials}: an assumed role's, or null for the function's own (the SDK's default chain). */
    private <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> B configure(B builder, Region region,
            AwsCredentialsProvider credentials) {
        if (credentials != null) {
            builder.credentialsProvider(credentials);
        }
        var timeouts = config.timeouts();
        return builder.region(region)
                .httpClient(httpClient())
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .apiCallTimeout(timeouts.apiCall())
                        .apiCallAttemptTimeout(timeouts.apiCallAttempt())
                        // No retry quota (circuit breaker): during an incident throttling is expected, and a
                        // failover must not stop retrying because earlier calls were throttled. Every call stays
                        // bounded by maxAttempts and the call timeout.
                        .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                                .maxAttempts(timeouts.maxAttempts())
                                .circuitBreakerEnabled(false)
                                .build())
                        .build());
    }

    /** One connection pool for all clients; the URL connection client starts fastest and works in native images. */
    private SdkHttpClient httpClient() {
        if (root != null) {
            return root.httpClient();
        }
        SdkHttpClient client = httpClient;
        if (client == null) {
            synchronized (this) {
                if (httpClient == null) {
                    httpClient = UrlConnectionHttpClient.builder()
                            .connectionTimeout(config.timeouts().apiCallAttempt())
                            .socketTimeout(config.timeouts().apiCallAttempt())
                            .build();
                }
                client = httpClient;
            }
        }
        return client;
    }
}
