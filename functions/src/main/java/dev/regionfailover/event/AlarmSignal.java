package dev.regionfailover.event;

/** One CloudWatch alarm state change, whichever of its three shapes it arrived in. */
public record AlarmSignal(String alarmName, String alarmArn, String region, String account, AlarmState state,
        AlarmState previousState, String reason, String timestamp, Shape shape) {

    public enum AlarmState {
        OK, ALARM, INSUFFICIENT_DATA;

        static AlarmState parse(String value, String field) {
            try {
                return valueOf(value);
            } catch (IllegalArgumentException e) {
                throw new RejectedEvent(RejectedEvent.Kind.MALFORMED,
                        "field " + field + " must be OK, ALARM or INSUFFICIENT_DATA, not '" + abbreviate(value) + "'");
            }
        }
    }

    public enum Shape {
        /** EventBridge "CloudWatch Alarm State Change". */
        EVENTBRIDGE,
        /** The alarm's own Lambda action. */
        LAMBDA_ACTION,
        /** Alarm to SNS topic to Lambda. */
        SNS
    }

    public boolean enteredAlarm() {
        return state == AlarmState.ALARM && previousState != AlarmState.ALARM;
    }

    static String abbreviate(String value) {
        return value.length() <= 64 ? value : value.substring(0, 64) + "…";
    }
}
