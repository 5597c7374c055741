package dev.regionfailover.dns;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.regionfailover.aws.AwsClients;
import dev.regionfailover.config.DatabasePair;
import dev.regionfailover.config.FailoverConfig;
import dev.regionfailover.database.AuroraGlobalGateway;
import dev.regionfailover.database.DatabasePairs;

/**
 * The DNS strategy is configuration (per pair, {@code failover.dns.strategy} by default); start-up validation
 * ({@code ConfigValidator}, {@code PlanPairs}) lets global-writer-endpoint reach here only for an Aurora pair.
 */
@ApplicationScoped
public class DnsGateways {

    @Inject
    AwsClients aws;

    @Inject
    FailoverConfig config;

    @Inject
    DatabasePairs databases;

    public DnsGateway forPair(DatabasePair pair) {
        return switch (pair.dns().strategy()) {
            case RECORD_UPDATE -> new Route53RecordGateway(aws.forDnsOf(pair), pair.dns());
            case HEALTH_CHECK_SWITCH -> new HealthCheckSwitchGateway(aws.forDnsOf(pair), pair, config.metricsNamespace());
            case GLOBAL_WRITER_ENDPOINT -> globalWriterEndpoint(pair);
        };
    }

    /** Reads DescribeGlobalClusters and DNS at failover; Route 53 (the application's own record) in readiness only. */
    private DnsGateway globalWriterEndpoint(DatabasePair pair) {
        AuroraGlobalGateway database = databases.auroraGlobal(pair);
        return new GlobalWriterEndpointGateway(database::globalWriterEndpoint,
                new JndiEndpointResolver(config.dns().nameServer()),
                new Route53RecordGateway(aws.forDnsOf(pair), pair.dns())::currentTarget, pair.dns().recordName());
    }

    /** The pair's reader routing, when it has a reader name. */
    public Optional<ReaderRecords> readersFor(DatabasePair pair) {
        return pair.dns().readers().map(readers -> new ReaderRecords(aws.forDnsOf(pair), pair,
                config.metricsNamespace()));
    }
}
