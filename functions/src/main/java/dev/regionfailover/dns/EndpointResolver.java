package dev.regionfailover.dns;

import java.util.Optional;

/** Where a DNS name points: the target of its CNAME record, as the name servers answer now. */
@FunctionalInterface
public interface EndpointResolver {

    /**
     * The CNAME target of {@code name}, normalised ({@link Route53RecordGateway#normalise}); empty when the name
     * has no CNAME or does not exist. Throws when no name server answers.
     */
    Optional<String> cnameOf(String name);
}
