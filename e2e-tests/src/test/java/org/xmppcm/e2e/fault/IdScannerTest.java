package org.xmppcm.e2e.fault;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class IdScannerTest {
    @Test
    void findsIdsSplitAnywhereAndNothingElse() {
        String wire = "<route streamid='ffq1x'><message to='u1@localhost/fault' id='fq12_345'><body>345</body>"
                + "</message></route><message id=\"fq0_7\" type='error'/>fq_1 fq1_ fqq2_3'";
        List<String> found = new ArrayList<>();
        byte[] bytes = wire.getBytes(StandardCharsets.UTF_8);
        for (int split = 1; split < bytes.length; split++) {
            found.clear();
            IdScanner scanner = new IdScanner((sender, seq) -> found.add(sender + "_" + seq));
            scanner.scan(java.util.Arrays.copyOfRange(bytes, 0, split), split);
            scanner.scan(java.util.Arrays.copyOfRange(bytes, split, bytes.length), bytes.length - split);
            assertThat(found).as("split at %d", split).containsExactly("12_345", "0_7");
        }
    }
}
