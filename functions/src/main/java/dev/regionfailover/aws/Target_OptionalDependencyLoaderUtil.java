package dev.regionfailover.aws;

import com.oracle.svm.core.annotate.Substitute;
import com.oracle.svm.core.annotate.TargetClass;
import software.amazon.awssdk.http.auth.aws.crt.internal.signer.DefaultAwsCrtV4aHttpSigner;

/**
 * Native image only (a GraalVM substitution; the JVM never loads it). The SDK creates its SigV4a signer, which
 * EventBridge's auth scheme list names, through {@code OptionalDependencyLoaderUtil}: it checks that the optional AWS
 * CRT is on the class path and then constructs {@code DefaultAwsCrtV4aHttpSigner}, whose code refers to CRT classes.
 * The functions do not ship the CRT (they sign with SigV4), so on the JVM that check throws; in a native image, built
 * with Quarkus's {@code --link-at-build-time}, the constructor call alone makes the builder fail on the absent CRT
 * types. This replaces the method with the SDK's own outcome without the CRT: an exception naming the missing module.
 * See docs/native.md, "Fixes for GraalVM 25".
 */
@TargetClass(className = "software.amazon.awssdk.http.auth.aws.internal.signer.util.OptionalDependencyLoaderUtil")
final class Target_OptionalDependencyLoaderUtil {

    private Target_OptionalDependencyLoaderUtil() {
    }

    @Substitute
    static DefaultAwsCrtV4aHttpSigner getDefaultAwsCrtV4aHttpSigner() {
        throw new IllegalStateException("CRT-V4a signing needs software.amazon.awssdk:http-auth-aws-crt and the AWS CRT,"
                + " which this native image does not include");
    }
}
