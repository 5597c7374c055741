package dev.regionfailover.dns;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.regionfailover.aws.AwsClients;
import dev.regionfailover.aws.Polling;
import dev.regionfailover.config.DatabasePair;
import dev.regionfailover.config.FailoverConfig.DnsStrategy;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;
import software.amazon.awssdk.services.route53.model.Change;
import software.amazon.awssdk.services.route53.model.ChangeAction;
import software.amazon.awssdk.services.route53.model.ChangeResourceRecordSetsRequest;
import software.amazon.awssdk.services.route53.model.GetChangeRequest;
import software.amazon.awssdk.services.route53.model.HealthCheck;
import software.amazon.awssdk.services.route53.model.ListHealthChecksRequest;
import software.amazon.awssdk.services.route53.model.ListResourceRecordSetsRequest;
import software.amazon.awssdk.services.route53.model.RRType;
import software.amazon.awssdk.services.route53.model.ResourceRecord;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

/**
 * Reader routing. The pair's reader name is one Route 53 latency record per region (SetIdentifier and Region are
 * the region), each with a health check that follows the alarm {@code <prefix><region>} on
 * {@value #READER_METRIC} (dimensions Plan and Region). Route 53 answers a client with the record of its
 * lowest-latency region among the healthy ones, so:
 * <ul>
 * <li>a region <em>serves</em> reads when its health alarm is OK and its record names its reader endpoint;</li>
 * <li>a region is <em>withdrawn</em> when its health alarm is in ALARM: the health check fails and Route 53
 * answers with another region's record. That moves the alarm only ({@link AlarmSwitch}), calls to the standby
 * region alone; with the {@code record-update} strategy the record is also deleted through the Route 53 control
 * plane, so answers do not wait on the health checkers.</li>
 * </ul>
 * A record is written (UPSERT) only when a region must serve from an endpoint its record does not name: a restore
 * after record-update deleted it, or a failback that moved RDS instances to a new generation.
 */
public class ReaderRecords {

    public static final String READER_METRIC = "ReaderServing";

    /** What a region's reader should do. */
    public record Route(String region, Action action, String endpoint) {

        public enum Action {
            /** Serve reads from {@code endpoint}: the record names it, the health alarm is OK. */
            SERVE,
            /** Go on serving from whatever the record names (a promotion does not move it): the alarm is OK. */
            KEEP,
            /** No reads: the health alarm is in ALARM (and, with record-update, the record is deleted). */
            WITHDRAW
        }

        public static Route serve(String region, String endpoint) {
            return new Route(region, Action.SERVE, endpoint);
        }

        public static Route keep(String region) {
            return new Route(region, Action.KEEP, null);
        }

        public static Route withdraw(String region) {
            return new Route(region, Action.WITHDRAW, null);
        }
    }

    private final AwsClients aws;
    private final DatabasePair pair;
    private final DatabasePair.Readers readers;
    private final String namespace;

    public ReaderRecords(AwsClients aws, DatabasePair pair, String metricsNamespace) {
        this.aws = aws;
        this.pair = pair;
        this.readers = pair.dns().readers().orElseThrow();
        this.namespace = metricsNamespace;
    }

    /** What must change for the routes to hold, in words (one line per change); empty when they hold already. */
    public List<String> pending(List<Route> wanted) {
        return plan(wanted).stream().map(Work::describe).toList();
    }

    /**
     * Makes the routes hold: serving regions first (their alarms OK, their records written), so that a client is
     * never left without a healthy record, then the withdrawals. Waits until Route 53 has the record changes and
     * the alarms their states, and returns the changes made, in words.
     */
    public List<String> apply(List<Route> wanted, String comment, Duration bound, Duration pollInterval) {
        List<Work> work = plan(wanted);
        List<Change> changes = new ArrayList<>();
        List<Runnable> awaits = new ArrayList<>();
        for (Work item : work) {
            item.change().ifPresent(changes::add);
        }
        for (boolean serving : new boolean[] {true, false}) {
            if (!serving && !changes.isEmpty()) {
                String changeId = submit(changes, comment);
                changes.clear();
                awaits.add(() -> aws.route53().waiter().waitUntilResourceRecordSetsChanged(
                        GetChangeRequest.builder().id(changeId).build(), Polling.every(pollInterval, bound)));
            }
            for (Work item : work) {
                if (item.moveAlarm && item.serving() == serving) {
                    AlarmSwitch alarm = alarm(item.route.region());
                    String state = alarm.move(serving, comment + ": reader in " + item.route.region()
                            + (serving ? " serves reads" : " withdrawn")).toString();
                    awaits.add(() -> alarm.await(state, bound, pollInterval));
                }
            }
        }
        awaits.forEach(Runnable::run);
        return work.stream().map(Work::describe).toList();
    }

    public String describe() {
        return "latency records of " + readers.recordName();
    }

    /** One region's part of the change. */
    private record Work(Route route, boolean moveAlarm, Optional<Change> change, String describe) {

        boolean serving() {
            return route.action() != Route.Action.WITHDRAW;
        }
    }

