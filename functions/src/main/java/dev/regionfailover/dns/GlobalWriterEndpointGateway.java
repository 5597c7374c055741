package dev.regionfailover.dns;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import software.amazon.awssdk.core.waiters.Waiter;
import software.amazon.awssdk.core.waiters.WaiterAcceptor;

import dev.regionfailover.aws.Cadence;
import dev.regionfailover.aws.Polling;
import dev.regionfailover.database.GlobalWriterEndpoint;
import dev.regionfailover.event.RdsNotification;

/**
 * The {@code global-writer-endpoint} strategy (Aurora global databases only). The application's name is a CNAME,
 * set once by the deployer, to the global cluster's writer endpoint, and Aurora moves that endpoint to the new
 * writer at a managed failover or switchover (Aurora User Guide, "Connecting to Amazon Aurora Global Database").
 * So nothing is changed here, and no Route 53 call is made during a run: the control plane in us-east-1 may be
 * what failed. Sending clients to a writer means: check that DescribeGlobalClusters names that writer (the member
 * with IsWriter, no operation under way), then wait until the endpoint's CNAME names the writer cluster's
 * endpoint, that is until Aurora has finished its DNS change (the moment RDS-EVENT-0397 reports). The application's
 * own record is static; readiness checks that it is a CNAME to the endpoint ({@link #setupProblems}).
 */
public class GlobalWriterEndpointGateway implements DnsGateway {

    private final Supplier<GlobalWriterEndpoint> global;
    private final EndpointResolver resolver;
    private final Supplier<Optional<String>> applicationRecord;
    private final String recordName;

    /**
     * @param global DescribeGlobalClusters as {@link GlobalWriterEndpoint}
     * @param applicationRecord what the application's CNAME points at (read from Route 53; readiness only)
     */
    public GlobalWriterEndpointGateway(Supplier<GlobalWriterEndpoint> global, EndpointResolver resolver,
            Supplier<Optional<String>> applicationRecord, String recordName) {
        this.global = global;
        this.resolver = resolver;
        this.applicationRecord = applicationRecord;
        this.recordName = recordName;
    }

    @Override
    public Optional<String> currentTarget() {
        GlobalWriterEndpoint endpoint = global.get();
        return Optional.of(endpoint.address().map(address -> address + " resolves to " + ask(address).words())
                .orElse("global cluster " + endpoint.globalClusterId() + " reports no writer endpoint"));
    }

    /** Whichever side: clients go to that writer once the endpoint resolves to it. */
    @Override
    public boolean sendsClientsTo(Side side, String writerEndpoint) {
        return global.get().address().flatMap(address -> ask(address).target())
                .filter(target -> pointsAt(target, writerEndpoint)).isPresent();
    }

    /**
     * Changes nothing. Verifies that Aurora made this the global writer, since only then does the endpoint follow
     * it; returns the writer endpoint for {@link #awaitInSync} to wait for.
     */
    @Override
    public String sendClientsTo(Side side, String writerEndpoint, String comment) {
        GlobalWriterEndpoint endpoint = global.get();
        String address = endpoint.address().orElseThrow(() -> new IllegalStateException("global cluster "
                + endpoint.globalClusterId() + " reports no writer endpoint (Endpoint in DescribeGlobalClusters): "
                + "nothing would send clients to " + writerEndpoint));
        if (endpoint.operationUnderWay()) {
            throw new IllegalStateException("global cluster " + endpoint.globalClusterId()
                    + " is still switching over or failing over: " + address + " does not follow yet");
        }
        GlobalWriterEndpoint.Writer writer = endpoint.writer().orElseThrow(() -> new IllegalStateException(
                "global cluster " + endpoint.globalClusterId() + " has no writer: " + address + " points nowhere"));
        if (!Route53RecordGateway.normalise(writer.endpoint()).equals(Route53RecordGateway.normalise(writerEndpoint))) {
            throw new IllegalStateException("the writer of global cluster " + endpoint.globalClusterId() + " is "
                    + writer.clusterId() + " in " + writer.region() + " (" + writer.endpoint() + "), not "
                    + writerEndpoint + ": " + address + " follows Aurora's writer, so it will not go there");
        }
        return writerEndpoint;
    }

