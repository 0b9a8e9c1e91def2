package org.xmppcm.e2e.fault;

/**
 * Finds the harness's message ids, {@code fq<sender>_<seq>} (see {@link RawClient#messageId}), in a byte stream cut
 * into arbitrary chunks: a small state machine, so that an id split over two chunks is still found once. The proxy
 * runs one per direction to tell which link carried which message and whether it reached the server's socket.
 */
final class IdScanner {
    interface Sink {
        void id(int sender, long seq);
    }

    private final Sink sink;
    /** 0 nothing, 1 'f', 2 'fq', 3 sender digits, 4 '_', 5 seq digits. */
    private int state;
    private long sender;
    private long seq;

    IdScanner(Sink sink) {
        this.sink = sink;
    }

    void scan(byte[] bytes, int length) {
        for (int i = 0; i < length; i++) {
            step(bytes[i]);
        }
    }

    private void step(byte b) {
        boolean digit = b >= '0' && b <= '9';
        switch (state) {
            case 1 -> state = b == 'q' ? 2 : restart(b);
            case 2 -> {
                if (digit) {
                    sender = b - '0';
                    state = 3;
                } else {
                    state = restart(b);
                }
            }
            case 3 -> {
                if (digit && sender < 1_000_000) {
                    sender = sender * 10 + (b - '0');
                } else {
                    state = b == '_' ? 4 : restart(b);
                }
            }
            case 4 -> {
                if (digit) {
                    seq = b - '0';
                    state = 5;
                } else {
                    state = restart(b);
                }
            }
            case 5 -> {
                if (digit && seq < 1_000_000_000_000L) {
                    seq = seq * 10 + (b - '0');
                } else {
                    sink.id((int) sender, seq);
                    state = restart(b);
                }
            }
            default -> state = restart(b);
        }
    }

    private static int restart(byte b) {
        return b == 'f' ? 1 : 0;
    }
}
