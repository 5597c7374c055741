package dev.regionfailover.explore;

import java.time.Duration;
import java.util.Optional;

import dev.regionfailover.dns.DnsGateway;

/** {@link DnsGateway} over {@link FakeAws}'s writer name, as the record-update strategy moves a CNAME. */
final class FakeDns implements DnsGateway {

    private final FakeAws aws;

    FakeDns(FakeAws aws) {
        this.aws = aws;
    }

    @Override
    public Optional<String> currentTarget() {
        return Optional.ofNullable(aws.writerName);
    }

    @Override
    public boolean sendsClientsTo(Side side, String writerEndpoint) {
        return writerEndpoint.equals(aws.writerName);
    }

    @Override
    public String sendClientsTo(Side side, String writerEndpoint, String comment) {
        return aws.changeWriterName(writerEndpoint);
    }

    @Override
    public void awaitInSync(String change, Duration bound, Duration pollInterval) {
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
        return "CNAME db.example.internal";
    }
}
