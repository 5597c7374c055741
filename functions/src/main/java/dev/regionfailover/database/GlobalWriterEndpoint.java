package dev.regionfailover.database;

import java.util.Optional;

/**
 * An Aurora global database's writer endpoint as DescribeGlobalClusters reports it: {@code address} is the
 * GlobalCluster's {@code Endpoint} ({@code <global id>.global-<id>.global.rds.amazonaws.com}, the same name for the
 * global cluster's whole life), and the writer it should point at: the member with {@code IsWriter}, its region and
 * its own cluster endpoint (DescribeDBClusters {@code Endpoint}). AWS (API reference, GlobalCluster; CloudFormation
 * AWS::RDS::GlobalCluster GlobalEndpoint): "This endpoint always points to the writer DB instance in the current
 * primary cluster"; in DNS, a CNAME to that cluster's endpoint, changed by Aurora after the writer moves
 * (RDS-EVENT-0397, "Aurora finished changing the DNS name that the global writer endpoint resolves to.").
 *
 * @param address empty when the global cluster reports no endpoint (created before AWS had them, or not yet ready)
 * @param writer empty when no member is the writer
 * @param operationUnderWay a failover or switchover is pending or in progress (FailoverState is present)
 */
public record GlobalWriterEndpoint(String globalClusterId, Optional<String> address, Optional<Writer> writer,
        boolean operationUnderWay) {

    /** The writer member: its cluster identifier, region and cluster endpoint. */
    public record Writer(String clusterId, String region, String endpoint) {
    }
}
