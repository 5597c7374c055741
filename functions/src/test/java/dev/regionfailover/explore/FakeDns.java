package dev.regionfailover.explore;

import java.time.Duration;
import java.util.Optional;

import dev.regionfailover.aws.Cadence;
import dev.regionfailover.dns.DnsGateway;

/**
 * {@link DnsGateway} over one pair's writer name in {@link FakeAws}, as the record-update strategy moves that
 * pair's CNAME (each pair of a plan has its own record).
 */
final class FakeDns implements DnsGateway {

    private final FakeAws aws;
    private final String pair;
    private final String recordName;

    FakeDns(FakeAws aws, String pair, String recordName) {
        this.aws = aws;
        this.pair = pair;
        this.recordName = recordName;
    }

    @Override
    public Optional<String> currentTarget() {
        return Optional.ofNullable(aws.writerNames.get(pair));
    }

    @Override
    public boolean sendsClientsTo(Side side, String writerEndpoint) {
        return writerEndpoint.equals(aws.writerNames.get(pair));
    }

    @Override
    public String sendClientsTo(Side side, String writerEndpoint, String comment) {
        return aws.changeWriterName(pair, writerEndpoint);
    }

    @Override
    public void awaitInSync(String change, Duration bound, Cadence cadence) {
        aws.clock.advance(FakeAws.POLL);
    }

    /** record-update names the writer when it fails over: it is always armed. */
    @Override
    public boolean armedFor(String standbyWriterEndpoint) {
        return true;
    }

    @Override
    public String armFor(String standbyWriterEndpoint, String comment) {
        return "none";
    }

    @Override
    public String describe() {
        return "CNAME " + recordName;
    }
}