    private List<Work> plan(List<Route> wanted) {
        boolean deleteWithdrawn = pair.dns().strategy() == DnsStrategy.RECORD_UPDATE;
        boolean readRecords = wanted.stream().anyMatch(route -> route.action() == Route.Action.SERVE
                || route.action() == Route.Action.WITHDRAW && deleteWithdrawn);
        // Only what needs them reads the records: a health-check-switch withdrawal stays off the control plane.
        Map<String, ResourceRecordSet> records = readRecords ? records() : Map.of();
        List<Work> work = new ArrayList<>();
        for (Route route : wanted) {
            String region = route.region();
            StateValue alarmState = alarm(region).state();
            ResourceRecordSet record = records.get(region);
            String now = record == null ? "no record" : "record -> " + value(record);
            switch (route.action()) {
                case SERVE -> {
                    boolean rewrite = record == null || !Route53RecordGateway.normalise(route.endpoint())
                            .equals(value(record));
                    boolean restore = alarmState != StateValue.OK;
                    if (rewrite || restore) {
                        work.add(new Work(route, restore, rewrite ? Optional.of(upsert(region, route.endpoint(),
                                record)) : Optional.empty(), region + ": serves reads from " + route.endpoint()
                                        + " (was " + now + ", health alarm " + alarmState + ")"));
                    }
                }
                case KEEP -> {
                    if (alarmState != StateValue.OK) {
                        work.add(new Work(route, true, Optional.empty(), region
                                + ": serves reads again (health alarm was " + alarmState + ")"));
                    }
                }
                case WITHDRAW -> {
                    boolean delete = deleteWithdrawn && record != null;
                    boolean withdraw = alarmState != StateValue.ALARM;
                    if (delete || withdraw) {
                        work.add(new Work(route, withdraw, delete ? Optional.of(Change.builder()
                                .action(ChangeAction.DELETE).resourceRecordSet(record).build()) : Optional.empty(),
                                region + ": withdrawn, no reads (health alarm " + alarmState + " -> ALARM"
                                        + (delete ? "; record -> " + value(record) + " deleted" : "") + ")"));
                    }
                }
            }
        }
        return work;
    }

    private AlarmSwitch alarm(String region) {
        return new AlarmSwitch(aws, pair.standbyRegion(), namespace, READER_METRIC, List.of(
                Dimension.builder().name("Plan").value(pair.journalPartition()).build(),
                Dimension.builder().name("Region").value(region).build()), readers.alarmName(region));
    }

    /** The reader name's latency records, by region. */
    private Map<String, ResourceRecordSet> records() {
        String name = Route53RecordGateway.normalise(readers.recordName());
        Map<String, ResourceRecordSet> byRegion = new HashMap<>();
        aws.route53().listResourceRecordSetsPaginator(ListResourceRecordSetsRequest.builder()
                .hostedZoneId(pair.dns().hostedZoneId())
                .startRecordName(name)
                .startRecordType(RRType.CNAME)
                .build()).resourceRecordSets().stream()
                .takeWhile(set -> Route53RecordGateway.normalise(set.name()).equals(name))
                .filter(set -> set.type() == RRType.CNAME && set.regionAsString() != null)
                .forEach(set -> byRegion.put(set.regionAsString(), set));
        return byRegion;
    }

    /**
     * The record that sends the region's clients to its endpoint, keeping the health check it has, or finding the
     * one that follows the region's alarm (a deleted record lost its own).
     */
    private Change upsert(String region, String endpoint, ResourceRecordSet existing) {
        String healthCheckId = existing != null && existing.healthCheckId() != null ? existing.healthCheckId()
                : healthCheckFollowing(readers.alarmName(region));
        return Change.builder().action(ChangeAction.UPSERT).resourceRecordSet(ResourceRecordSet.builder()
                .name(Route53RecordGateway.normalise(readers.recordName()))
                .type(RRType.CNAME)
                .setIdentifier(region)
                .region(region)
                .ttl(readers.ttl())
                .healthCheckId(healthCheckId)
                .resourceRecords(ResourceRecord.builder().value(endpoint).build())
                .build()).build();
    }

    private String healthCheckFollowing(String alarmName) {
        return aws.route53().listHealthChecksPaginator(ListHealthChecksRequest.builder().build()).healthChecks()
                .stream()
                .filter(check -> check.healthCheckConfig() != null && check.healthCheckConfig().alarmIdentifier() != null
                        && alarmName.equals(check.healthCheckConfig().alarmIdentifier().name()))
                .map(HealthCheck::id)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no Route 53 health check follows the alarm " + alarmName
                        + ": a reader record without one could not be withdrawn (the SAM template creates it)"));
    }

    private String submit(List<Change> changes, String comment) {
        return aws.route53().changeResourceRecordSets(ChangeResourceRecordSetsRequest.builder()
                .hostedZoneId(pair.dns().hostedZoneId())
                .changeBatch(batch -> batch.comment(comment).changes(changes))
                .build()).changeInfo().id();
    }

    private static String value(ResourceRecordSet record) {
        return record.resourceRecords().stream().findFirst()
                .map(value -> Route53RecordGateway.normalise(value.value())).orElse("");
    }
}
