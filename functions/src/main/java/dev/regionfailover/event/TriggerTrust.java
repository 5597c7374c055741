package dev.regionfailover.event;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import dev.regionfailover.config.DatabasePair;
import dev.regionfailover.config.FailoverConfig;
import dev.regionfailover.config.FailoverConfig.OrderPath;
import dev.regionfailover.event.RejectedEvent.Kind;

/**
 * Whether a well-formed trigger may count, judged from where it can have come from, before the service sees it
 * (and so before any AWS call that could change anything):
 * <ul>
 * <li>an <b>alarm</b> of a watched name counts only from the primary region and the plan's account, in every
 * shape (EventBridge event, the alarm's Lambda action, SNS): the same name in another account or region is
 * another alarm;</li>
 * <li>an <b>operator order</b> counts only on a path that may carry it (this function's
 * {@code failover.operator.path}: force only on the force bus, the default bus only when enabled) and only while
 * fresh (its event time within {@code failover.operator.max-order-age}, and at most
 * {@code failover.operator.clock-skew} ahead);</li>
 * <li>an <b>RDS event</b> that could resume a run counts only for the plan's own databases: its instances (and
 * their failback generations {@code <id>-g<n>}, nothing else that starts with the id), its global clusters and
 * their member clusters.</li>
 * </ul>
 * Pure: the time and the members of the global clusters are passed in.
 */
public final class TriggerTrust {

    private final FailoverConfig config;
    private final List<DatabasePair> pairs;

    public TriggerTrust(FailoverConfig config, List<DatabasePair> pairs) {
        this.config = config;
        this.pairs = pairs;
    }

    /**
     * Why a signal of a watched alarm must be ignored, if it must. A name the plan does not watch is not judged
     * here: the service answers it.
     */
    public Optional<String> foreignAlarm(AlarmSignal alarm) {
        if (!config.health().watchedAlarms().orElse(List.of()).contains(alarm.alarmName())) {
            return Optional.empty();
        }
        String region = config.primary().region();
        String account = config.accountId();
        String which = "alarm '" + alarm.alarmName() + "' (" + alarm.shape() + ")";
        if (!region.equals(alarm.region())) {
            return Optional.of(which + " comes from region '" + AlarmSignal.abbreviate(alarm.region())
                    + "', not the primary region " + region + ": another alarm of the same name, ignored");
        }
        if (!account.equals(alarm.account())) {
            return Optional.of(which + " comes from account '" + AlarmSignal.abbreviate(alarm.account())
                    + "', not the plan's account " + account + ": another alarm of the same name, ignored");
        }
        if (!alarm.alarmArn().isEmpty()) {
            String[] arn = alarm.alarmArn().split(":", 7);
            boolean ours = arn.length == 7 && arn[0].equals("arn") && arn[2].equals("cloudwatch")
                    && arn[3].equals(region) && arn[4].equals(account) && arn[5].equals("alarm")
                    && arn[6].equals(alarm.alarmName());
            if (!ours) {
                return Optional.of(which + " carries the ARN '" + AlarmSignal.abbreviate(alarm.alarmArn())
                        + "', not arn:...:cloudwatch:" + region + ":" + account + ":alarm:" + alarm.alarmName()
                        + ": ignored");
            }
        }
        return Optional.empty();
    }

    /**
     * Refuses an order that this function's path may not carry, or that is not fresh. {@code time} is the
     * EventBridge envelope's {@code time}, which EventBridge sets when the event is put (PutEvents).
     */
    public void admitOrder(OperatorCommand order, String time, Instant now) {
        OrderPath path = config.operator().path();
        if (path == OrderPath.DEFAULT_BUS && !config.operator().defaultBusOrders()) {
            throw new RejectedEvent(Kind.UNAUTHORISED, "orders on the default event bus are off for plan "
                    + config.plan() + " (failover.operator.default-bus-orders is false): send them to the stack's "
                    + "operator bus, which admits only the operator principals");
        }
        // A dry run with force changes nothing, so rehearsing a forced failover is a right of every operator.
        if (order.force() && !order.dryRun() && path != OrderPath.FORCE_BUS) {
            throw new RejectedEvent(Kind.UNAUTHORISED, "force (promote past the data-loss budget) may be ordered "
                    + "only on the force bus, which admits only the force principals; this function serves the "
                    + path.name().toLowerCase().replace('_', '-') + " path");
        }
        Instant sent = instant(time);
        Duration maxAge = config.operator().maxOrderAge();
        Duration age = Duration.between(sent, now);
        if (age.compareTo(maxAge) > 0) {
            throw new RejectedEvent(Kind.STALE, "the order was sent at " + sent + ", " + age.truncatedTo(ChronoUnit.SECONDS)
                    + " ago, longer than failover.operator.max-order-age " + maxAge + ": send it again if it still "
                    + "stands");
        }
        if (age.negated().compareTo(config.operator().clockSkew()) > 0) {
            throw new RejectedEvent(Kind.STALE, "the order is dated " + sent + ", " + age.negated().truncatedTo(ChronoUnit.SECONDS)
                    + " in the future, more than failover.operator.clock-skew " + config.operator().clockSkew()
                    + " allows");
        }
    }

