package dev.regionfailover.dns;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.regionfailover.aws.AwsClients;
import software.amazon.awssdk.services.route53.model.HealthCheckObservation;

/** What Route 53's health checkers report about a health check: a health signal. */
@ApplicationScoped
public class Route53HealthChecks {

    @Inject
    AwsClients aws;

    /** Fraction of Route 53 health checkers that report the check healthy (0 to 1). */
    public double healthyCheckerFraction(String healthCheckId) {
        List<HealthCheckObservation> observations = aws.route53()
                .getHealthCheckStatus(request -> request.healthCheckId(healthCheckId)).healthCheckObservations();
        if (observations.isEmpty()) {
            return 0;
        }
        long healthy = observations.stream()
                .filter(o -> o.statusReport() != null && o.statusReport().status() != null
                        && o.statusReport().status().startsWith("Success"))
                .count();
        return (double) healthy / observations.size();
    }
}
