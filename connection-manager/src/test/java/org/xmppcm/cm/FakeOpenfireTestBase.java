package org.xmppcm.cm;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A fresh scripted server ({@link FakeOpenfire}) per test, and the CM and clients a test starts against it, stopped
 * and closed after the test in that order.
 */
abstract class FakeOpenfireTestBase {
    protected FakeOpenfire openfire;
    protected ConnectionManager cm;
    protected final List<AutoCloseable> closeables = new ArrayList<>();

    @BeforeEach
    void fakeServer() throws Exception {
        openfire = new FakeOpenfire();
    }

    @AfterEach
    void stopAll() throws Exception {
        if (cm != null) {
            cm.stop();
        }
        for (AutoCloseable c : closeables) {
            c.close();
        }
        openfire.close();
    }
}
