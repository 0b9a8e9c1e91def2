package org.xmppcm.cm.tls;

import java.nio.file.Path;

/** The CM's TLS material is unusable: a startup error that names the file and the reason. */
public final class TlsSetupException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public TlsSetupException(String message, Throwable cause) {
        super(message, cause);
    }

    static TlsSetupException of(Path file, String problem, Throwable cause) {
        return new TlsSetupException("TLS file " + file.toAbsolutePath() + ": " + problem, cause);
    }
}