    /** Polls DNS until the endpoint is a CNAME into the writer cluster ({@link #pointsAt}), or the bound passes. */
    @Override
    public void awaitInSync(String writerEndpoint, Duration bound, Cadence cadence) {
        GlobalWriterEndpoint endpoint = global.get();
        String address = endpoint.address().orElseThrow(() -> new IllegalStateException(
                "the global cluster reports no writer endpoint"));
        // RDS-EVENT-0397 names the cluster the endpoint now follows.
        String source = endpoint.writer().map(writer -> RdsNotification.source(writer.region(), writer.clusterId()))
                .orElse("");
        String wanted = Route53RecordGateway.normalise(writerEndpoint);
        List<Answer> answers = new ArrayList<>();
        Waiter<Answer> waiter = Waiter.builder(Answer.class)
                .addAcceptor(WaiterAcceptor.successOnResponseAcceptor(answer -> answer.target()
                        .filter(target -> pointsAt(target, wanted)).isPresent()))
                .addAcceptor(WaiterAcceptor.retryOnResponseAcceptor(answer -> true))
                .overrideConfiguration(cadence.bounded(bound))
                .build();
        try {
            Polling.await(waiter, cadence.looking(source, () -> {
                Answer answer = ask(address);
                answers.add(answer);
                return answer;
            }));
        } catch (Polling.WaitEnded e) {
            throw new Polling.WaitEnded(address + " did not resolve to " + wanted + " within " + bound.toSeconds()
                    + " s (Aurora's DNS change, RDS-EVENT-0397, not seen); last answer: "
                    + (answers.isEmpty() ? "none" : answers.get(answers.size() - 1).words()));
        }
    }

    /** Aurora moves the endpoint to whichever cluster it promotes: nothing to arm. */
    @Override
    public boolean armedFor(String standbyWriterEndpoint) {
        return true;
    }

    @Override
    public String armFor(String standbyWriterEndpoint, String comment) {
        throw new IllegalStateException("global-writer-endpoint follows Aurora's writer: nothing to arm");
    }

    @Override
    public String plannedChange(String writerEndpoint) {
        return "change no record and wait for " + global.get().address().orElse("the global writer endpoint")
                + " to resolve to " + writerEndpoint + " (Aurora moves it: RDS-EVENT-0397)";
    }

    @Override
    public String describe() {
        GlobalWriterEndpoint endpoint = global.get();
        return "global writer endpoint " + endpoint.address().orElse("(none)") + " of "
                + endpoint.globalClusterId() + " (global-writer-endpoint)";
    }

    /**
     * What readiness checks: the global cluster has a writer endpoint, and the application's name is a CNAME to
     * it (otherwise the endpoint's move would not reach the application's clients).
     */
    @Override
    public boolean checksSetup() {
        return true;
    }

    @Override
    public List<String> setupProblems() {
        List<String> problems = new ArrayList<>();
        GlobalWriterEndpoint endpoint = global.get();
        if (endpoint.address().isEmpty()) {
            problems.add("global cluster " + endpoint.globalClusterId() + " reports no writer endpoint");
        }
        Optional<String> record = applicationRecord.get().map(Route53RecordGateway::normalise);
        endpoint.address().map(Route53RecordGateway::normalise).ifPresent(address -> {
            if (record.filter(address::equals).isEmpty()) {
                problems.add(recordName + " is " + record.map(target -> "a CNAME to " + target).orElse("no CNAME")
                        + ", not a CNAME to the global writer endpoint " + address);
            }
        });
        return problems;
    }

    /**
     * Whether the endpoint's CNAME target sends clients to the writer cluster: its cluster endpoint itself, or a
     * name in that cluster's regional RDS domain. AWS documents that the endpoint "always points to the writer DB
     * instance in the current primary cluster" (API reference, GlobalCluster) but not which of that cluster's names
     * the record holds (the cluster endpoint, or the writer instance's endpoint); both lie in the writer's region
     * ({@code <id>.cluster-<x>.<region>.rds.amazonaws.com}, {@code <instance>.<x>.<region>.rds.amazonaws.com}), and
     * a name in the old writer's region is what the endpoint answers until Aurora's DNS change is done.
     */
    static boolean pointsAt(String cnameTarget, String writerClusterEndpoint) {
        String target = Route53RecordGateway.normalise(cnameTarget);
        String writer = Route53RecordGateway.normalise(writerClusterEndpoint);
        String[] labels = writer.split("\\.", 3);
        // <id>.cluster-<x>.<regional domain>: the regional domain has a dot in it, or the endpoint is not one
        return target.equals(writer) || labels.length == 3 && labels[2].contains(".")
                && target.endsWith("." + labels[2]);
    }

    /** A resolver that does not answer is no answer: name servers fail transiently, and the wait polls again. */
    private Answer ask(String address) {
        try {
            Optional<String> target = resolver.cnameOf(address).map(Route53RecordGateway::normalise);
            return new Answer(target, target.orElse("no CNAME"));
        } catch (RuntimeException e) {
            return new Answer(Optional.empty(), "no answer (" + e.getMessage() + ")");
        }
    }

    /** What DNS answered for the endpoint, and the same in words for the journal. */
    private record Answer(Optional<String> target, String words) {
    }
}
