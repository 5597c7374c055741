package dev.regionfailover.aws;

import software.amazon.awssdk.awscore.exception.AwsServiceException;

/** Short, credential-free descriptions of failures for evidence, journals and notifications. */
public final class Errors {

    private static final int MAX = 300;

    private Errors() {
    }

    public static String describe(Throwable error) {
        String text;
        if (error instanceof AwsServiceException service && service.awsErrorDetails() != null) {
            text = service.awsErrorDetails().errorCode() + ": " + service.awsErrorDetails().errorMessage();
        } else {
            Throwable root = error;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            text = error.getClass().getSimpleName() + ": " + error.getMessage()
                    + (root != error ? " (cause: " + root.getClass().getSimpleName() + ": " + root.getMessage() + ")"
                            : "");
        }
        return text.length() <= MAX ? text : text.substring(0, MAX) + "…";
    }
}
