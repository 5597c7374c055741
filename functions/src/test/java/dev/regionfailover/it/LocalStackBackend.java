package dev.regionfailover.it;

import java.net.URI;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * LocalStack as the AWS backend of the integration tests, where a Docker engine runs. The image is pinned; the
 * Pro image is used because RDS (the heart of these tests) is not in the community image, and it needs
 * LOCALSTACK_AUTH_TOKEN. Override the image with LOCALSTACK_IMAGE.
 */
final class LocalStackBackend implements AutoCloseable {

    static final String DEFAULT_IMAGE = "localstack/localstack-pro:4.4.0";

    private final LocalStackContainer container;

    private LocalStackBackend(LocalStackContainer container) {
        this.container = container;
    }

    /** Whether this machine can run the LocalStack tests; answers false, never throws, without Docker. */
    static boolean usable() {
        String token = System.getenv("LOCALSTACK_AUTH_TOKEN");
        if (token == null || token.isBlank()) {
            return false;
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    @SuppressWarnings("resource") // closed by close()
    static LocalStackBackend start() {
        String image = System.getenv().getOrDefault("LOCALSTACK_IMAGE", DEFAULT_IMAGE);
        LocalStackContainer container = new LocalStackContainer(DockerImageName.parse(image)
                .asCompatibleSubstituteFor("localstack/localstack"))
                .withEnv("LOCALSTACK_AUTH_TOKEN", System.getenv("LOCALSTACK_AUTH_TOKEN"));
        container.start();
        return new LocalStackBackend(container);
    }

    URI endpoint() {
        return container.getEndpoint();
    }

    @Override
    public void close() {
        container.stop();
    }
}
