package dev.regionfailover.metrics;

import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.regionfailover.aws.AwsClients;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.ScanBy;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;

/** Alarm states, the replica's lag, and our own verdict metrics, through the CloudWatch API. */
@ApplicationScoped
public class CloudWatchGateway {

    @Inject
    AwsClients aws;

    /** State of each named alarm that exists; alarms that do not exist are absent from the map. */
    /** The same calls with other clients: a pair's, whose metrics live in its own account. */
    public CloudWatchGateway using(AwsClients clients) {
        CloudWatchGateway gateway = new CloudWatchGateway();
        gateway.aws = clients;
        return gateway;
    }

    public Map<String, String> alarmStates(String region, Collection<String> alarmNames) {
        return aws.cloudWatch(region).describeAlarms(request -> request.alarmNames(alarmNames))
                .metricAlarms().stream()
                .collect(Collectors.toMap(MetricAlarm::alarmName, MetricAlarm::stateValueAsString));
    }

    /**
     * The most recent non-negative value of an AWS/RDS metric (per-minute maximum) within the window. RDS reports
     * lag as -1 while replication is not running, so such points say nothing about how much data is behind.
     */
    public OptionalDouble latestValue(String region, String metricName, String dimension, String resourceId,
            Duration window) {
        Instant now = Instant.now();
        // EndTime is exclusive and may be compared at whole seconds: ending a minute ahead keeps a datapoint
        // published a moment ago (the freshest evidence) inside the window.
        GetMetricDataResponse response = aws.cloudWatch(region).getMetricData(request -> request
                .startTime(now.minus(window))
                .endTime(now.plus(Duration.ofMinutes(1)))
                .scanBy(ScanBy.TIMESTAMP_DESCENDING)
                .metricDataQueries(MetricDataQuery.builder().id("lag").returnData(true).metricStat(stat -> stat
                        .period(60)
                        .stat("Maximum")
                        .metric(metric -> metric.namespace("AWS/RDS").metricName(metricName)
                                .dimensions(Dimension.builder().name(dimension).value(resourceId).build())))
                        .build()));
        return response.metricDataResults().stream()
                .flatMap(result -> result.values().stream())
                .mapToDouble(Double::doubleValue)
                .filter(value -> value >= 0)
                .findFirst();
    }

    public void publish(String namespace, String plan, Map<String, Double> values) {
        Instant now = Instant.now();
        List<MetricDatum> data = values.entrySet().stream()
                .map(entry -> MetricDatum.builder()
                        .metricName(entry.getKey())
                        .value(entry.getValue())
                        .unit(StandardUnit.NONE)
                        .timestamp(now)
                        .dimensions(Dimension.builder().name("Plan").value(plan).build())
                        .build())
                .toList();
        aws.cloudWatch(aws.standbyRegion()).putMetricData(request -> request.namespace(namespace).metricData(data));
    }
}
