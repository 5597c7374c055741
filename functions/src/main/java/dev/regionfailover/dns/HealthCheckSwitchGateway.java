package dev.regionfailover.dns;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import dev.regionfailover.aws.AwsClients;
import dev.regionfailover.config.DatabasePair;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;

/**
 * The {@code health-check-switch} strategy (static stability). The application's name is a pair of Route 53
 * failover records: PRIMARY (the primary's writer, with a health check that follows a CloudWatch alarm in the
 * standby region) and SECONDARY (the standby's writer). Moving the alarm ({@link AlarmSwitch}) moves the name with
 * calls to the standby region only: nothing here touches the Route 53 control plane, which lives in us-east-1 and
 * may be the region that failed. The alarm watches {@value #SWITCH_METRIC}: 1 = the primary serves writes.
 */
public class HealthCheckSwitchGateway implements DnsGateway {

    public static final String SWITCH_METRIC = "PrimaryWritable";

    private final DatabasePair pair;
    private final AlarmSwitch alarm;

    public HealthCheckSwitchGateway(AwsClients aws, DatabasePair pair, String metricsNamespace) {
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

    @Override
    public boolean sendsClientsTo(Side side, String writerEndpoint) {
        return alarm.state() == (side == Side.STANDBY ? StateValue.ALARM : StateValue.OK);
    }

    @Override
    public String sendClientsTo(Side side, String writerEndpoint, String comment) {
        return alarm.move(side == Side.PRIMARY, comment).toString();
    }

    @Override
    public void awaitInSync(String wantedState, Duration bound, Duration pollInterval) {
        alarm.await(wantedState, bound, pollInterval);
    }

    @Override
    public String describe() {
        return "failover records of " + pair.dns().recordName() + " (health-check-switch, alarm " + alarm.alarmName()
                + " in " + pair.standbyRegion() + ")";
    }
}
