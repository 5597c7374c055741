package dev.regionfailover.dns;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.regionfailover.aws.AwsClients;
import dev.regionfailover.aws.Polling;
import software.amazon.awssdk.core.waiters.Waiter;
import software.amazon.awssdk.core.waiters.WaiterAcceptor;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.DescribeAlarmsResponse;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;

/**
 * A CloudWatch alarm that a Route 53 health check follows, moved by the functions: Route 53's health checkers
 * and DNS answers are its data plane, so moving the alarm moves DNS answers with calls to the alarm's region only.
 *
 * <p>The alarm watches a 0/1 metric (1 = healthy) and treats missing data as "ignore", so it keeps its state
 * between our publications. SetAlarmState moves it at once; the published datapoint keeps it there when
 * CloudWatch next evaluates the alarm.
 */
final class AlarmSwitch {

    private final AwsClients aws;
    private final String region;
    private final String namespace;
    private final String metricName;
    private final List<Dimension> dimensions;
    private final String alarmName;

    AlarmSwitch(AwsClients aws, String region, String namespace, String metricName, List<Dimension> dimensions,
            String alarmName) {
        this.aws = aws;
        this.region = region;
        this.namespace = namespace;
        this.metricName = metricName;
        this.dimensions = List.copyOf(dimensions);
        this.alarmName = alarmName;
    }

    String alarmName() {
        return alarmName;
    }

    String region() {
        return region;
    }

    StateValue state() {
        return aws.cloudWatch(region).describeAlarms(request -> request.alarmNames(alarmName))
                .metricAlarms().stream().findFirst()
                .map(alarm -> alarm.stateValue())
                .orElseThrow(() -> new IllegalStateException("alarm " + alarmName + " does not exist in " + region));
    }

    /** Healthy: the metric 1 and the alarm OK; unhealthy: 0 and ALARM. Returns the state {@link #await} waits on. */
    StateValue move(boolean healthy, String reason) {
        CloudWatchClient cloudWatch = aws.cloudWatch(region);
        cloudWatch.putMetricData(request -> request.namespace(namespace).metricData(MetricDatum.builder()
                .metricName(metricName)
                .dimensions(dimensions)
                .value(healthy ? 1.0 : 0.0)
                .unit(StandardUnit.COUNT)
                .timestamp(Instant.now())
                .build()));
        StateValue state = healthy ? StateValue.OK : StateValue.ALARM;
        cloudWatch.setAlarmState(request -> request.alarmName(alarmName).stateValue(state)
                .stateReason(abbreviate(reason)));
        return state;
    }

    /** Confirms the alarm holds the wanted state; Route 53's checkers follow it within their interval. */
    void await(String wantedState, Duration bound, Duration pollInterval) {
        Waiter<DescribeAlarmsResponse> waiter = Waiter.builder(DescribeAlarmsResponse.class)
                .addAcceptor(WaiterAcceptor.successOnResponseAcceptor(response -> response.metricAlarms().stream()
                        .anyMatch(alarm -> alarm.stateValueAsString().equals(wantedState))))
                .addAcceptor(WaiterAcceptor.retryOnResponseAcceptor(response -> true))
                .overrideConfiguration(Polling.every(pollInterval, bound))
                .build();
        waiter.run(() -> aws.cloudWatch(region).describeAlarms(request -> request.alarmNames(alarmName)));
    }

    /** SetAlarmState takes a reason of at most 1023 characters. */
    private static String abbreviate(String reason) {
        return reason.length() <= 1023 ? reason : reason.substring(0, 1020) + "...";
    }
}
