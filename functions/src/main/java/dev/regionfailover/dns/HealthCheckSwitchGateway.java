package dev.regionfailover.dns;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import dev.regionfailover.aws.AwsClients;
import dev.regionfailover.aws.Cadence;
import dev.regionfailover.aws.Polling;
import dev.regionfailover.config.DatabasePair;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;
import software.amazon.awssdk.services.route53.model.Change;
import software.amazon.awssdk.services.route53.model.ChangeAction;
import software.amazon.awssdk.services.route53.model.GetChangeRequest;
import software.amazon.awssdk.services.route53.model.RRType;
import software.amazon.awssdk.services.route53.model.ResourceRecord;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;
import software.amazon.awssdk.services.route53.model.ResourceRecordSetFailover;

/**
 * The {@code health-check-switch} strategy (static stability). The application's name is a pair of Route 53
 * failover records: PRIMARY (the primary's writer, with a health check that follows a CloudWatch alarm in the
 * standby region) and SECONDARY (the standby's writer). A failover moves the alarm ({@link AlarmSwitch}) and so the
 * name, with calls to the standby region only: nothing touches the Route 53 control plane, which lives in us-east-1
 * and may be the region that failed. The alarm watches {@value #SWITCH_METRIC}: 1 = the primary serves writes.
 *
 * <p>A failback is planned, with every region up, and may have moved the writers (an RDS failback builds new
 * instances): there the records themselves are rewritten when they name another writer, PRIMARY when clients go
 * back, and SECONDARY once the new standby exists, so that the next failover sends clients to it.
 */
public class HealthCheckSwitchGateway implements DnsGateway {

    public static final String SWITCH_METRIC = "PrimaryWritable";

    private final AwsClients aws;
    private final DatabasePair pair;
    private final AlarmSwitch alarm;

    public HealthCheckSwitchGateway(AwsClients aws, DatabasePair pair, String metricsNamespace) {
        this.aws = aws;
        this.pair = pair;
        this.alarm = new AlarmSwitch(aws, pair.standbyRegion(), metricsNamespace, SWITCH_METRIC,
                List.of(Dimension.builder().name("Plan").value(pair.journalPartition()).build()),
                pair.dns().switchAlarmName().orElseThrow());
    }

    @Override
    public Optional<String> currentTarget() {
        StateValue state = alarm.state();
        return Optional.of((state == StateValue.ALARM ? "SECONDARY (standby)" : "PRIMARY") + " record: switch alarm "
                + alarm.alarmName() + " is " + state);
    }

    /** Sending clients to the standby is the alarm alone; to the primary, the PRIMARY record must name it too. */
    @Override
    public boolean sendsClientsTo(Side side, String writerEndpoint) {
        if (side == Side.STANDBY) {
            return alarm.state() == StateValue.ALARM;
        }
        return alarm.state() == StateValue.OK && names(record(ResourceRecordSetFailover.PRIMARY), writerEndpoint);
    }

    @Override
    public String sendClientsTo(Side side, String writerEndpoint, String comment) {
        String rewritten = side == Side.PRIMARY ? rewrite(ResourceRecordSetFailover.PRIMARY, writerEndpoint, comment)
                : "";
        return (alarm.move(side == Side.PRIMARY, comment) + " " + rewritten).strip();
    }

    /** Waits for what {@link #sendClientsTo} or {@link #armFor} started: a Route 53 change, an alarm state. */
    @Override
    public void awaitInSync(String started, Duration bound, Cadence cadence) {
        for (String part : started.split(" ")) {
            if (part.isEmpty()) {
                continue;
            }
            if (StateValue.fromValue(part) != StateValue.UNKNOWN_TO_SDK_VERSION) {
                alarm.await(part, bound, cadence.interval());
            } else {
                aws.route53().waiter().waitUntilResourceRecordSetsChanged(
                        GetChangeRequest.builder().id(part).build(), Polling.every(cadence.interval(), bound));
            }
        }
    }

    @Override
    public boolean armedFor(String standbyWriterEndpoint) {
        return names(record(ResourceRecordSetFailover.SECONDARY), standbyWriterEndpoint);
    }

    @Override
    public String armFor(String standbyWriterEndpoint, String comment) {
        return rewrite(ResourceRecordSetFailover.SECONDARY, standbyWriterEndpoint, comment);
    }

    @Override
    public String describe() {
        return "failover records of " + pair.dns().recordName() + " (health-check-switch, alarm " + alarm.alarmName()
                + " in " + pair.standbyRegion() + ")";
    }

    private static boolean names(ResourceRecordSet record, String writerEndpoint) {
        return record.resourceRecords().stream()
                .anyMatch(value -> Route53RecordGateway.normalise(value.value())
                        .equals(Route53RecordGateway.normalise(writerEndpoint)));
    }

    /** Points the record at the writer, keeping everything else it has (its health check above all); a change id. */
    private String rewrite(ResourceRecordSetFailover role, String writerEndpoint, String comment) {
        ResourceRecordSet record = record(role);
        if (names(record, writerEndpoint)) {
            return "";
        }
        return aws.route53().changeResourceRecordSets(request -> request
                .hostedZoneId(pair.dns().hostedZoneId())
                .changeBatch(batch -> batch.comment(comment).changes(Change.builder()
                        .action(ChangeAction.UPSERT)
                        .resourceRecordSet(record.toBuilder()
                                .resourceRecords(ResourceRecord.builder().value(writerEndpoint).build()).build())
                        .build())))
                .changeInfo().id();
    }

    private ResourceRecordSet record(ResourceRecordSetFailover role) {
        String name = Route53RecordGateway.normalise(pair.dns().recordName());
        return aws.route53().listResourceRecordSets(request -> request
                .hostedZoneId(pair.dns().hostedZoneId())
                .startRecordName(name)
                .startRecordType(RRType.CNAME)
                .maxItems("10")).resourceRecordSets().stream()
                .filter(set -> Route53RecordGateway.normalise(set.name()).equals(name) && set.failover() == role)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("the " + role + " failover record of " + name
                        + " does not exist in hosted zone " + pair.dns().hostedZoneId()));
    }
}