    /**
     * Why an RDS event must be ignored, if it must. Only an event that could resume a run (a global-failover
     * outcome) has to be proven ours; {@code globalClusterMembers} (the member cluster ARNs of the plan's global
     * databases, read from AWS) is asked only then, and only when the event does not name a global database of
     * the plan itself.
     */
    public Optional<String> foreignRdsEvent(RdsNotification event, EventBridgeEnvelope envelope,
            Supplier<Set<String>> globalClusterMembers) {
        String which = event.eventId().orElse("an RDS event") + " about '"
                + AlarmSignal.abbreviate(event.sourceIdentifier()) + "'";
        if (!event.actedOn()) {
            return Optional.empty();
        }
        if (!config.accountId().equals(envelope.account())) {
            return Optional.of(which + " comes from account '" + AlarmSignal.abbreviate(envelope.account())
                    + "', not the plan's account " + config.accountId() + ": ignored");
        }
        if (!envelope.region().equals(config.primary().region())
                && !envelope.region().equals(config.standby().region())) {
            return Optional.of(which + " comes from region '" + AlarmSignal.abbreviate(envelope.region())
                    + "', which is neither of plan " + config.plan() + "'s regions: ignored");
        }
        String identifier = event.sourceIdentifier().startsWith("rds:") ? event.sourceIdentifier().substring(4)
                : event.sourceIdentifier();
        String arn = Json.optionalText(envelope.detail(), "SourceArn").orElse("");
        String named = arn.isEmpty() ? identifier : arn.substring(arn.lastIndexOf(':') + 1);
        if (!identifier.isEmpty() && !arn.isEmpty() && !identifier.equals(named)) {
            return Optional.of(which + " names two resources (SourceIdentifier and SourceArn differ): ignored");
        }
        if (named.isEmpty()) {
            return Optional.of(which + " names no resource: ignored");
        }
        for (DatabasePair pair : pairs) {
            if (pair.auroraGlobalClusterId().filter(named::equals).isPresent()
                    || pair.primaryDbInstanceId().filter(id -> instanceOf(id, named)).isPresent()
                    || pair.standbyDbInstanceId().filter(id -> instanceOf(id, named)).isPresent()) {
                return Optional.empty();
            }
        }
        boolean aurora = pairs.stream().anyMatch(pair -> pair.auroraGlobalClusterId().isPresent());
        if (aurora) {
            Set<String> members = globalClusterMembers.get();
            boolean member = arn.isEmpty() ? members.stream().anyMatch(m -> m.endsWith(":cluster:" + named)
                    && m.split(":")[3].equals(envelope.region())) : members.contains(arn);
            if (member) {
                return Optional.empty();
            }
        }
        return Optional.of(which + " is not a database of plan " + config.plan() + " (its instances, global "
                + "databases and their member clusters): ignored");
    }

    /** The instance itself or one of its failback generations, {@code <id>-g<n>}: never {@code <id>-green-1}. */
    private static boolean instanceOf(String id, String named) {
        return named.equals(id) || Pattern.matches(Pattern.quote(id) + "-g[1-9][0-9]*", named);
    }

    private static Instant instant(String time) {
        if (time == null || time.isBlank()) {
            throw new RejectedEvent(Kind.STALE, "the order carries no event time, so it cannot be shown to be fresh");
        }
        try {
            return OffsetDateTime.parse(time).toInstant();
        } catch (DateTimeParseException e) {
            throw new RejectedEvent(Kind.STALE, "the order's time '" + AlarmSignal.abbreviate(time)
                    + "' is not an ISO-8601 date and time, so it cannot be shown to be fresh");
        }
    }
}
