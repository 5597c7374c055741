package dev.regionfailover.aws;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.regionfailover.config.FailoverConfig;
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

    public RdsClient rds(String region) {
        return client("rds", region, r -> configure(RdsClient.builder(), r).build());
    }

    public CloudWatchClient cloudWatch(String region) {
        return client("cloudwatch", region, r -> configure(CloudWatchClient.builder(), r).build());
    }

    /** Route 53 is a global service; its control plane answers in us-east-1 only. */
    public Route53Client route53() {
        return client("route53", "aws-global", r -> configure(Route53Client.builder(), r).build());
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

    @SuppressWarnings("unchecked")
    private <C> C client(String service, String region, Function<Region, C> factory) {
        return (C) clients.computeIfAbsent(service + "@" + region, key -> factory.apply(Region.of(region)));
    }

    private <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> B configure(B builder, Region region) {
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
