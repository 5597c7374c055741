package dev.regionfailover.dns;

import dev.regionfailover.aws.Cadence;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Sends the application's clients to a writer. Three strategies sit behind it, chosen by
 * {@code failover.dns.strategy} ({@link DnsGateways}): {@link Route53RecordGateway} edits the CNAME through the
 * Route 53 control plane; {@link HealthCheckSwitchGateway} moves a CloudWatch alarm that a failover record's health
 * check follows, with calls to the standby region only; {@link GlobalWriterEndpointGateway} changes nothing and
 * waits until Aurora's global writer endpoint follows the new writer.
 */
public interface DnsGateway {

    enum Side {
        PRIMARY, STANDBY
    }

    /** Where the name sends clients now, in words for the journal; empty when it cannot tell. */
    Optional<String> currentTarget();

    /** Whether the name already sends clients to this side's writer. */
    boolean sendsClientsTo(Side side, String writerEndpoint);

    /** Starts sending clients to this side's writer; returns what {@link #awaitInSync} waits on. */
    String sendClientsTo(Side side, String writerEndpoint, String comment);

    void awaitInSync(String change, Duration bound, Cadence cadence);

    /**
     * Whether the next failover would send clients to this standby writer. record-update always would (it names
     * the writer when it fails over); health-check-switch only when its SECONDARY record names it.
     */
    boolean armedFor(String standbyWriterEndpoint);

    /** Makes the next failover send clients to this standby writer; returns what {@link #awaitInSync} waits on. */
    String armFor(String standbyWriterEndpoint, String comment);

    /** The strategy and the name it moves, for plans and reports. */
    String describe();

    /** What {@link #sendClientsTo} would do, in words for a dry run's "would ...". */
    default String plannedChange(String writerEndpoint) {
        return "send " + describe() + " to " + writerEndpoint;
    }

    /** Whether readiness checks the strategy's own set-up ({@link #setupProblems}) beyond where the name points. */
    default boolean checksSetup() {
        return false;
    }

    /** What readiness finds wrong with the strategy's own set-up; empty when nothing is. */
    default List<String> setupProblems() {
        return List.of();
    }
}
