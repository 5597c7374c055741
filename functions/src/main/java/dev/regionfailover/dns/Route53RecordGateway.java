package dev.regionfailover.dns;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import dev.regionfailover.aws.AwsClients;
import dev.regionfailover.aws.Cadence;
import dev.regionfailover.aws.Polling;
import dev.regionfailover.config.DatabasePair;
import software.amazon.awssdk.services.route53.model.Change;
import software.amazon.awssdk.services.route53.model.ChangeAction;
import software.amazon.awssdk.services.route53.model.GetChangeRequest;
import software.amazon.awssdk.services.route53.model.RRType;
import software.amazon.awssdk.services.route53.model.ResourceRecord;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

/**
 * The {@code record-update} strategy: UPSERT the application's CNAME through the Route 53 control plane, which
 * answers in us-east-1 only: when us-east-1 is the failed region, prefer health-check-switch.
 */
public class Route53RecordGateway implements DnsGateway {

    private final AwsClients aws;
    private final DatabasePair.Dns dns;

    public Route53RecordGateway(AwsClients aws, DatabasePair.Dns dns) {
        this.aws = aws;
        this.dns = dns;
    }

    @Override
    public Optional<String> currentTarget() {
        String name = normalise(dns.recordName());
        List<ResourceRecordSet> sets = aws.route53().listResourceRecordSets(request -> request
                .hostedZoneId(dns.hostedZoneId())
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
    public boolean sendsClientsTo(Side side, String writerEndpoint) {
        return currentTarget().filter(normalise(writerEndpoint)::equals).isPresent();
    }

    @Override
    public String sendClientsTo(Side side, String writerEndpoint, String comment) {
        return aws.route53().changeResourceRecordSets(request -> request
                .hostedZoneId(dns.hostedZoneId())
                .changeBatch(batch -> batch.comment(comment).changes(Change.builder()
                        .action(ChangeAction.UPSERT)
                        .resourceRecordSet(set -> set
                                // lower case: the IAM condition compares normalised record names
                                .name(normalise(dns.recordName()))
                                .type(RRType.CNAME)
                                .ttl(dns.ttl())
                                .resourceRecords(ResourceRecord.builder().value(writerEndpoint).build()))
                        .build())))
                .changeInfo().id();
    }

    @Override
    public void awaitInSync(String changeId, Duration bound, Cadence cadence) {
        aws.route53().waiter().waitUntilResourceRecordSetsChanged(GetChangeRequest.builder().id(changeId).build(),
                Polling.every(cadence.interval(), bound));
    }

    @Override
    public boolean armedFor(String standbyWriterEndpoint) {
        return true;
    }

    @Override
    public String armFor(String standbyWriterEndpoint, String comment) {
        throw new IllegalStateException("record-update names the writer when it fails over: nothing to arm");
    }

    @Override
    public String describe() {
        return "CNAME " + dns.recordName() + " (record-update)";
    }

    /** DNS names compare case-insensitively and without the trailing root dot. */
    public static String normalise(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }
}
