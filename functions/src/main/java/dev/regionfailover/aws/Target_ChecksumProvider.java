package dev.regionfailover.aws;

import com.oracle.svm.core.annotate.Substitute;
import com.oracle.svm.core.annotate.TargetClass;
import software.amazon.awssdk.checksums.SdkChecksum;
import software.amazon.awssdk.checksums.spi.ChecksumAlgorithm;

/**
 * Native image only (a GraalVM substitution; the JVM never loads it). Since the SDK's 2.4x releases its checksum
 * module picks a checksum's implementation in {@code ChecksumProvider}, whose CRT branches construct CRT classes
 * ({@code CRC32C}, {@code CRC64NVME}, {@code XXHash}) after checking that the optional AWS CRT is on the class path.
 * The functions do not ship the CRT, so on the JVM those checks fail and the SDK falls back (CRC32C: the JDK's) or
 * throws; in a native image, built with Quarkus's {@code --link-at-build-time}, the constructor calls alone make the
 * builder fail on the absent CRT types (found by bin/native-build-check when the SDK went from 2.40.2 to 2.59.1).
 * These replace exactly the three CRT branches with the SDK's own outcome without the CRT. See docs/native.md,
 * "Fixes for GraalVM 25".
 */
@TargetClass(className = "software.amazon.awssdk.checksums.internal.ChecksumProvider")
final class Target_ChecksumProvider {

    private Target_ChecksumProvider() {
    }

    /** The SDK's answer when the CRT is absent: none, so crc32cImplementation() goes on to its next choice. */
    @Substitute
    static SdkChecksum createCrtCrc32C() {
        return null;
    }

    @Substitute
    static SdkChecksum crc64NvmeCrtImplementation() {
        throw new RuntimeException("Could not load software.amazon.awssdk.crt.checksums.CRC64NVME: this native image "
                + "does not include the AWS CRT ('software.amazon.awssdk.crt:aws-crt')");
    }

    @Substitute
    static SdkChecksum crtXxHash(ChecksumAlgorithm algorithm) {
        throw new RuntimeException("Could not load the AWS CRT's XXHash for " + algorithm.algorithmId() + ": this "
                + "native image does not include the AWS CRT ('software.amazon.awssdk.crt:aws-crt')");
    }
}
