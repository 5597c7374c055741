package dev.regionfailover.dns;

import software.amazon.awssdk.services.route53.model.ResourceRecord;
import software.amazon.awssdk.services.route53.model.Change;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.regionfailover.aws.AwsClients;
import dev.regionfailover.aws.Polling;
import dev.regionfailover.config.FailoverConfig;
import software.amazon.awssdk.services.route53.model.ChangeAction;
import software.amazon.awssdk.services.route53.model.GetChangeRequest;
import software.amazon.awssdk.services.route53.model.HealthCheckObservation;
import software.amazon.awssdk.services.route53.model.RRType;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

/** The {@code record-update} strategy: UPSERT the application's CNAME through the Route 53 control plane. */
@ApplicationScoped
public class Route53RecordGateway implements DnsGateway {

    @Inject
    AwsClients aws;

    @Inject
    FailoverConfig config;

    @Override
    public Optional<String> currentTarget() {
        String name = normalise(config.dns().recordName());
        List<ResourceRecordSet> sets = aws.route53().listResourceRecordSets(request -> request
                .hostedZoneId(config.dns().hostedZoneId())
                .startRecordName(name)
                .startRecordType(RRType.CNAME)
                .maxItems("1")).resourceRecordSets();
        return sets.stream()
                .filter(set -> normalise(set.name()).equals(name) && set.type() == RRType.CNAME)
                .flatMap(set -> set.resourceRecords().stream())
                .map(record -> normalise(record.value()))
                .findFirst();
    }

    @Override
    public String pointTo(String target, String comment) {
        return aws.route53().changeResourceRecordSets(request -> request
                .hostedZoneId(config.dns().hostedZoneId())
                .changeBatch(batch -> batch.comment(comment).changes(Change.builder()
                        .action(ChangeAction.UPSERT)
                        .resourceRecordSet(set -> set
                                // lower case: the IAM condition compares normalised record names
                                .name(normalise(config.dns().recordName()))
                                .type(RRType.CNAME)
                                .ttl(config.dns().ttl())
                                .resourceRecords(ResourceRecord.builder().value(target).build()))
                        .build())))
                .changeInfo().id();
    }

    @Override
    public void awaitInSync(String changeId, Duration bound, Duration pollInterval) {
        aws.route53().waiter().waitUntilResourceRecordSetsChanged(GetChangeRequest.builder().id(changeId).build(),
                Polling.every(pollInterval, bound));
    }

    /** Route 53 counts a check healthy when more than 18% of its checkers report success. */
    @Override
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

    /** DNS names compare case-insensitively and without the trailing root dot. */
    public static String normalise(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }
}
