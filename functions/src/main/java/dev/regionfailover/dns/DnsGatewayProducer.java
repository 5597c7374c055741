package dev.regionfailover.dns;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;

import dev.regionfailover.config.FailoverConfig;

/** The DNS strategy is configuration ({@code failover.dns.strategy}); only the chosen gateway is created. */
@ApplicationScoped
public class DnsGatewayProducer {

    @Produces
    @ApplicationScoped
    DnsGateway dns(FailoverConfig config, Instance<Route53RecordGateway> recordUpdate,
            Instance<HealthCheckSwitchGateway> healthCheckSwitch) {
        return switch (config.dns().strategy()) {
            case RECORD_UPDATE -> recordUpdate.get();
            case HEALTH_CHECK_SWITCH -> healthCheckSwitch.get();
        };
    }
}
