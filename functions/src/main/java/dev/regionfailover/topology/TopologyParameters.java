package dev.regionfailover.topology;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.regionfailover.aws.AwsClients;
import software.amazon.awssdk.services.ssm.model.Parameter;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * The published topology's parameters in SSM Parameter Store, in one region or the other: read by name and
 * overwritten. String parameters of the standard tier: the values are not secrets, and Parameter Store keeps each
 * parameter's last 100 versions, deleting the oldest as a new one is written (unless someone labelled it), so the
 * history of where the writer was is kept for free.
 */
@ApplicationScoped
public class TopologyParameters {

    @Inject
    AwsClients aws;

    /** The values of those of {@code names} that exist (GetParameters takes at most 10 names a call). */
    public Map<String, String> read(String region, List<String> names) {
        if (names.size() > 10) {
            throw new IllegalArgumentException("GetParameters takes at most 10 names, not " + names.size());
        }
        return aws.ssm(region).getParameters(request -> request.names(names)).parameters().stream()
                .collect(Collectors.toMap(Parameter::name, Parameter::value));
    }

    /** Creates or overwrites one parameter. */
    public void write(String region, String name, String value, String description) {
        aws.ssm(region).putParameter(request -> request.name(name).value(value).type(ParameterType.STRING)
                .overwrite(true).description(description));
    }
}
