package dev.regionfailover.parameters;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.regionfailover.aws.AwsClients;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * The plan's definitions kept in SSM Parameter Store (the standby region's, where the stack runs), for what does
 * not fit Lambda's 4 KB of environment variables. Only reads; the functions never write a parameter.
 */
@ApplicationScoped
public class PlanParameterStore {

    /** One parameter: its full name (path included) and its value, decrypted if it is a SecureString. */
    public record StoredParameter(String name, String value) {
    }

    @Inject
    AwsClients aws;

    /**
     * Every parameter directly under {@code path} (not those further below it), over as many pages as
     * GetParametersByPath takes (at most 10 parameters a page).
     */
    public List<StoredParameter> under(String path) {
        return ssm().getParametersByPathPaginator(request -> request.path(path).recursive(false)
                .withDecryption(true)).stream().flatMap(page -> page.parameters().stream())
                .map(parameter -> new StoredParameter(parameter.name(), parameter.value()))
                .toList();
    }

    /** The client; a test gives its own, to serve pages. */
    SsmClient ssm() {
        return aws.ssm();
    }
}
