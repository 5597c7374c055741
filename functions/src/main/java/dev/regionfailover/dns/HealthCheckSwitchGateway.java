package dev.regionfailover.dns;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import dev.regionfailover.aws.AwsClients;
import dev.regionfailover.aws.Polling;
import dev.regionfailover.config.DatabasePair;
import software.amazon.awssdk.core.waiters.Waiter;
import software.amazon.awssdk.core.waiters.WaiterAcceptor;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.DescribeAlarmsResponse;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;

/**
 * The {@code health-check-switch} strategy (static stability). The application's name is a pair of Route 53
 * failover records: PRIMARY (the primary's writer, with a health check that follows a CloudWatch alarm in the
 * standby region) and SECONDARY (the standby's writer). Route 53's health checkers and DNS answers are its data
 * plane, so moving the alarm moves the name with calls to the standby region only: nothing here touches the
 * Route 53 control plane, which lives in us-east-1 and may be the region that failed.
 *
 * <p>The alarm watches {@value #SWITCH_METRIC} (1 = primary serves writes, 0 = it does not) and treats missing
 * data as "ignore", so it keeps its state between our publications. SetAlarmState moves it at once;
 * the published datapoint keeps it there when CloudWatch next evaluates the alarm.
 */
public class HealthCheckSwitchGateway implements DnsGateway {

    public static final String SWITCH_METRIC = "PrimaryWritable";

    private final AwsClients aws;
    private final DatabasePair pair;
    private final String metricsNamespace;

    public HealthCheckSwitchGateway(AwsClients aws, DatabasePair pair, String metricsNamespace) {
        this.aws = aws;
        this.pair = pair;
        this.metricsNamespace = metricsNamespace;
    }

    @Override
    public Optional<String> currentTarget() {
        StateValue state = alarmState();
        return Optional.of((state == StateValue.ALARM ? "SECONDARY (standby)" : "PRIMARY") + " record: switch alarm "
                + alarmName() + " is " + state);
    }

    @Override
    public boolean sendsClientsTo(Side side, String writerEndpoint) {
        return alarmState() == wanted(side);
    }

    @Override
    public String sendClientsTo(Side side, String writerEndpoint, String comment) {
        StateValue state = wanted(side);
        CloudWatchClient cloudWatch = aws.cloudWatch(pair.standbyRegion());
        cloudWatch.putMetricData(request -> request.namespace(metricsNamespace).metricData(MetricDatum.builder()
                .metricName(SWITCH_METRIC)
                .dimensions(Dimension.builder().name("Plan").value(pair.journalPartition()).build())
                .value(side == Side.PRIMARY ? 1.0 : 0.0)
                .unit(StandardUnit.COUNT)
                .timestamp(Instant.now())
                .build()));
        cloudWatch.setAlarmState(request -> request.alarmName(alarmName()).stateValue(state)
                .stateReason(abbreviate(comment)));
        return state.toString();
    }

    /** Confirms the alarm holds the wanted state; Route 53's checkers follow it within their interval. */
    @Override
    public void awaitInSync(String wantedState, Duration bound, Duration pollInterval) {
        Waiter<DescribeAlarmsResponse> waiter = Waiter.builder(DescribeAlarmsResponse.class)
                .addAcceptor(WaiterAcceptor.successOnResponseAcceptor(response -> response.metricAlarms().stream()
                        .anyMatch(alarm -> alarm.stateValueAsString().equals(wantedState))))
                .addAcceptor(WaiterAcceptor.retryOnResponseAcceptor(response -> true))
                .overrideConfiguration(Polling.every(pollInterval, bound))
                .build();
        waiter.run(() -> aws.cloudWatch(pair.standbyRegion())
                .describeAlarms(request -> request.alarmNames(alarmName())));
    }

    @Override
    public String describe() {
        return "failover records of " + pair.dns().recordName() + " (health-check-switch, alarm " + alarmName()
                + " in " + pair.standbyRegion() + ")";
    }

    private StateValue alarmState() {
        return aws.cloudWatch(pair.standbyRegion()).describeAlarms(request -> request.alarmNames(alarmName()))
                .metricAlarms().stream().findFirst()
                .map(alarm -> alarm.stateValue())
                .orElseThrow(() -> new IllegalStateException("switch alarm " + alarmName() + " does not exist in "
                        + pair.standbyRegion()));
    }

    private static StateValue wanted(Side side) {
        return side == Side.STANDBY ? StateValue.ALARM : StateValue.OK;
    }

    private String alarmName() {
        return pair.dns().switchAlarmName().orElseThrow();
    }

    /** SetAlarmState takes a reason of at most 1023 characters. */
    private static String abbreviate(String reason) {
        return reason.length() <= 1023 ? reason : reason.substring(0, 1020) + "...";
    }
}
