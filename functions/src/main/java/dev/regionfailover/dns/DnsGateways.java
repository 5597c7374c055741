package dev.regionfailover.dns;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.regionfailover.aws.AwsClients;
import dev.regionfailover.config.DatabasePair;
import dev.regionfailover.config.FailoverConfig;

/** The DNS strategy is configuration (per pair, {@code failover.dns.strategy} by default). */
@ApplicationScoped
public class DnsGateways {

    @Inject
    AwsClients aws;

    @Inject
    FailoverConfig config;

    public DnsGateway forPair(DatabasePair pair) {
        return switch (pair.dns().strategy()) {
            case RECORD_UPDATE -> new Route53RecordGateway(aws.forDnsOf(pair), pair.dns());
            case HEALTH_CHECK_SWITCH -> new HealthCheckSwitchGateway(aws.forDnsOf(pair), pair, config.metricsNamespace());
        };
    }

    /** The pair's reader routing, when it has a reader name. */
    public Optional<ReaderRecords> readersFor(DatabasePair pair) {
        return pair.dns().readers().map(readers -> new ReaderRecords(aws.forDnsOf(pair), pair,
                config.metricsNamespace()));
    }
}
